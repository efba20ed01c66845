import { priceFacts } from "./facts.js";
import { priceTableFromFacts } from "./facts-table.js";
import { loadPriceTable, type PriceTable, type PriceTableDocument } from "./table.js";

/**
 * The AWS price table the engine and the cost exporter read: made from the price facts (@platform/price-facts),
 * the one place the figures and their sources live. `npm run cost:refresh-prices` rewrites the facts.
 */
export const AWS_PRICE_TABLE: PriceTableDocument = madeOnFirstRead(() => priceTableFromFacts(priceFacts()));

/** A document whose fields are made together when one is first read (loading the module reads no facts). */
function madeOnFirstRead(make: () => PriceTableDocument): PriceTableDocument {
  let made: PriceTableDocument | undefined;
  const document = {} as PriceTableDocument;
  const fields = ["currency", "hoursPerMonth", "recorded", "source", "sources", "regions"] as const;
  for (const field of fields satisfies readonly (keyof PriceTableDocument)[]) {
    Object.defineProperty(document, field, {
      enumerable: true,
      get() {
        made ??= make();
        return made[field];
      },
    });
  }
  return document;
}

/**
 * The shipped table for one run: each region is made exact only when a lookup first asks for it (a preview in
 * one region does not pay for ten), and not checked again, since it is made from facts checked when they loaded.
 */
export function loadShippedPriceTable(): PriceTable {
  return loadPriceTable(AWS_PRICE_TABLE, "the shipped price table", {
    regions: "on first use",
    madeFromCheckedFacts: true,
  });
}
