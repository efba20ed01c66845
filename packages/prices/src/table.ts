import { readFileSync } from "node:fs";
import { UNSIGNED_DECIMAL_TEXT } from "@platform/numbers";
import { z } from "zod";
import { exact, type Money } from "./money.js";
import {
  type PerPriceKey,
  PRICE_KEYS,
  type PriceKey,
  priceKeyNames,
  type RequiredPriceKey,
  type ScalarPriceKey,
} from "./price-keys.js";

/**
 * The shape of a price table, derived from the declared price keys (price-keys.ts): per region, one decimal
 * string per price, or per instance type / volume type for the keys declared `per` one. Decimal strings, never
 * JavaScript numbers, so a price is exactly the digits AWS publishes. A figure may also carry where it was
 * read: `{ "usd": "0.0832", "source": "…", "read": "YYYY-MM-DD" }`. `loadPriceTable` validates a document and
 * turns every price into an exact amount.
 */
const decimal = z
  .string()
  .regex(UNSIGNED_DECIMAL_TEXT, "a decimal price such as 0.0832 (a string, not a number)");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "the date the source was read, YYYY-MM-DD");
const sourcedPrice = z.object({ usd: decimal, source: z.string().min(1), read: day }).strict();
const price = z.union([decimal, sourcedPrice]);
/** A region as AWS spells one; a region a preview names is only looked up live when it has this shape. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** An instance type or volume type as AWS spells one (t3.large, gp3): never a name an object inherits. */
export const DIMENSION_NAME = /^[a-z0-9][a-z0-9.-]{0,63}$/;
const dimension = z.string().regex(DIMENSION_NAME, "an instance type or volume type such as t3.large or gp3");

function regionShape(): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const key of priceKeyNames) {
    const declaration = PRICE_KEYS[key];
    const value =
      "per" in declaration
        ? z.record(dimension, price).describe(`${declaration.description}, by ${declaration.per.what}`)
        : price.describe(declaration.description);
    shape[key] = "required" in declaration && declaration.required ? value : value.optional();
  }
  return z.object(shape).strict();
}

const regionPricesDocument = regionShape();

const datedSource = z.object({ what: z.string().min(1), source: z.string().min(1), read: day }).strict();

export const priceTableDocument = z
  .object({
    currency: z.literal("USD"),
    hoursPerMonth: z.string().regex(/^\d+$/),
    /**
     * When the prices were current: the fetch date after `npm run cost:refresh-prices`, or the date of the
     * published price pages a hand-entered table was copied from (not the day the file was written).
     */
    recorded: z.string().min(1),
    source: z
      .object({ kind: z.string().min(1), note: z.string(), priceListApi: z.unknown().optional() })
      .strict(),
    /** Figures that are not in the Price List API, each with where it was read and when. */
    sources: z.array(datedSource),
    regions: z.record(z.string().regex(REGION_NAME, "an AWS region such as us-east-1"), regionPricesDocument),
  })
  .strict();

type PriceText = string | { usd: string; source: string; read: string };
export type RegionPricesDocument = { [K in RequiredPriceKey]: PriceText } & {
  [K in Exclude<ScalarPriceKey, RequiredPriceKey>]?: PriceText;
} & { [K in PerPriceKey]?: Record<string, PriceText> };

export interface PriceTableDocument {
  currency: "USD";
  hoursPerMonth: string;
  recorded: string;
  source: { kind: string; note: string; priceListApi?: unknown };
  sources: { what: string; source: string; read: string }[];
  regions: Record<string, RegionPricesDocument>;
}

/** A region's prices as exact amounts; the per-type prices as maps, so a hostile type name is only a key. */
export type RegionPrices = { readonly [K in RequiredPriceKey]: Money } & {
  readonly [K in Exclude<ScalarPriceKey, RequiredPriceKey>]?: Money;
} & { readonly [K in PerPriceKey]: ReadonlyMap<string, Money> };

/** A price a run looked up: its region, its key and, for a key held per instance type or volume type, which. */
export interface PriceLookup {
  region: string;
  key: PriceKey;
  dimension?: string;
}

/** A figure answered by the AWS Price List API: a decimal string in the table's unit. */
export interface LiveFigure extends PriceLookup {
  usd: string;
}

