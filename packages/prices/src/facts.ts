import { type PriceFacts, readPriceFacts } from "@platform/price-facts";

/** The price facts @platform/price-facts ships: every figure the price table holds comes from here. */
export const PRICE_FACTS: PriceFacts = readPriceFacts();
