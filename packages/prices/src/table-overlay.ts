import { exact, type Money } from "./money.js";
import { PRICE_KEYS, priceKeyNames } from "./price-keys.js";
import {
  DIMENSION_NAME,
  type LiveFigure,
  type LivePrices,
  type PriceLookup,
  type PriceTable,
  priceIn,
  REGION_NAME,
  type RegionPrices,
  RegionsMadeWhenAsked,
} from "./table.js";

/**
 * Views of a price table for live prices: one that records every price a run looks up and the table lacks
 * (so the missing ones can be asked of the AWS Price List API, each once), and one that adds the figures the
 * API answered. Both keep the lookups pricers already use (`priceIn`, `prices.natGatewayHour`, the per-type
 * maps), so a pricer prices with live figures without knowing where they came from.
 */

/**
 * A table's regions read through rather than copied, `own(region)` answering first where it has a region of its
 * own: a region of the table is made only when a lookup asks for it (the shipped table makes one of ten).
 */
class RegionsReadThrough extends RegionsMadeWhenAsked {
  readonly #added: string[];
  constructor(
    private readonly base: ReadonlyMap<string, RegionPrices>,
    private readonly own: (region: string) => RegionPrices | undefined,
    added: Iterable<string> = [],
  ) {
    super();
    this.#added = [...added].filter((region) => !base.has(region));
  }
  get size() {
    return this.base.size + this.#added.length;
  }
  has(region: string) {
    return this.base.has(region) || this.#added.includes(region);
  }
  get(region: string): RegionPrices | undefined {
    return this.own(region) ?? this.base.get(region);
  }
  *keys(): MapIterator<string> {
    yield* this.base.keys();
    yield* this.#added;
  }
}

/** A required price a live-made region lacks, read by a pricer: that resource is not priced, with `reason`. */
export class MissingPriceError extends Error {
  constructor(
    readonly lookup: PriceLookup,
    readonly reason: string,
  ) {
    super(`no ${lookup.key} price for ${lookup.region}: ${reason}`);
  }
}

const idOf = ({ region, key, dimension }: PriceLookup) =>
  dimension === undefined ? `${region}/${key}` : `${region}/${key}/${dimension}`;

/** A per-type map that reports a type it lacks and answers a stand-in figure, so pricing goes on. */
class RecordingMap extends Map<string, Money> {
  constructor(
    entries: Iterable<[string, Money]>,
    private readonly missing: (dimension: string) => Money | undefined,
  ) {
    super(entries);
  }

  override get(dimension: string): Money | undefined {
    return super.get(dimension) ?? this.missing(dimension);
  }

  override has(dimension: string): boolean {
    return super.has(dimension) || this.missing(dimension) !== undefined;
  }
}

/** Any nonzero amount: the figures of a recording run are never shown. */
const STAND_IN = exact("0.01");

function recordingRegion(
  region: string,
  base: RegionPrices | undefined,
  record: (lookup: PriceLookup) => void,
): RegionPrices {
  const view: Record<string, unknown> = Object.create(null);
  const source = base as Record<string, unknown> | undefined;
  for (const key of priceKeyNames) {
    if ("per" in PRICE_KEYS[key]) {
      const known = (source?.[key] as ReadonlyMap<string, Money> | undefined) ?? new Map<string, Money>();
      view[key] = new RecordingMap(known, (dimension) => {
        if (!DIMENSION_NAME.test(dimension)) return undefined;
        record({ region, key, dimension });
        return STAND_IN;
      });
      continue;
    }
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => {
        const known = source?.[key] as Money | undefined;
        if (known) return known;
        record({ region, key });
        return STAND_IN;
      },
    });
  }
  return view as unknown as RegionPrices;
}

/**
 * The table as seen by a run that only finds out what it lacks: every region of AWS's shape exists, and every
 * price it does not hold is recorded once and answered with a stand-in. The estimate made with it is thrown
 * away; `wanted()` lists what to ask the API, in the order first asked.
 */
export function recordingTable(table: PriceTable): { table: PriceTable; wanted: () => PriceLookup[] } {
  const wanted = new Map<string, PriceLookup>();
  const record = (lookup: PriceLookup) => {
    const id = idOf(lookup);
    if (!wanted.has(id)) wanted.set(id, lookup);
  };
  const views = new Map<string, RegionPrices>();
  const regions = new RegionsReadThrough(table.regions, (region) => {
    if (!REGION_NAME.test(region)) return undefined;
    let view = views.get(region);
    if (!view) {
      view = recordingRegion(region, table.regions.get(region), record);
      views.set(region, view);
    }
    return view;
  });
  return { table: { ...table, regions }, wanted: () => [...wanted.values()] };
}

function mergedRegion(
  region: string,
  base: RegionPrices | undefined,
  figures: readonly LiveFigure[],
  whyMissing: (lookup: PriceLookup) => string,
): RegionPrices {
  const merged: Record<string, unknown> = Object.create(null);
  const source = base as Record<string, unknown> | undefined;
  for (const key of priceKeyNames) {
    const declaration = PRICE_KEYS[key];
    const own = figures.filter((f) => f.key === key);
    if ("per" in declaration) {
      const map = new Map((source?.[key] as ReadonlyMap<string, Money> | undefined) ?? []);
      for (const figure of own) {
        if (figure.dimension && !map.has(figure.dimension)) map.set(figure.dimension, exact(figure.usd));
      }
      merged[key] = map;
    } else if (source?.[key] !== undefined || own[0]) {
      merged[key] = (source?.[key] as Money | undefined) ?? exact((own[0] as LiveFigure).usd);
    } else if (!base) {
      // A region made of live figures alone: a price it lacks says why when a pricer reads it.
      Object.defineProperty(merged, key, {
        get: () => {
          throw new MissingPriceError({ region, key }, whyMissing({ region, key }));
        },
      });
    }
  }
  return merged as unknown as RegionPrices;
}

/**
 * The table with the figures the API answered, each cited in `priceSources` with `live.source`. A region the
 * table lacks is made of its live figures alone (a price it lacks then says why when a pricer reads it). The
 * table's own figures are never replaced.
 */
export function tableWithLivePrices(table: PriceTable, live: LivePrices): PriceTable {
  const byRegion = new Map<string, LiveFigure[]>();
  for (const lookup of [...live.notFound, ...live.failed]) byRegion.set(lookup.region, []);
  for (const figure of live.found)
    byRegion.set(figure.region, [...(byRegion.get(figure.region) ?? []), figure]);
  const failed = new Map(live.failed.map((f) => [idOf(f), f.reason]));
  const whyMissing = (lookup: PriceLookup) =>
    failed.get(idOf(lookup)) ??
    live.error ??
    "the AWS Price List API has no such price (never priced at another region's)";
  const merged = new Map<string, RegionPrices>();
  for (const [region, figures] of byRegion) {
    const base = table.regions.get(region);
    if (base && figures.length === 0) continue;
    merged.set(region, mergedRegion(region, base, figures, whyMissing));
  }
  const regions = new RegionsReadThrough(table.regions, (region) => merged.get(region), merged.keys());
  const priceSources = new Map(table.priceSources);
  for (const figure of live.found) {
    const own = table.regions.get(figure.region);
    if (own && priceIn(own, figure.key, figure.dimension) !== undefined) continue;
    priceSources.set(idOf(figure), { source: live.source, read: live.at });
  }
  return { ...table, regions, priceSources, live };
}
