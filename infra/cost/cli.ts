import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { type CostEstimate, estimateChanges, estimateStack } from "./estimate";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "./markdown";
import { changesFromPreview, type PreviewDigest, regionFromPreview } from "./preview";
import { loadPriceTable, PRICE_TABLE_PATH } from "./prices";

const USAGE = `Usage: npm run cost -- [--preview <pulumi-preview.json>] [--stack dev] [--region us-east-1]
                      [--format markdown|json] [--max-chars 65536] [--prices infra/cost/prices.json]

Without --preview, runs the Pulumi program under mocks with the stack's settings and prices
every resource it creates. With --preview, prices the changes in \`pulumi preview --json\` output.`;

const REPO_ROOT = join(__dirname, "..", "..");
const FALLBACK_REGION = "us-east-1";

/**
 * The stack's region from Pulumi.<stack>.yaml at the repository root: the program's own
 * `platform:region`, or the provider's `aws:region`.
 */
export function regionFromStackFile(stack: string, root = REPO_ROOT): string | undefined {
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return undefined;
  const document = parseYaml(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const region = document?.config?.["platform:region"] ?? document?.config?.["aws:region"];
  return typeof region === "string" ? region : undefined;
}

export async function estimateFromArgs(argv: string[]): Promise<{ estimate: CostEstimate; output: string }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      preview: { type: "string" },
      stack: { type: "string", default: "dev" },
      region: { type: "string" },
      format: { type: "string", default: "markdown" },
      "max-chars": { type: "string", default: String(GITHUB_COMMENT_LIMIT) },
      prices: { type: "string", default: PRICE_TABLE_PATH },
    },
    strict: true,
  });
  if (values.format !== "markdown" && values.format !== "json") {
    throw new Error(`--format must be markdown or json, not ${values.format}`);
  }
  const maxChars = Number(values["max-chars"]);
  if (!Number.isInteger(maxChars) || maxChars < 1000)
    throw new Error("--max-chars must be a whole number ≥ 1000");
  const table = loadPriceTable(values.prices);
  const stack = values.stack;
  let estimate: CostEstimate;
  if (values.preview) {
    const digest = readPreviewFile(values.preview);
    const region =
      values.region ?? regionFromPreview(digest) ?? regionFromStackFile(stack) ?? FALLBACK_REGION;
    estimate = estimateChanges(changesFromPreview(digest), table, { stack, region });
  } else {
    const region = values.region ?? regionFromStackFile(stack) ?? FALLBACK_REGION;
    const { runProgramUnderMocks } = await import("../testing/mocks");
    const resources = await runProgramUnderMocks(stack);
    estimate = estimateStack(resources, table, { stack, region });
  }
  const output =
    values.format === "json" ? `${JSON.stringify(estimate, null, 2)}\n` : renderMarkdown(estimate, maxChars);
  return { estimate, output };
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
  return digest as PreviewDigest;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  estimateFromArgs(argv).then(
    ({ output }) => {
      process.stdout.write(output);
    },
    (error: unknown) => {
      process.stderr.write(`cost: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
      process.exit(2);
    },
  );
}
