import { readFileSync } from "node:fs";
import { type PriceComponent, type PriceFacts, priceFactsDocument } from "./schema.js";

export {
  INSTANCE_CAPACITY_FILE,
  type InstanceCapacityDocument,
  type InstanceCapacityRow,
  instanceCapacityDocument,
  loadInstanceCapacity,
  readInstanceCapacity,
} from "./capacity.js";
export {
  componentDocument,
  decimalString,
  type PriceComponent,
  type PriceFacts,
  type PriceSource,
  priceFactsDocument,
} from "./schema.js";

/** The facts file this package ships. */
export const PRICE_FACTS_FILE = new URL(
  "../data/price-facts.json",
  // The template's Pulumi program type-checks the price table (which reads these facts) as CommonJS, where
  // `import.meta` is refused at compile time; this package only ever runs as an ES module.
  // biome-ignore lint/suspicious/noTsIgnore: an expect-error would fail the ES-module type-check, where it is valid
  // @ts-ignore TS1343 under the CommonJS type-check only (an expect-error would fail the ES-module one)
  import.meta.url,
);

/** The key of a component's price when it has no variants. */
export const SINGLE_PRICE = "*";

/** One price as the Price List would carry it, with its source. */
export interface PriceRow {
  component: PriceComponent;
  variant: string;
  region: string;
  usd: string;
  source: string;
  /** The usage type with its region prefix, as the Price List spells it in that region. */
  usagetype: string;
  /** The component's attributes with `{variant}` filled in. */
  attributes: Record<string, string>;
}

/**
 * Validates a facts document and the references inside it; the error names every problem, so a bad edit
 * fails before any estimate is made from it.
 */
