import {
  declarationOf,
  type LiveFigure,
  type LivePrices,
  type PriceKey,
  type PriceListProduct,
  type PriceListQuery,
  type PriceLookup,
  type PriceTable,
  priceFromProducts,
  priceListQueries,
  pricesByDimension,
  recordingTable,
  tableWithLivePrices,
  variantUsageTypeOf,
} from "@platform/prices";
import {
  describeError,
  openPriceList,
  type PriceListClientOptions,
  type PriceListSource,
  PriceListUnavailable,
  refusesEveryLookup,
} from "./price-list-client.js";

/**
 * `--live-prices`: what the price table lacks for a run is asked of the AWS Price List API, once per key and
 * region (one GetProducts query, its types in one ANY_OF list; a type only the usage type names, one query by
 * usage type each), a few queries at a time, and the run is priced
 * again with the answers. A price the API does not have stays not priced; one it could not be asked for (no
 * credentials, throttled past the retries, over a limit) too, with why. Nothing here can stop the run.
 */
export interface LiveLimits {
  lookups: number;
  queries: number;
  concurrency: number;
  deadlineMs: number;
}

export const LIVE_LIMITS: Readonly<LiveLimits> = {
  /** prices asked for in one run (a key in a region, for one instance or volume type) */
  lookups: 500,
  /** GetProducts queries in one run (pages not counted) */
  queries: 100,
  /** queries at once: GetProducts' quota is a token bucket of 10, refilled at 5 a second per account */
  concurrency: 4,
  /** the longest all the lookups of one run may take */
  deadlineMs: 60_000,
};

export const CLIENT_DEFAULTS: PriceListClientOptions = {
  maxAttempts: 5,
  requestTimeoutMs: 15_000,
  maxPages: 10,
  maxProductChars: 256 * 1024,
};

export interface LivePriceOptions {
  client?: Partial<PriceListClientOptions>;
  /** other bounds (the refresh of a whole table asks for more than one run needs) */
  limits?: Partial<LiveLimits>;
  now?: () => Date;
  /** the API, for tests of what happens around it; the SDK client by default */
  open?: (options: PriceListClientOptions) => Promise<PriceListSource>;
}

const minute = (at: Date) => at.toISOString().slice(0, 16);

/** The queries for some lookups of one region, each with the lookups its answer settles. */
function queriesFor(region: string, lookups: readonly PriceLookup[]) {
  const dimensions = new Map<PriceKey, string[]>();
  for (const lookup of lookups) {
    const list = dimensions.get(lookup.key) ?? [];
    if (lookup.dimension !== undefined) list.push(lookup.dimension);
    dimensions.set(lookup.key, list);
  }
  return priceListQueries(region, (key) => dimensions.get(key) ?? [], [...dimensions.keys()]).map((query) => {
    const asked = query.filters.find((f) => f.Type === "ANY_OF")?.Value.split(",");
    // a dimension asked by its usage type (MSK, MQ) is the one that usage type names
    const byUsage = query.filters.find((f) => f.Type === "CONTAINS" && f.Field === "usagetype")?.Value;
    const askedFor = (l: PriceLookup) =>
      asked !== undefined
        ? asked.includes(l.dimension ?? "")
        : byUsage !== undefined && variantUsageTypeOf(l.key, l.dimension ?? "") === byUsage;
    const settles = lookups.filter(
      (l) => query.keys.includes(l.key) && (l.dimension === undefined || askedFor(l)),
    );
    return { query, settles };
  });
}

