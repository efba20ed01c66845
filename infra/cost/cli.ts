import { parseArgs } from "node:util";
import { loadShippedPriceTable, type PriceTable, readPriceTableFile } from "@platform/prices";
import {
  type CostEstimate,
  changesFromPreview,
  costOfPreview,
  costOfPreviewWithLivePrices,
  costReportSchema,
  estimateStack,
  GITHUB_COMMENT_LIMIT,
  type GuardrailOutcome,
  livePriceTable,
  monthStartFrom,
  parsePreview,
  readPreviewText,
  renderEstimate,
} from "pulumi-cost";
import { z } from "zod";
import { resourcesUnderMocks } from "./run-program";
import { stackSettings, templateConfig, USAGE_FILE_PATH } from "./template-config";

const USAGE = `Usage: npm run cost -- [--preview <pulumi-preview.json>] [--stack dev] [--approved-by <github login>]
                      [--region us-east-1] [--format markdown|json] [--max-chars 65536]
                      [--prices <price table .json>] [--usage infra/cost/usage.yaml] [--at YYYY-MM-DD]
                      [--live-prices] [--guardrail-from <dir>] [--program-warnings] [--json-schema]

Without --preview, runs the Pulumi program under mocks with the stack's settings (Pulumi.<stack>.yaml) and
prices every resource it creates. With --preview, prices the changes in \`pulumi preview --json\` output and
checks them against the stack's cost guardrail in .github/stacks.json. --live-prices asks the AWS Price
List API for the prices the table lacks (with the environment's AWS credentials; without them, the table alone).
--guardrail-from reads the guardrail (.github/stacks.json) and the budget (Pulumi.<stack>.yaml) from a checkout
of them as merged, e.g. a pull request's base commit, so the pull request cannot loosen its own guardrail.

Exit codes: 0 priced (within the guardrail, or over it and approved with --approved-by), 3 over the
guardrail and not approved (the comment is still printed), 2 bad input.`;

/** The preview is over the stack's cost guardrail and nobody approved it. */
export const EXIT_OVER_GUARDRAIL = 3;
export const EXIT_BAD_INPUT = 2;

export interface CostRun {
  estimate: CostEstimate;
  output: string;
  exitCode: number;
  guardrail?: GuardrailOutcome;
  /** what the program logged under mocks (whole-stack mode) */
  programMessages: string[];
  /** for standard error: live prices that could not be had */
  messages: string[];
}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      preview: { type: "string" },
      stack: { type: "string", default: "dev" },
      region: { type: "string" },
      format: { type: "string", default: "markdown" },
      "max-chars": { type: "string", default: String(GITHUB_COMMENT_LIMIT) },
      prices: { type: "string" },
      usage: { type: "string", default: USAGE_FILE_PATH },
      "approved-by": { type: "string" },
      at: { type: "string" },
      "program-warnings": { type: "boolean", default: false },
      "live-prices": { type: "boolean", default: false },
      "guardrail-from": { type: "string" },
    },
    strict: true,
  });
  if (values.format !== "markdown" && values.format !== "json") {
    throw new Error(`--format must be markdown or json, not ${values.format}`);
  }
  const maxChars = Number(values["max-chars"]);
  if (!Number.isInteger(maxChars) || maxChars < 1000)
    throw new Error("--max-chars must be a whole number ≥ 1000");
  return { ...values, format: values.format as "markdown" | "json", maxChars };
}

export async function costFromArgs(argv: string[]): Promise<CostRun> {
  const values = options(argv);
  const stack = values.stack;
  const settings = stackSettings(stack); // fails first, naming Pulumi.<stack>.yaml and the stacks there are
  const table: PriceTable = values.prices ? readPriceTableFile(values.prices) : loadShippedPriceTable();
  const monthStart = monthStartFrom(values.at);
  const common = { usageFile: values.usage, hoursPerMonth: table.hoursPerMonth, monthStart };
  if (values.preview) {
    const preview = parsePreview(readPreviewText(values.preview), `the preview file ${values.preview}`);
    // The program's own region setting, which its previews record, before the stack file's.
    const recorded = preview.config?.["platform:region"];
    const region = values.region ?? (typeof recorded === "string" && recorded !== "" ? recorded : undefined);
    const resources = changesFromPreview(preview).flatMap((change) => [
      ...(change.before ? [{ side: "before" as const, resource: change.before }] : []),
      ...(change.after ? [{ side: "after" as const, resource: change.after }] : []),
    ]);
    const config = templateConfig(stack, {
      ...common,
      region,
      resources,
      guardrailFrom: values["guardrail-from"],
    });
    const options = {
      preview,
      config,
      table,
      approvedBy: values["approved-by"],
      monthStart,
      format: values.format,
      maxChars: values.maxChars,
    };
    const run = values["live-prices"]
      ? await costOfPreviewWithLivePrices(options)
      : { ...costOfPreview(options), messages: [] };
    return { ...run, programMessages: [] };
  }
  const { resources, messages } = await resourcesUnderMocks(stack);
  const config = templateConfig(stack, {
    ...common,
    region: values.region,
    resources: resources.map((resource) => ({ side: "after", resource })),
  });
  const estimateWith = (prices: PriceTable) =>
    estimateStack(resources, prices, { stack, region: config.region ?? settings.region, config, monthStart });
  const live = values["live-prices"] ? await livePriceTable(table, estimateWith) : undefined;
  const estimate = estimateWith(live?.table ?? table);
  const output = renderEstimate(estimate, { format: values.format, maxChars: values.maxChars, config });
  if (values["program-warnings"]) for (const message of messages) process.stderr.write(`${message}\n`);
  return { estimate, output, exitCode: 0, programMessages: messages, messages: live?.messages ?? [] };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (argv.includes("--json-schema")) {
    process.stdout.write(`${JSON.stringify(z.toJSONSchema(costReportSchema), null, 2)}\n`);
    process.exit(0);
  }
  costFromArgs(argv).then(
    ({ output, exitCode, messages }) => {
      for (const message of messages) process.stderr.write(`cost: ${message}\n`);
      process.stdout.write(output, () => process.exit(exitCode));
    },
    (error: unknown) => {
      process.stderr.write(`cost: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
      process.exit(EXIT_BAD_INPUT);
    },
  );
}
