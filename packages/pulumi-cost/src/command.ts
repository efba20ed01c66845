import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadShippedPriceTable, type PriceTable, readPriceTableFile } from "@platform/prices";
import { DEFAULT_CONFIG_FILE, findConfig } from "./config.js";
import { BadInputError, LIMITS } from "./limits.js";
import { GITHUB_COMMENT_LIMIT } from "./markdown.js";
import { parsePreview } from "./preview.js";
import { costOfPreview, costOfPreviewWithLivePrices } from "./run.js";

export const USAGE = `Usage: pulumi-cost <preview.json | -> [--config ${DEFAULT_CONFIG_FILE}] [--format markdown|json]
                   [--max-chars 65536] [--region us-east-1] [--approved-by <login>] [--at YYYY-MM-DD]
                   [--prices <price table .json>] [--live-prices]
       pulumi-cost --json-schema | --free-types | --help

Prices \`pulumi preview --json --show-sames\` output before and after the change, resource by resource in the
region of its own provider, with the Kubernetes workloads' share of their nodes, and prints the pull-request
comment (or the JSON report). Settings (guardrail, budget, usage, ...) come from --config, else from
${DEFAULT_CONFIG_FILE} in the current directory when there is one; without them no guardrail, budget or usage
applies. --live-prices asks the AWS Price List API (pricing:GetProducts, with the AWS credentials of the
environment) for the prices the table lacks; without credentials the table's prices are used alone.

Exit codes: 0 priced (within the guardrail, or over it and approved with --approved-by), 3 over the
guardrail and not approved (the comment is still printed), 2 bad input.`;

/** The first day of the 730 hours priced: `--at`, else today (UTC). */
export function monthStartFrom(at: string | undefined, now = new Date()): Date {
  if (at === undefined) return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(at) || Number.isNaN(Date.parse(`${at}T00:00:00Z`))) {
    throw new BadInputError(`--at must be a date such as 2026-12-01, not ${at}`);
  }
  return new Date(`${at}T00:00:00Z`);
}

/** The preview's text from a file or standard input (`-`), refused above LIMITS.previewBytes. */
export function readPreviewText(file: string): string {
  if (file === "-") {
    const text = readFileSync(0, "utf8");
    if (text.length > LIMITS.previewBytes)
      throw new BadInputError("the preview on standard input is too large");
    return text;
  }
  try {
    if (statSync(file).size > LIMITS.previewBytes) {
      throw new BadInputError(`the preview file ${file} is larger than ${LIMITS.previewBytes / 2 ** 20} MiB`);
    }
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof BadInputError) throw error;
    throw new BadInputError(`cannot read the preview file ${file}: ${(error as Error).message}`);
  }
}

export interface CommandResult {
  output: string;
  exitCode: number;
  /** lines for standard error that do not stop the run (live prices that could not be had) */
  messages: string[];
}

export async function run(argv: string[]): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      preview: { type: "string" },
      config: { type: "string" },
      format: { type: "string", default: "markdown" },
      "max-chars": { type: "string", default: String(GITHUB_COMMENT_LIMIT) },
      region: { type: "string" },
      prices: { type: "string" },
      "approved-by": { type: "string" },
      at: { type: "string" },
      "live-prices": { type: "boolean", default: false },
    },
    strict: true,
  });
  const file = values.preview ?? positionals[0];
  if (file === undefined) throw new BadInputError("name the preview file (or - for standard input)");
  if (values.format !== "markdown" && values.format !== "json") {
    throw new BadInputError(`--format must be markdown or json, not ${values.format}`);
  }
  const maxChars = Number(values["max-chars"]);
  if (!Number.isInteger(maxChars) || maxChars < 1000)
    throw new BadInputError("--max-chars must be a whole number ≥ 1000");
  const config = findConfig(values.config);
  let table: PriceTable;
  try {
    table = values.prices ? readPriceTableFile(values.prices) : loadShippedPriceTable();
  } catch (error) {
    throw new BadInputError((error as Error).message);
  }
  const preview = parsePreview(
    readPreviewText(file),
    file === "-" ? "the preview" : `the preview file ${file}`,
  );
  const options = {
    preview,
    config,
    table,
    region: values.region,
    approvedBy: values["approved-by"],
    monthStart: monthStartFrom(values.at),
    format: values.format as "markdown" | "json",
    maxChars,
  };
  const result = values["live-prices"]
    ? await costOfPreviewWithLivePrices(options)
    : { ...costOfPreview(options), messages: [] };
  return { output: result.output, exitCode: result.exitCode, messages: result.messages };
}