function settle(products: readonly PriceListProduct[], lookups: readonly PriceLookup[], live: LivePrices) {
  const byKey = new Map<PriceKey, Map<string, string>>();
  for (const lookup of lookups) {
    let usd: string | undefined;
    if (declarationOf(lookup.key).per) {
      let figures = byKey.get(lookup.key);
      if (!figures) {
        const wanted = lookups.filter((l) => l.key === lookup.key).map((l) => l.dimension ?? "");
        figures = pricesByDimension(lookup.key, products, wanted);
        byKey.set(lookup.key, figures);
      }
      usd = figures.get(lookup.dimension ?? "");
    } else {
      usd = priceFromProducts(lookup.key, products);
    }
    if (usd === undefined) live.notFound.push(lookup);
    else live.found.push({ ...lookup, usd } satisfies LiveFigure);
  }
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Asks the API for these prices; never throws for what the API or the credentials do. */
export async function fetchLivePrices(
  lookups: readonly PriceLookup[],
  options: LivePriceOptions = {},
): Promise<LivePrices> {
  const at = (options.now ?? (() => new Date()))();
  const limits = { ...LIVE_LIMITS, ...options.limits };
  const live: LivePrices = {
    at: `${minute(at)}Z`,
    source: `AWS Price List API, ${minute(at).replace("T", " ")} UTC`,
    found: [],
    notFound: [],
    failed: [],
  };
  if (lookups.length === 0) return live;
  const fail = (list: readonly PriceLookup[], reason: string) => {
    for (const lookup of list) live.failed.push({ ...lookup, reason });
  };
  const asked = lookups.slice(0, limits.lookups);
  fail(lookups.slice(limits.lookups), `not asked: more than ${limits.lookups} prices in one run`);
  const regions = [...new Set(asked.map((l) => l.region))];
  const all = regions.flatMap((region) =>
    queriesFor(
      region,
      asked.filter((l) => l.region === region),
    ),
  );
  const queries = all.slice(0, limits.queries);
  for (const { settles } of all.slice(limits.queries)) {
    fail(settles, `not asked: more than ${limits.queries} queries in one run`);
  }
  let source: PriceListSource;
  try {
    source = await (options.open ?? openPriceList)({ ...CLIENT_DEFAULTS, ...options.client });
  } catch (error) {
    live.error = error instanceof PriceListUnavailable ? error.message : describeError(error);
    fail(asked, live.error);
    return live;
  }
  const abort = new AbortController();
  const answers = new Map<string, Promise<PriceListProduct[]>>();
  const deadline = setTimeout(() => abort.abort(), limits.deadlineMs);
  try {
    await pool(queries, limits.concurrency, async ({ query, settles }) => {
      if (live.error || abort.signal.aborted) {
        return fail(
          settles,
          live.error ?? `not asked: the ${limits.deadlineMs / 1000} s for live prices ran out`,
        );
      }
      let products: PriceListProduct[];
      try {
        // A global price's query is the same in every region: asked once.
        const id = `${query.serviceCode} ${JSON.stringify(query.filters)}`;
        const answer = answers.get(id) ?? source.products(query as PriceListQuery, abort.signal);
        answers.set(id, answer);
        products = await answer;
      } catch (error) {
        if (refusesEveryLookup(error)) live.error ??= describeError(error);
        return fail(settles, describeError(error));
      }
      settle(products, settles, live);
    });
  } finally {
    clearTimeout(deadline);
    source.close();
  }
  return live;
}

export interface LiveTable {
  table: PriceTable;
  /** lines for standard error: why live prices could not be had, if they could not */
  messages: string[];
}

/**
 * The table for a run with live prices: `price` runs once with a table that records what it lacks, the API is
 * asked for that, and the table comes back with the answers (and `live`, what was asked and found).
 */
export async function livePriceTable(
  table: PriceTable,
  price: (table: PriceTable) => unknown,
  options: LivePriceOptions = {},
): Promise<LiveTable> {
  const recording = recordingTable(table);
  price(recording.table);
  const live = await fetchLivePrices(recording.wanted(), options);
  const messages: string[] = [];
  if (live.error) {
    messages.push(
      `--live-prices: ${live.error}; priced with the price table alone, what it lacks is not priced`,
    );
  } else if (live.failed.length > 0) {
    messages.push(
      `--live-prices: ${live.failed.length} of ${live.failed.length + live.found.length + live.notFound.length} prices could not be fetched (${live.failed[0]?.reason}); what needs them is not priced`,
    );
  }
  return { table: tableWithLivePrices(table, live), messages };
}
