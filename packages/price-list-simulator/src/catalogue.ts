/**
 * The simulator's products: one Price List product per price fact, in the GetProducts format (aws_v1):
 * `product.attributes`, `terms.OnDemand.<sku>.<term>.priceDimensions.<rate>.pricePerUnit.USD`. Built once
 * at start; requests only read it, so memory does not grow with traffic.
 */
import { createHash } from "node:crypto";
import { type PriceFacts, type PriceRow, priceRows } from "@platform/price-facts";

/** AWS's offer term code for on-demand and rate code suffix, the same in every on-demand product. */
const ON_DEMAND_TERM = "JRTCKXETXF";
const ON_DEMAND_RATE = "6YS6EN2CT7";

export interface Product {
  sku: string;
  servicecode: string;
  productFamily: string;
  attributes: Readonly<Record<string, string>>;
  /** The PriceList entry exactly as GetProducts returns it: a JSON string. */
  priceListItem: string;
}

export interface Catalogue {
  /** Service code → its products, ordered by SKU (the page order). */
  products: ReadonlyMap<string, readonly Product[]>;
  /** Service code → the attribute names its products carry, sorted. */
  attributeNames: ReadonlyMap<string, readonly string[]>;
}

/** A stable 16-character SKU in AWS's alphabet, so the same fact always has the same SKU. */
function skuOf(row: PriceRow, attributes: Record<string, string>): string {
  const key = JSON.stringify([row.component.servicecode, row.component.productFamily, attributes]);
  const digest = createHash("sha256").update(key).digest();
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return Array.from(digest.subarray(0, 16), (byte) => alphabet[byte % 32]).join("");
}

/** "0.0104" → "0.0104000000": the ten decimals the Price List writes (more when the price has more). */
export function priceListDecimal(usd: string): string {
  const [whole, fraction = ""] = usd.split(".");
  return `${whole}.${fraction.padEnd(10, "0")}`;
}

function productOf(facts: PriceFacts, row: PriceRow): Product {
  const region = facts.regions[row.region];
  const attributes: Record<string, string> = {
    ...row.attributes,
    servicecode: row.component.servicecode,
    location: region?.location ?? row.region,
    locationType: "AWS Region",
    regionCode: row.region,
    usagetype: row.usagetype,
  };
  const sku = skuOf(row, attributes);
  const source = facts.sources[row.source];
  const effective = `${source?.stated ?? facts.compiled}T00:00:00Z`;
  const term = `${sku}.${ON_DEMAND_TERM}`;
  const rate = `${term}.${ON_DEMAND_RATE}`;
  const item = {
    product: { productFamily: row.component.productFamily, attributes, sku },
    serviceCode: row.component.servicecode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [rate]: {
              unit: row.component.unit,
              endRange: "Inf",
              description: `$${row.usd} per ${row.component.unit}: ${row.component.what}${
                row.variant === "*" ? "" : ` (${row.variant})`
              }, ${attributes.location}`,
              appliesTo: [],
              rateCode: rate,
              beginRange: "0",
              pricePerUnit: { USD: priceListDecimal(row.usd) },
            },
          },
          sku,
          effectiveDate: effective,
          offerTermCode: ON_DEMAND_TERM,
          termAttributes: {},
        },
      },
    },
    version: facts.compiled.replaceAll("-", ""),
    publicationDate: `${facts.compiled}T00:00:00Z`,
  };
  return {
    sku,
    servicecode: row.component.servicecode,
    productFamily: row.component.productFamily,
    attributes,
    priceListItem: JSON.stringify(item),
  };
}

export function buildCatalogue(facts: PriceFacts): Catalogue {
  const products = new Map<string, Product[]>();
  const names = new Map<string, Set<string>>();
  for (const row of priceRows(facts)) {
    const product = productOf(facts, row);
    const list = products.get(product.servicecode) ?? [];
    list.push(product);
    products.set(product.servicecode, list);
    const known = names.get(product.servicecode) ?? new Set<string>();
    for (const name of Object.keys(product.attributes)) known.add(name);
    names.set(product.servicecode, known);
  }
  for (const list of products.values()) list.sort((a, b) => a.sku.localeCompare(b.sku));
  return {
    products,
    attributeNames: new Map([...names].map(([service, set]) => [service, [...set].sort()])),
  };
}