export function loadPriceFacts(document: unknown, origin = "the price facts"): PriceFacts {
  const parsed = priceFactsDocument.safeParse(document);
  const problems = parsed.success
    ? crossCheck(parsed.data)
    : parsed.error.issues.map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`);
  if (!parsed.success || problems.length > 0) {
    throw new Error(`${origin} are not valid:\n  ${problems.slice(0, 50).join("\n  ")}`);
  }
  return parsed.data;
}

function crossCheck(facts: PriceFacts): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const component of facts.components) {
    if (ids.has(component.id)) problems.push(`${component.id}: the id is used twice`);
    ids.add(component.id);
    const single = component.variantIs === null;
    for (const [variant, byRegion] of Object.entries(component.prices)) {
      if (single !== (variant === SINGLE_PRICE)) {
        problems.push(`${component.id}.${variant}: use "${SINGLE_PRICE}" exactly when variantIs is null`);
      }
      for (const [region, entry] of Object.entries(byRegion)) {
        const where = `${component.id}.${variant}.${region}`;
        if (!Object.hasOwn(facts.regions, region)) problems.push(`${where}: unknown region`);
        if (!Object.hasOwn(facts.sources, entry.source))
          problems.push(`${where}: unknown source ${entry.source}`);
      }
    }
  }
  return problems;
}

/** Biome's line width (biome.json, whose `files.maxSize` of 4 MiB leaves room for a price in every region): the
 * file keeps the layout `npm run lint` checks. */
const LINE_WIDTH = 110;

/** A JSON line that opens an array (`"key": [`) or an object, and one that is a single string or number item. */
const OPENS_ARRAY = /^(\s*(?:"[^"\n]*": )?)\[$/;
const OPENS_OBJECT = /^(\s*"[^"\n]*": )\{$/;
const SCALAR_ITEM = /^\s*("(?:[^"\\\n]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)(,?)$/;

/**
 * The facts as the shipped file writes them, for whatever rewrites it (the facts as loaded or as written):
 * two-space JSON with each price on one line, the bare decimal where its source is the component's most used
 * one (named once, as `source`) and `{ "usd": …, "source": … }` otherwise, and an array of strings or numbers
 * on one line where it fits, as Biome formats it. Some 28,000 prices fit in under a half of indented JSON.
 */
export function formatPriceFacts(facts: unknown): string {
  const lines = JSON.stringify(withBarePrices(facts), null, 2).split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const price = collapsedPrice(lines, i);
    const list = price ? undefined : collapsedList(lines, i);
    const collapsed = price ?? list;
    if (collapsed && collapsed.text.length <= LINE_WIDTH) {
      out.push(collapsed.text);
      i = collapsed.end;
    } else out.push(line);
  }
  return `${out.join("\n")}\n`;
}

type Written = Record<string, unknown>;
const isObject = (value: unknown): value is Written =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Each component's prices of its most used source bare, that source named once beside them. */
function withBarePrices(facts: unknown): unknown {
  if (!isObject(facts) || !Array.isArray(facts.components)) return facts;
  return { ...facts, components: facts.components.map(withMainSource) };
}

function withMainSource(component: unknown): unknown {
  if (!isObject(component) || !isObject(component.prices)) return component;
  const { source: written, prices, ...rest } = component;
  const sourceOf = (entry: unknown) => (isObject(entry) ? entry.source : written);
  const uses = new Map<unknown, number>();
  for (const byRegion of Object.values(prices)) {
    if (!isObject(byRegion)) return component;
    for (const entry of Object.values(byRegion))
      uses.set(sourceOf(entry), (uses.get(sourceOf(entry)) ?? 0) + 1);
  }
  // the most used; on a tie the first in sort order, so the facts as loaded and as written agree
  const [main] = [...uses]
    .filter((use): use is [string, number] => typeof use[0] === "string")
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))[0] ?? [undefined];
  if (main === undefined) return component;
  const bare = (entry: unknown) =>
    isObject(entry) && entry.source === main
      ? entry.usd
      : typeof entry === "string" && written !== main
        ? { usd: entry, source: written }
        : entry;
  return {
    ...rest,
    source: main,
    prices: Object.fromEntries(
      Object.entries(prices).map(([variant, byRegion]) => [
        variant,
        Object.fromEntries(
          Object.entries(byRegion as Written).map(([region, entry]) => [region, bare(entry)]),
        ),
      ]),
    ),
  };
}

/** `"region": {` then `"usd": …`, `"source": …` and `}` as one line, and the index of its last line. */
function collapsedPrice(lines: readonly string[], at: number): { text: string; end: number } | undefined {
  const opens = OPENS_OBJECT.exec(lines[at] ?? "");
  const usd = /^\s*("usd": "[^"\n]*"),$/.exec(lines[at + 1] ?? "");
  const source = /^\s*("source": "[^"\n]*")$/.exec(lines[at + 2] ?? "");
  const close = /^\s*\}(,?)$/.exec(lines[at + 3] ?? "");
  if (!opens || !usd || !source || !close) return undefined;
  return { text: `${opens[1]}{ ${usd[1]}, ${source[1]} }${close[1]}`, end: at + 3 };
}

/** An array of strings or numbers as one line, and the index of its last line. */
function collapsedList(lines: readonly string[], at: number): { text: string; end: number } | undefined {
  const opens = OPENS_ARRAY.exec(lines[at] ?? "");
  if (!opens) return undefined;
  const items: string[] = [];
  let end = at + 1;
  for (; end < lines.length; end++) {
    const item = SCALAR_ITEM.exec(lines[end] ?? "");
    if (!item) break;
    items.push(item[1] ?? "");
  }
  const close = /^\s*\](,?)$/.exec(lines[end] ?? "");
  if (!close || items.length === 0) return undefined;
  return { text: `${opens[1]}[${items.join(", ")}]${close[1]}`, end };
}

/** The facts this package ships, validated. */
export function readPriceFacts(file: URL | string = PRICE_FACTS_FILE): PriceFacts {
  return loadPriceFacts(JSON.parse(readFileSync(file, "utf8")), String(file));
}

function regionalUsageType(component: PriceComponent, prefix: string, region: string, bare: string): string {
  switch (component.prefix) {
    case "always":
      return `${prefix}-${bare}`;
    case "not-in-us-east-1":
      return region === "us-east-1" ? bare : `${prefix}-${bare}`;
    case "region-code":
      return `${region}-${bare}`;
    case "never":
      return bare;
  }
}

const fill = (template: string, variant: string) => template.replaceAll("{variant}", variant);

/** Every price of the facts, one row per component, variant and region. */
export function* priceRows(facts: PriceFacts): Generator<PriceRow> {
  for (const component of facts.components) {
    for (const [variant, byRegion] of Object.entries(component.prices)) {
      for (const [region, entry] of Object.entries(byRegion)) {
        const bare = fill(component.usagetype, variant);
        yield {
          component,
          variant,
          region,
          usd: entry.usd,
          source: entry.source,
          usagetype: regionalUsageType(component, facts.regions[region]?.usagePrefix ?? "", region, bare),
          attributes: Object.fromEntries(
            Object.entries(component.attributes).map(([name, value]) => [name, fill(value, variant)]),
          ),
        };
      }
    }
  }
}
