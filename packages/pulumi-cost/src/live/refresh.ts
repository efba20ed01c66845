import {
  type LiveFigure,
  type LivePrices,
  PRICE_KEYS,
  type PriceKey,
  type PriceLookup,
  type PriceTableDocument,
  priceKeyNames,
  type RegionPricesDocument,
} from "@platform/prices";
import { fetchLivePrices, type LivePriceOptions } from "./live-prices.js";

/**
 * A region of a table asks for far more than one preview: every declared price and every type any region
 * holds (some 2,900 lookups with the shipped facts). The same concurrency, retries and page bounds as a run's
 * live prices (pulumi-cost), with room for a region; the regions are asked one after another, each within
 * these bounds, so a table that grows by regions or types is never cut short at a total.
 */
const REFRESH_LIMITS = { lookups: 20_000, queries: 2_000, deadlineMs: 15 * 60_000 };

type Figures = Record<string, unknown>;

/** Every declared price of a region, the instance and volume types those any region of the table holds. */
function lookupsOf(region: string, table: PriceTableDocument): PriceLookup[] {
  const dimensions = (key: PriceKey) =>
    [
      ...new Set(
        Object.values(table.regions).flatMap((prices) =>
          Object.keys(((prices as Figures)[key] ?? {}) as Figures),
        ),
      ),
    ].sort();
  return priceKeyNames.flatMap((key): PriceLookup[] =>
    "per" in PRICE_KEYS[key]
      ? dimensions(key).map((dimension) => ({ region, key, dimension }))
      : [{ region, key }],
  );
}

/**
 * Regions' prices from the Price List API, one query per key and region (price-keys.ts in @platform/prices
 * declares them; pulumi-cost's live prices send them). A figure the API did not return keeps its previous
 * value and is reported in `missing`, so a partial answer never zeroes a price.
 */
export async function refreshPriceTable(
  table: PriceTableDocument,
  regions: string[],
  today: string,
  options: LivePriceOptions = {},
): Promise<{ table: PriceTableDocument; missing: Record<string, string[]>; found: LiveFigure[] }> {
  const live: Pick<LivePrices, "found" | "notFound" | "failed"> = { found: [], notFound: [], failed: [] };
  for (const region of regions) {
    const answer = await fetchLivePrices(lookupsOf(region, table), {
      ...options,
      limits: { ...REFRESH_LIMITS, ...options.limits },
    });
    if (answer.error) throw new Error(`the Price List API cannot be used: ${answer.error}`);
    live.found.push(...answer.found);
    live.notFound.push(...answer.notFound);
    live.failed.push(...answer.failed);
  }
  const next: PriceTableDocument = { ...table, regions: { ...table.regions }, recorded: today };
  const missing: Record<string, string[]> = Object.fromEntries(regions.map((region) => [region, []]));
  for (const lookup of [...live.notFound, ...live.failed]) {
    missing[lookup.region]?.push(lookup.dimension ? `${lookup.key}.${lookup.dimension}` : lookup.key);
  }
  for (const region of regions) {
    // A new region asks for the types another region holds, but never keeps that region's figures.
    const prices: Figures = structuredClone((table.regions[region] ?? {}) as Figures);
    for (const { key, dimension, usd } of live.found.filter((f) => f.region === region)) {
      if (dimension === undefined) prices[key] = usd;
      else prices[key] = { ...((prices[key] ?? {}) as Figures), [dimension]: usd };
    }
    // In the declared order, as the table lists them; types in order of name.
    next.regions[region] = Object.fromEntries(
      priceKeyNames
        .filter((key) => prices[key] !== undefined)
        .map((key: PriceKey) => [
          key,
          "per" in PRICE_KEYS[key] ? sorted(prices[key] as Figures) : prices[key],
        ]),
    ) as RegionPricesDocument;
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
  return { table: next, missing, found: live.found };
}

const sorted = (figures: Figures) =>
  Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
