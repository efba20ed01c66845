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
 * The facts as the shipped file writes them, for whatever rewrites it: two-space JSON with each price,
 * `{ "usd": …, "source": … }`, on one line (over ten thousand prices: a quarter smaller than indented JSON),
 * and an array of strings or numbers on one line where it fits, as Biome formats it.
 */
export function formatPriceFacts(facts: unknown): string {
  const lines = JSON.stringify(facts, null, 2).split("\n");
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
