import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { PricingClient, paginateGetProducts } from "@aws-sdk/client-pricing";
import {
  AWS_PRICE_TABLE,
  loadPriceTable,
  PRICE_KEYS,
  type PriceKey,
  type PriceListProduct,
  type PriceListQuery,
  type PriceTableDocument,
  priceFromProducts,
  priceListQueries,
  pricesByDimension,
  type RegionPricesDocument,
  readPriceTableFile,
} from "@platform/prices";
import { repositoryRoot as REPO_ROOT } from "../stack-config";

/** The module of @platform/prices that holds the table; this tool rewrites it. */
export const PRICE_TABLE_MODULE = join(REPO_ROOT, "packages", "prices", "src", "aws-prices.ts");

export async function getProducts(client: PricingClient, query: PriceListQuery): Promise<PriceListProduct[]> {
  const products: PriceListProduct[] = [];
  const pages = paginateGetProducts(
    { client, pageSize: 100 },
    { ServiceCode: query.serviceCode, Filters: query.filters, FormatVersion: "aws_v1" },
  );
  for await (const page of pages) {
    for (const item of page.PriceList ?? []) products.push(JSON.parse(item) as PriceListProduct);
  }
  return products;
}

type Figures = Record<string, unknown>;

/**
 * A region's prices from the Price List API, one query per service and product family the declared price keys
 * name (price-keys.ts in @platform/prices). A figure the API did not return keeps its previous value and is
 * reported in `missing`, so a partial answer never zeroes a price; the instance and volume types asked for are
 * those the previous entry holds.
 */
export async function fetchRegionPrices(
  client: PricingClient,
  region: string,
  previous: RegionPricesDocument,
): Promise<{ prices: RegionPricesDocument; missing: string[] }> {
  const old = previous as Figures;
  const wanted = (key: PriceKey) => Object.keys((old[key] ?? {}) as Figures);
  const queries = priceListQueries(region, wanted);
  const answers = await Promise.all(queries.map((query) => getProducts(client, query)));
  const prices: Figures = {};
  const missing: string[] = [];
  queries.forEach((query, i) => {
    const products = answers[i] ?? [];
    for (const key of query.keys) {
      if ("per" in PRICE_KEYS[key]) {
        const found = pricesByDimension(key, products);
        for (const name of wanted(key)) if (!found.has(name)) missing.push(`${key}.${name}`);
        prices[key] = { ...((old[key] ?? {}) as Figures), ...Object.fromEntries(found) };
      } else {
        const found = priceFromProducts(key, products);
        if (found === undefined) missing.push(key);
        const figure = found ?? old[key];
        if (figure !== undefined) prices[key] = figure;
      }
    }
  });
  // In the declared order, as the table lists them.
  const ordered = Object.fromEntries(
    Object.keys(PRICE_KEYS)
      .filter((key) => prices[key] !== undefined || old[key] !== undefined)
      .map((key) => [key, prices[key] ?? old[key]]),
  );
  return { prices: ordered as RegionPricesDocument, missing };
}

export async function refreshPriceTable(
  client: PricingClient,
  table: PriceTableDocument,
  regions: string[],
  today: string,
): Promise<{ table: PriceTableDocument; missing: Record<string, string[]> }> {
  const missing: Record<string, string[]> = {};
  const next: PriceTableDocument = { ...table, regions: { ...table.regions }, recorded: today };
  for (const region of regions) {
    const previous = table.regions[region] ?? table.regions["us-east-1"];
    if (!previous) throw new Error(`no existing entry to start ${region} from`);
    const result = await fetchRegionPrices(client, region, previous);
    next.regions[region] = result.prices;
    missing[region] = result.missing;
  }
  next.source = {
    ...table.source,
    kind: "AWS Price List API (GetProducts, us-east-1 endpoint)",
    note: `Fetched ${today} from the AWS Price List API (GetProducts). Values the API did not return kept their previous figure: ${
      Object.entries(missing)
        .filter(([, m]) => m.length > 0)
        .map(([r, m]) => `${r}: ${m.join(", ")}`)
        .join("; ") || "none"
    }.`,
  };
  return { table: next, missing };
}

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
  // The Price List API is served from a few regions only; us-east-1 answers for every region.
  const client = new PricingClient({ region: "us-east-1" });
  const { table: next, missing } = await refreshPriceTable(
    client,
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