/** What the live lookups of a run found, did not find, and could not ask; shown with the price table. */
export interface LivePrices {
  /** when the lookups were made, ISO 8601 to the minute (UTC) */
  at: string;
  /** how every live figure is cited: "AWS Price List API, 2026-12-07 16:40 UTC" */
  source: string;
  found: LiveFigure[];
  /** the API answered, without this price: it stays not priced, never borrowed from another region */
  notFound: PriceLookup[];
  /** never answered (throttled past the retries, over a limit, …), with why */
  failed: (PriceLookup & { reason: string })[];
  /** a problem of the whole run (no credentials, access denied): nothing was asked */
  error?: string;
}

export interface PriceTable {
  currency: "USD";
  hoursPerMonth: Money;
  recorded: string;
  source: PriceTableDocument["source"];
  sources: PriceTableDocument["sources"];
  regions: ReadonlyMap<string, RegionPrices>;
  /** Where a figure was read, for the figures that say so: key `region/price[/type]`. */
  priceSources: ReadonlyMap<string, { source: string; read: string }>;
  /** The document it was loaded from, for tools that rewrite it. */
  document: PriceTableDocument;
  /** What a run asked the AWS Price List API for what the table lacks (`--live-prices`), when it did. */
  live?: LivePrices;
}

const usdOf = (value: PriceText) => (typeof value === "string" ? value : value.usd);

function loadRegion(
  region: string,
  document: RegionPricesDocument,
  sources: Map<string, { source: string; read: string }>,
): RegionPrices {
  const prices: Record<string, Money | ReadonlyMap<string, Money>> = Object.create(null);
  const remember = (id: string, value: PriceText) => {
    if (typeof value !== "string") sources.set(id, { source: value.source, read: value.read });
  };
  for (const key of priceKeyNames) {
    const value = (document as Record<string, PriceText | Record<string, PriceText> | undefined>)[key];
    if ("per" in PRICE_KEYS[key]) {
      const byDimension = new Map<string, Money>();
      for (const [name, figure] of Object.entries((value ?? {}) as Record<string, PriceText>)) {
        byDimension.set(name, exact(usdOf(figure)));
        remember(`${region}/${key}/${name}`, figure);
      }
      prices[key] = byDimension;
    } else if (value !== undefined) {
      prices[key] = exact(usdOf(value as PriceText));
      remember(`${region}/${key}`, value as PriceText);
    }
  }
  return prices as unknown as RegionPrices;
}

function problemsOf(issues: z.core.$ZodIssue[], prefix: (string | number)[] = []): string {
  return issues
    .map((issue) => `${[...prefix, ...issue.path].map(String).join(".") || "(top)"}: ${issue.message}`)
    .join("\n  ");
}

/** Everything but the regions' prices, which are checked region by region (see `RegionsOnFirstUse`). */
const priceTableHead = priceTableDocument.extend({
  regions: z.record(z.string().regex(REGION_NAME, "an AWS region such as us-east-1"), z.unknown()),
});

/**
 * A table's regions as a read-only map whose regions are made when asked for: what makes them is `get`, what
 * names them `keys`; iterating makes each in turn.
 */
