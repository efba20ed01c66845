import { UNSIGNED_DECIMAL_TEXT } from "@platform/numbers";
import { exact } from "./money.js";
import { declarationOf, type PriceKey, type PriceKeyDeclaration, priceKeyNames } from "./price-keys.js";

/**
 * The AWS Price List API (GetProducts) as the declared price keys read it: the queries that fetch a region's
 * products, and the figure of each key in the products they return. No SDK here: the refresh script
 * (`npm run cost:refresh-prices`) and a live mode send the queries with `@aws-sdk/client-pricing`.
 */

/** One entry of GetProducts' PriceList, after JSON.parse (the API returns each as a string). */
export interface PriceListProduct {
  product?: { productFamily?: string; attributes?: Record<string, string> };
  terms?: {
    OnDemand?: Record<
      string,
      {
        priceDimensions?: Record<
          string,
          {
            unit?: string;
            beginRange?: string;
            endRange?: string;
            pricePerUnit?: Record<string, string>;
            description?: string;
          }
        >;
      }
    >;
  };
}

export interface PriceListFilter {
  Type: "TERM_MATCH" | "CONTAINS" | "ANY_OF";
  Field: string;
  Value: string;
}

/** One GetProducts request and the keys its answer serves. */
export interface PriceListQuery {
  serviceCode: string;
  filters: PriceListFilter[];
  keys: PriceKey[];
}

const term = (Field: string, Value: string): PriceListFilter => ({ Type: "TERM_MATCH", Field, Value });

/**
 * The on-demand USD price of a product's first tier (beginRange 0) as the exact decimal the API sent
 * ("0.0960000000" → "0.096"), with its unit; undefined when the product has no on-demand price.
 */
export function onDemandPrice(product: PriceListProduct): { usd: string; unit: string } | undefined {
  for (const onDemand of Object.values(product.terms?.OnDemand ?? {})) {
    const dimensions = Object.values(onDemand.priceDimensions ?? {});
    const first = dimensions.find((d) => (d.beginRange ?? "0") === "0") ?? dimensions[0];
    const usd = first?.pricePerUnit?.USD;
    if (usd !== undefined && UNSIGNED_DECIMAL_TEXT.test(usd))
      return { usd: exact(usd).toFixed(), unit: first?.unit ?? "" };
  }
  return undefined;
}

function attribute(product: PriceListProduct, name: string): string {
  const attributes = product.product?.attributes;
  return attributes && Object.hasOwn(attributes, name) ? (attributes[name] ?? "") : "";
}

/** Whether a product is the one a declaration describes (any value of its `per` attribute). */
function matches(product: PriceListProduct, declaration: PriceKeyDeclaration): boolean {
  if (declaration.productFamily && product.product?.productFamily !== declaration.productFamily) return false;
  for (const [name, value] of Object.entries(declaration.attributes ?? {})) {
    if (attribute(product, name) !== value) return false;
  }
  for (const [name, values] of Object.entries(declaration.allow ?? {})) {
    const value = attribute(product, name);
    if (value !== "" && !values.includes(value)) return false;
  }
  if (declaration.usageType) {
    const usageType = attribute(product, "usagetype");
    if (!usageType.endsWith(declaration.usageType) && !usageType.includes(`${declaration.usageType}.`))
      return false;
  }
  return true;
}

function figure(product: PriceListProduct, declaration: PriceKeyDeclaration): string | undefined {
  const price = onDemandPrice(product);
  if (!price) return undefined;
  return declaration.scale ? declaration.scale(price.usd, price.unit) : price.usd;
}

