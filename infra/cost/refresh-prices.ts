import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatPriceFacts, PRICE_FACTS_FILE, type PriceFacts, readPriceFacts } from "@platform/price-facts";
import { factsWithFigures, priceTableFromFacts, readPriceTableFile } from "@platform/prices";
import { refreshPriceTable } from "pulumi-cost";

/** The facts of a refresh on `today`: the source every figure the API answered is cited with. */
export function refreshSource(today: string): [string, PriceFacts["sources"][string]] {
  return [
    `aws-price-list-api-${today}`,
    {
      reference: "AWS Price List Query API, GetProducts (https://api.pricing.us-east-1.amazonaws.com)",
      stated: today,
      statedAs: `fetched ${today} by npm run cost:refresh-prices`,
      read: today,
    },
  ];
}

/** The facts with what the API answered; the figures it did not answer keep their value and source. */
export async function refreshFacts(
  facts: PriceFacts,
  regions: readonly string[],
  today: string,
): Promise<{ facts: PriceFacts; missing: Record<string, string[]> }> {
  // pulumi-cost's Price List client: us-east-1 answers for every region; AWS credentials from the environment.
  const { found, missing } = await refreshPriceTable(priceTableFromFacts(facts), [...regions], today);
  const [id, source] = refreshSource(today);
  return { facts: factsWithFigures(facts, found, id, source), missing };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      region: { type: "string", multiple: true },
      prices: { type: "string" },
    },
  });
  const today = new Date().toISOString().slice(0, 10);
  let missing: Record<string, string[]>;
  if (values.prices) {
    // --prices <file.json> refreshes a JSON price table (pulumi-cost --prices) in place.
    const table = readPriceTableFile(values.prices).document;
    const refreshed = await refreshPriceTable(table, values.region ?? Object.keys(table.regions), today);
    writeFileSync(values.prices, `${JSON.stringify(refreshed.table, null, 2)}\n`);
    missing = refreshed.missing;
  } else {
    // By default the price facts, the one place the engine's and the exporter's prices come from.
    const facts = readPriceFacts();
    const refreshed = await refreshFacts(facts, values.region ?? Object.keys(facts.regions), today);
    writeFileSync(PRICE_FACTS_FILE, formatPriceFacts(refreshed.facts));
    missing = refreshed.missing;
  }
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
