/**
 * GetProducts filters as the Price List Query API documents them (API_pricing_Filter): TERM_MATCH and
 * EQUALS (the field equals the value), CONTAINS (substring), ANY_OF and NONE_OF (a comma-separated list).
 * `Field` is `ServiceCode`, `productFamily`, `sku` or any attribute name.
 */
import { z } from "zod";
import type { Product } from "./catalogue.js";

export const FILTER_TYPES = ["TERM_MATCH", "EQUALS", "CONTAINS", "ANY_OF", "NONE_OF"] as const;

export const filterSchema = z.object({
  Type: z.enum(FILTER_TYPES),
  Field: z.string().min(1).max(1024),
  Value: z.string().max(8192),
});
export type Filter = z.infer<typeof filterSchema>;

function fieldOf(product: Product, field: string): string | undefined {
  if (field === "ServiceCode") return product.servicecode;
  if (field === "productFamily") return product.productFamily;
  if (field === "sku") return product.sku;
  return Object.hasOwn(product.attributes, field) ? product.attributes[field] : undefined;
}

const listOf = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** A predicate for one filter; lists are split once, not per product. */
export function compileFilter(filter: Filter): (product: Product) => boolean {
  const { Type, Field, Value } = filter;
  if (Type === "ANY_OF" || Type === "NONE_OF") {
    const values = new Set(listOf(Value));
    const wanted = Type === "ANY_OF";
    return (product) => {
      const actual = fieldOf(product, Field);
      if (actual === undefined) return !wanted;
      return values.has(actual) === wanted;
    };
  }
  if (Type === "CONTAINS") return (product) => fieldOf(product, Field)?.includes(Value) ?? false;
  return (product) => fieldOf(product, Field) === Value;
}

/** Products that match every filter (the API ANDs them). */
export function matchAll(products: readonly Product[], filters: readonly Filter[]): Product[] {
  const predicates = filters.map(compileFilter);
  return products.filter((product) => predicates.every((matches) => matches(product)));
}