/** A scalar key's figure in a region's products: the first product that matches its declaration. */
export function priceFromProducts(key: PriceKey, products: readonly PriceListProduct[]): string | undefined {
  const declaration = declarationOf(key);
  for (const product of products) {
    if (!matches(product, declaration)) continue;
    const found = figure(product, declaration);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The usage type a dimension of a `variantUsageType` key is billed under, without the region prefix. */
const usageTypeOfVariant = (declaration: PriceKeyDeclaration, variant: string) =>
  (declaration.variantUsageType ?? "").replace("{variant}", variant);

/** The usage type a key's dimension is asked by, for a key whose usage type names it; undefined otherwise. */
export function variantUsageTypeOf(key: PriceKey, variant: string): string | undefined {
  const declaration = declarationOf(key);
  return declaration.variantUsageType ? usageTypeOfVariant(declaration, variant) : undefined;
}

/**
 * A `per` key's figures in a region's products, by the value of its attribute (zero prices left out). A key
 * whose usage type names the dimension finds the `wanted` dimensions by usage type instead.
 */
export function pricesByDimension(
  key: PriceKey,
  products: readonly PriceListProduct[],
  wanted: readonly string[] = [],
): Map<string, string> {
  const declaration = declarationOf(key);
  const found = new Map<string, string>();
  if (!declaration.per) return found;
  const named = (product: PriceListProduct) => {
    if (!declaration.variantUsageType) return attribute(product, declaration.per?.attribute ?? "");
    const usageType = attribute(product, "usagetype");
    return wanted.find((variant) => usageType.endsWith(usageTypeOfVariant(declaration, variant))) ?? "";
  };
  for (const product of products) {
    if (!matches(product, declaration)) continue;
    const name = named(product);
    const price = figure(product, declaration);
    if (name && price !== undefined && exact(price).greaterThan(0) && !found.has(name))
      found.set(name, price);
  }
  return new Map([...found.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The longest ANY_OF list one query sends: the API reference gives no bound on a filter's Value. */
const ANY_OF_CHARS = 1000;

/** Values in comma-separated lists of at most ANY_OF_CHARS characters each. */
function chunks(values: readonly string[]): string[] {
  const lists: string[] = [];
  let list = "";
  for (const value of values) {
    if (list !== "" && list.length + 1 + value.length > ANY_OF_CHARS) {
      lists.push(list);
      list = "";
    }
    list = list === "" ? value : `${list},${value}`;
  }
  if (list !== "") lists.push(list);
  return lists;
}

/**
 * The queries for a region: one per service, product family, attributes and usage type (matched with CONTAINS,
 * as usage types carry a regional prefix), asking for the `per` values wanted (the instance types and volume
 * types the table already holds, for instance) in lists of at most 1,000 characters.
 */
export function priceListQueries(
  region: string,
  wanted: (key: PriceKey) => readonly string[],
  keys: readonly PriceKey[] = priceKeyNames,
): PriceListQuery[] {
  const groups = new Map<string, PriceListQuery>();
  const add = (key: PriceKey, serviceCode: string, filters: PriceListFilter[]) => {
    const id = `${serviceCode} ${JSON.stringify(filters)}`;
    const group = groups.get(id) ?? { serviceCode, filters, keys: [] };
    group.keys.push(key);
    groups.set(id, group);
  };
  for (const key of keys) {
    const declaration = declarationOf(key);
    if (!declaration.service) continue; // declarationOf fills it from the facts for every key
    const filters: PriceListFilter[] = declaration.global ? [] : [term("regionCode", region)];
    if (declaration.productFamily) filters.push(term("productFamily", declaration.productFamily));
    for (const [name, value] of Object.entries(declaration.attributes ?? {})) filters.push(term(name, value));
    if (declaration.usageType)
      filters.push({ Type: "CONTAINS", Field: "usagetype", Value: declaration.usageType });
    if (!declaration.per) {
      add(key, declaration.service, filters);
      continue;
    }
    if (declaration.variantUsageType) {
      // no attribute names the dimension: one query per dimension, by the usage type that names it
      for (const variant of [...new Set(wanted(key))].sort()) {
        const usageType = usageTypeOfVariant(declaration, variant);
        add(key, declaration.service, [
          ...filters,
          { Type: "CONTAINS", Field: "usagetype", Value: usageType },
        ]);
      }
      continue;
    }
    const field = declaration.per.attribute;
    for (const list of chunks([...new Set(wanted(key))].sort())) {
      add(key, declaration.service, [...filters, { Type: "ANY_OF", Field: field, Value: list }]);
    }
  }
  return [...groups.values()];
}
