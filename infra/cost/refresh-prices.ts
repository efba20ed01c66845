import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  AWS_PRICE_TABLE,
  loadPriceTable,
  type PriceTableDocument,
  readPriceTableFile,
} from "@platform/prices";
import { refreshPriceTable } from "pulumi-cost";
import { repositoryRoot as REPO_ROOT } from "../stack-config";

/** The module of @platform/prices that holds the table; this tool rewrites it. */
export const PRICE_TABLE_MODULE = join(REPO_ROOT, "packages", "prices", "src", "aws-prices.ts");

/** The table as the TypeScript module @platform/prices exports, formatted as the repository formats code. */
export function renderPriceTableModule(table: PriceTableDocument): string {
  loadPriceTable(table, "the refreshed table"); // never write a table the loader would refuse
  const source = `import type { PriceTableDocument } from "./table.js";

/**
 * The checked-in AWS price table: on-demand list prices per region, as decimal strings. Rewritten by
 * \`npm run cost:refresh-prices\` (AWS Price List API); edit by hand only to add a figure the API lacks, with
 * its source and the date you read it in \`sources\`.
 */
export const AWS_PRICE_TABLE: PriceTableDocument = ${JSON.stringify(table, null, 2)};
`;
  // Biome formats it as it formats the file in place, so `npm run lint` stays clean after a refresh.
  const biome = join(REPO_ROOT, "node_modules", ".bin", "biome");
  const formatted = spawnSync(
    biome,
    ["format", `--stdin-file-path=${relative(REPO_ROOT, PRICE_TABLE_MODULE)}`],
    {
      cwd: REPO_ROOT,
      input: source,
      encoding: "utf8",
    },
  );
  if (formatted.status !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
  return formatted.stdout;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      region: { type: "string", multiple: true },
      prices: { type: "string" },
    },
  });
  // --prices <file.json> refreshes a JSON table in place; by default the module of @platform/prices.
  const table = values.prices ? readPriceTableFile(values.prices).document : AWS_PRICE_TABLE;
  const regions = values.region ?? Object.keys(table.regions);
  // pulumi-cost's Price List client: us-east-1 answers for every region; AWS credentials from the environment.
  const { table: next, missing } = await refreshPriceTable(
    table,
    regions,
    new Date().toISOString().slice(0, 10),
  );
  if (values.prices) writeFileSync(values.prices, `${JSON.stringify(next, null, 2)}\n`);
  else writeFileSync(PRICE_TABLE_MODULE, renderPriceTableModule(next));
  for (const [region, keys] of Object.entries(missing)) {
    process.stdout.write(
      `${region}: ${keys.length === 0 ? "all prices refreshed" : `kept previous ${keys.join(", ")}`}\n`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`refresh-prices: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
