import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { AWS_PRICE_TABLE, loadPriceTable, type PriceTable, readPriceTableFile } from "@platform/prices";
import { z } from "zod";
import { type CostEstimate, classify, estimateChanges } from "./estimate";
import { evaluateGuardrail, type GuardrailOutcome, guardrailFor } from "./guardrail";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "./markdown";
import { changesFromPreview, neverDeployed, type PreviewDigest, regionFromPreview } from "./preview";
import { type Budget, costReportSchema, toReport } from "./report";
import { resourcesUnderMocks } from "./run-program";
import { estimateOfStack, FALLBACK_REGION, todayUtc } from "./stack-estimate";
import {
  clusterModeOf,
  REPO_ROOT,
  regionFromStackFile,
  stackConfig,
  stackMonthlyBudget,
} from "./stack-files";
import { loadUsage, USAGE_FILE_PATH } from "./usage-file";

const USAGE = `Usage: npm run cost -- [--preview <pulumi-preview.json>] [--stack dev] [--approved-by <github login>]
                      [--region us-east-1] [--format markdown|json] [--max-chars 65536]
                      [--prices <price table .json>] [--usage infra/cost/usage.yaml] [--at YYYY-MM-DD]
                      [--program-warnings] [--json-schema]

Without --preview, runs the Pulumi program under mocks with the stack's settings (Pulumi.<stack>.yaml) and
prices every resource it creates. With --preview, prices the changes in \`pulumi preview --json\` output and
checks them against the stack's cost guardrail in .github/stacks.json.

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
}

function monthStartFrom(at: string | undefined): Date {
  if (at === undefined) return todayUtc();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(at) || Number.isNaN(Date.parse(`${at}T00:00:00Z`))) {
    throw new Error(`--at must be a date such as 2026-12-01, not ${at}`);
  }
  return new Date(`${at}T00:00:00Z`);
}

/**
 * The preview document, or an error naming the file and what is wrong with it: a failed
 * `pulumi preview --json` leaves an empty or partial file, and "Unexpected end of JSON input" alone
 * does not say which file or why.
 */
export function readPreviewFile(file: string): PreviewDigest {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read the preview file ${file}: ${(error as Error).message}`);
  }
  const hint = "(did `pulumi preview --json` fail? see its log)";
  if (text.trim() === "") throw new Error(`the preview file ${file} is empty ${hint}`);
  let digest: unknown;
  try {
    digest = JSON.parse(text);
  } catch (error) {
    throw new Error(`the preview file ${file} is not JSON ${hint}: ${(error as Error).message}`);
  }
  if (digest === null || typeof digest !== "object" || !Array.isArray((digest as PreviewDigest).steps)) {
    throw new Error(
      `the preview file ${file} is not a \`pulumi preview --json\` document (no "steps") ${hint}`,
    );
  }
  // Without --show-sames the JSON lists only what changes, yet counts the rest in changeSummary.same: the
  // totals would be of the changed resources alone (pulumi/pulumi pkg/backend/display/json.go, shouldShow).
  const same = (digest as { changeSummary?: { same?: number } }).changeSummary?.same ?? 0;
  const sameSteps = ((digest as PreviewDigest).steps ?? []).filter((step) => step.op === "same").length;
  if (same > 0 && sameSteps === 0) {
    throw new Error(
      `the preview file ${file} lists no unchanged resources although ${same} are unchanged: run \`pulumi preview --json --show-sames\` so the totals cover the whole stack`,
    );
  }
  return digest as PreviewDigest;
}

/** What a stack that uses an existing cluster means for the estimate, said once at the top. */
function existingClusterNote(stack: string): string {
  return (
    `Stack \`${stack}\` uses an existing cluster (platform:clusterMode existing): the program creates no AWS resources, ` +
    "and its volumes are not priced, because they get the cluster's own default StorageClass, which the program does not declare " +
    "(kind keeps them in a directory on the machine; AWS bills nothing). Node capacity is the cluster's own and is not checked."
  );
}

/** The stack's monthly budget; none for an existing cluster's stack (it creates no AWS Budget: that is an EKS stack's). */
function budgetOf(stack: string): Budget | undefined {
  return clusterModeOf(stack) === "existing" ? undefined : stackMonthlyBudget(stack);
}

export async function costFromArgs(argv: string[]): Promise<CostRun> {
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
    },
    strict: true,
  });
  if (values.format !== "markdown" && values.format !== "json") {
    throw new Error(`--format must be markdown or json, not ${values.format}`);
  }
  const maxChars = Number(values["max-chars"]);
  if (!Number.isInteger(maxChars) || maxChars < 1000)
    throw new Error("--max-chars must be a whole number ≥ 1000");
  const stack = values.stack;
  stackConfig(stack); // fails first, naming Pulumi.<stack>.yaml and the stacks there are
  const table: PriceTable = values.prices
    ? readPriceTableFile(values.prices)
    : loadPriceTable(AWS_PRICE_TABLE);
  const usage = loadUsage(stack, values.usage);
  const monthStart = monthStartFrom(values.at);
  const existingCluster = clusterModeOf(stack) === "existing";
  let estimate: CostEstimate;
  let guardrail: GuardrailOutcome | undefined;
  let programMessages: string[] = [];
  if (values.preview) {
    const digest = readPreviewFile(values.preview);
    const region =
      values.region ?? regionFromPreview(digest) ?? regionFromStackFile(stack) ?? FALLBACK_REGION;
    estimate = estimateChanges(changesFromPreview(digest), table, { stack, region, usage, monthStart });
    const thresholds = guardrailFor(stack);
    if (thresholds)
      guardrail = evaluateGuardrail(estimate, thresholds, {
        approvedBy: values["approved-by"],
        budget: budgetOf(stack),
        neverDeployed: neverDeployed(digest),
      });
  } else {
    const region = values.region ?? regionFromStackFile(stack) ?? FALLBACK_REGION;
    const { resources, messages } = await resourcesUnderMocks(stack);
    programMessages = messages;
    estimate = estimateOfStack(stack, resources, { table, region, usageFile: values.usage, monthStart });
  }
  if (existingCluster) estimate.notes.unshift(existingClusterNote(stack));
  const budget = budgetOf(stack);
  const context = {
    guardrail,
    budget,
    usageFileLabel: relative(REPO_ROOT, estimate.usage.file ?? values.usage) || values.usage,
    ...(existingCluster ? { scopeNote: existingClusterNote(stack) } : {}),
  };
  const output =
    values.format === "json"
      ? `${JSON.stringify(
          costReportSchema.parse(
            toReport(estimate, { classOf: (row) => classify(row.after ?? row.before), budget, guardrail }),
          ),
          null,
          2,
        )}\n`
      : renderMarkdown(estimate, maxChars, context);
  if (values["program-warnings"]) for (const message of programMessages) process.stderr.write(`${message}\n`);
  return {
    estimate,
    output,
    exitCode: guardrail && !guardrail.passes ? EXIT_OVER_GUARDRAIL : 0,
    ...(guardrail ? { guardrail } : {}),
    programMessages,
  };
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
    ({ output, exitCode }) => {
      process.stdout.write(output, () => process.exit(exitCode));
    },
    (error: unknown) => {
      process.stderr.write(`cost: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
      process.exit(EXIT_BAD_INPUT);
    },
  );
}
