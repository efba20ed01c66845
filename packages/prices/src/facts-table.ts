import { type PriceFacts, SINGLE_PRICE } from "@platform/price-facts";
import { exact } from "./money.js";
import { declarationOf, PRICE_KEYS, type PriceKey, priceKeyNames } from "./price-keys.js";
import type { PriceTableDocument, RegionPricesDocument } from "./table.js";

/**
 * The price table made from the price facts, the one place the figures live: each declared price key reads its
 * component (or, for the EBS keys, one component per volume type), region by region. A region where a
 * component has no figure has no such price: what needs it is not priced there, never at another region's
 * price. Every figure carries its source's id and the day it was read; the sources themselves are listed once.
 */
type Sourced = { usd: string; source: string; read: string };

/** The order `localeCompare` gives, with one collator for every comparison rather than one made for each. */
const byName = new Intl.Collator();

/** A decimal with no leading zero before its point and no trailing zero after it: what `toFixed()` prints. */
const CANONICAL_DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

type Component = PriceFacts["components"][number];

/** The facts' components by id, looked up once per price rather than searched for. */
function componentsById(facts: PriceFacts) {
  const byId = new Map(facts.components.map((c) => [c.id, c]));
  return (key: PriceKey, id: string): Component => {
    const component = byId.get(id);
    if (!component) throw new Error(`${key}: the price facts have no component ${id}`);
    return component;
  };
}

/** dimension ("*" for a scalar key) → the component and variant it is read from */
function partsOf(
  key: PriceKey,
  component: (key: PriceKey, id: string) => Component,
): [string, string, string][] {
  const declaration = PRICE_KEYS[key];
  if (typeof declaration.facts !== "string") {
    return Object.entries(declaration.facts).map(([dimension, id]) => [dimension, id, SINGLE_PRICE]);
  }
  const { id, prices } = component(key, declaration.facts);
  if (!("per" in declaration)) return [[SINGLE_PRICE, id, SINGLE_PRICE]];
  return Object.keys(prices).map((variant) => [variant, id, variant]);
}

/** The facts' entry a region's price is read from. */
function entryOf(key: PriceKey, component: Component, variant: string, region: string) {
  // A global service (Cost Explorer) is billed the same whatever the region: its one figure serves every region.
  const byRegion = component.prices[variant];
  return byRegion?.[region] ?? (declarationOf(key).global ? Object.values(byRegion ?? {})[0] : undefined);
}

function figure(facts: PriceFacts, key: PriceKey, component: Component, variant: string, region: string) {
  const { scale } = declarationOf(key);
  const entry = entryOf(key, component, variant, region);
  if (!entry) return undefined;
  const read = facts.sources[entry.source]?.read ?? facts.compiled;
  // As the Price List API's figures are read ("0.50" is 0.5), so a refresh compares like with like; a figure
  // already written so (most are) is kept as it is rather than parsed and printed again.
  const usd = scale
    ? scale(entry.usd, component.unit)
    : CANONICAL_DECIMAL.test(entry.usd)
      ? entry.usd
      : exact(entry.usd).toFixed();
  return { usd, source: entry.source, read };
}

/** Each price key's parts: its dimension, the component and the variant it is read from. */
type Parts = ReadonlyMap<PriceKey, [string, Component, string][]>;

function regionOf(facts: PriceFacts, region: string, parts: Parts): RegionPricesDocument {
  const prices: Record<string, Sourced | Record<string, Sourced>> = {};
  for (const key of priceKeyNames) {
    const found = new Map<string, Sourced>();
    for (const [dimension, component, variant] of parts.get(key) ?? []) {
      const value = figure(facts, key, component, variant, region);
      if (value) found.set(dimension, value);
    }
    if (found.size === 0) continue;
    prices[key] =
      "per" in PRICE_KEYS[key]
        ? Object.fromEntries([...found].sort(([a], [b]) => byName.compare(a, b)))
        : (found.get(SINGLE_PRICE) as Sourced);
  }
  return prices as RegionPricesDocument;
}

/** Which price keys read a source, for the table's list of sources: from the facts, no region being made. */
function keysBySource(facts: PriceFacts, parts: Parts): Map<string, Set<string>> {
  const bySource = new Map<string, Set<string>>();
  for (const region of Object.keys(facts.regions)) {
    for (const key of priceKeyNames) {
      for (const [, component, variant] of parts.get(key) ?? []) {
        const source = entryOf(key, component, variant, region)?.source;
        if (source) bySource.set(source, (bySource.get(source) ?? new Set()).add(key));
      }
    }
  }
  return bySource;
}

/** `target[key]`, made by `make` when first read and kept (enumerable: JSON and copies see it as data). */
function onFirstRead(target: object, key: string, make: () => unknown): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}

export function priceTableFromFacts(facts: PriceFacts): PriceTableDocument {
  const component = componentsById(facts);
  const parts = new Map(
    priceKeyNames.map((key) => [
      key,
      partsOf(key, component).map(([dimension, id, variant]): [string, Component, string] => [
        dimension,
        component(key, id),
        variant,
      ]),
    ]),
  );
  // Each region is made when first read: a run that prices one region makes one of ten.
  const regions: Record<string, RegionPricesDocument> = {};
  for (const region of Object.keys(facts.regions))
    onFirstRead(regions, region, () => regionOf(facts, region, parts));
  const used = keysBySource(facts, parts);
  return {
    currency: "USD",
    hoursPerMonth: "730",
    recorded: `price facts compiled ${facts.compiled}`,
    source: {
      kind: "published on-demand list prices, each with its source",
      note: "Every figure comes from the price facts of @platform/price-facts with the source it was read from; a price a region lacks there is not priced in that region. `npm run cost:refresh-prices` rewrites the facts from the AWS Price List API.",
    },
    sources: Object.entries(facts.sources)
      .filter(([id]) => used.has(id))
      .map(([id, source]) => ({
        what: `${id} (${[...(used.get(id) ?? [])].join(", ")})`,
        source: source.reference,
        read: source.read,
      })),
    regions,
  };
}
