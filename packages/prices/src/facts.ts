import { type PriceFacts, readPriceFacts } from "@platform/price-facts";

let facts: PriceFacts | undefined;

/**
 * The price facts @platform/price-facts ships, read and checked when first asked for (a command that prices
 * nothing, `--help`, does not read them): every figure the price table holds comes from here.
 */
export function priceFacts(): PriceFacts {
  facts ??= readPriceFacts();
  return facts;
}
