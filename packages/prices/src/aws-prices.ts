import { PRICE_FACTS } from "./facts.js";
import { priceTableFromFacts } from "./facts-table.js";
import type { PriceTableDocument } from "./table.js";

/**
 * The AWS price table the engine and the cost exporter read: made from the price facts (@platform/price-facts),
 * the one place the figures and their sources live. `npm run cost:refresh-prices` rewrites the facts.
 */
export const AWS_PRICE_TABLE: PriceTableDocument = priceTableFromFacts(PRICE_FACTS);