export abstract class RegionsMadeWhenAsked implements ReadonlyMap<string, RegionPrices> {
  abstract get size(): number;
  abstract has(region: string): boolean;
  abstract get(region: string): RegionPrices | undefined;
  abstract keys(): MapIterator<string>;
  *entries(): MapIterator<[string, RegionPrices]> {
    for (const region of this.keys()) {
      const prices = this.get(region);
      if (prices) yield [region, prices];
    }
  }
  *values(): MapIterator<RegionPrices> {
    for (const [, prices] of this.entries()) yield prices;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  forEach(each: (prices: RegionPrices, region: string, map: ReadonlyMap<string, RegionPrices>) => void) {
    for (const [region, prices] of this.entries()) each(prices, region, this);
  }
}

/**
 * The regions of a table, each checked and turned into exact amounts the first time it is asked for: a run
 * that prices one region of ten pays for one (the shipped table holds thousands of prices).
 */
class RegionsOnFirstUse extends RegionsMadeWhenAsked {
  readonly #loaded = new Map<string, RegionPrices>();
  constructor(
    private readonly documents: Record<string, unknown>,
    private readonly priceSources: Map<string, { source: string; read: string }>,
    private readonly origin: string,
    /** false for a table made from facts checked when they loaded (the shipped one): not checked twice */
    private readonly check: boolean,
  ) {
    super();
  }
  get size() {
    return Object.keys(this.documents).length;
  }
  has(region: string) {
    return Object.hasOwn(this.documents, region);
  }
  get(region: string): RegionPrices | undefined {
    if (!this.has(region)) return undefined;
    let prices = this.#loaded.get(region);
    if (!prices) {
      prices = loadRegion(region, this.checked(region), this.priceSources);
      this.#loaded.set(region, prices);
    }
    return prices;
  }
  private checked(region: string): RegionPricesDocument {
    if (!this.check) return this.documents[region] as RegionPricesDocument;
    const parsed = regionPricesDocument.safeParse(this.documents[region]);
    if (!parsed.success) {
      throw new Error(
        `${this.origin} is not a valid price table:\n  ${problemsOf(parsed.error.issues, ["regions", region])}`,
      );
    }
    return parsed.data as RegionPricesDocument;
  }
  keys() {
    return Object.keys(this.documents)[Symbol.iterator]();
  }
}

/**
 * Validates a price table document; the error names every bad field. `regions: "on first use"` checks and
 * loads a region when a lookup first asks for it (for the shipped table); by default every region is checked
 * now, so a bad file fails before anything is priced. `madeFromCheckedFacts`: the document was made by this
 * package from price facts checked when they loaded (the shipped table), so its regions are not checked again;
 * the tests check the shipped table whole.
 */
export function loadPriceTable(
  document: unknown,
  origin = "the price table",
  {
    regions = "now",
    madeFromCheckedFacts = false,
  }: { regions?: "now" | "on first use"; madeFromCheckedFacts?: boolean } = {},
): PriceTable {
  let table = document as PriceTableDocument;
  // A document made from checked facts is taken as it is: reading every region to check it would make all ten.
  if (!madeFromCheckedFacts) {
    const parsed = priceTableHead.safeParse(document);
    if (!parsed.success)
      throw new Error(`${origin} is not a valid price table:\n  ${problemsOf(parsed.error.issues)}`);
    table = parsed.data as unknown as PriceTableDocument;
  }
  const priceSources = new Map<string, { source: string; read: string }>();
  const byRegion = new RegionsOnFirstUse(table.regions, priceSources, origin, !madeFromCheckedFacts);
  if (regions === "now") for (const _ of byRegion.values());
  return {
    currency: table.currency,
    hoursPerMonth: exact(table.hoursPerMonth),
    recorded: table.recorded,
    source: table.source,
    sources: table.sources,
    regions: byRegion,
    priceSources,
    document: table,
  };
}

/** A price table kept in a JSON file (for `--prices <file>`), at most 16 MiB. */
export function readPriceTableFile(path: string): PriceTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the price table ${path}: ${(error as Error).message}`);
  }
  if (text.length > 16 * 2 ** 20) throw new Error(`the price table ${path} is larger than 16 MiB`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`the price table ${path} is not JSON: ${(error as Error).message}`);
  }
  return loadPriceTable(document, path);
}

/** A region's prices, or undefined when the table has no such region. */
export function pricesIn(table: PriceTable, region: string): RegionPrices | undefined {
  return table.regions.get(region);
}

/** A region's prices, or an error that says which regions the table has and how to add one. */
export function regionPrices(table: PriceTable, region: string): RegionPrices {
  const prices = table.regions.get(region);
  if (!prices) {
    throw new Error(
      `no prices for region ${region} in the price table (have: ${[...table.regions.keys()].join(", ")}); ` +
        `add it with \`npm run cost:refresh-prices -- --region ${region}\``,
    );
  }
  return prices;
}

/** One price of a region: a scalar price, or the figure for one instance type / volume type. */
export function priceIn(prices: RegionPrices, key: PriceKey, dimension?: string): Money | undefined {
  const value = prices[key];
  if (value instanceof Map) return dimension === undefined ? undefined : value.get(dimension);
  return value as Money | undefined;
}
