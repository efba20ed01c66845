import { readFileSync } from "node:fs";
import { z } from "zod";
import { exact, type Money } from "./money.js";

/**
 * The shape of a price table: decimal strings, never JavaScript numbers, so a price is exactly the digits
 * AWS publishes. `loadPriceTable` validates a document and turns every price into an exact amount.
 */
const price = z.string().regex(/^\d+(\.\d+)?$/, "a decimal price such as 0.0832 (a string, not a number)");

const regionPricesDocument = z
  .object({
    eksClusterHour: price.describe("EKS control plane, standard support, per cluster-hour"),
    eksExtendedSupportClusterHour: price.describe(
      "EKS extended-support surcharge per cluster-hour, billed on top of eksClusterHour while the cluster's version is in extended support (the surcharge alone, not the whole rate)",
    ),
    ec2InstanceHour: z
      .record(z.string(), price)
      .describe("on-demand Linux, shared tenancy, per instance-hour"),
    natGatewayHour: price,
    natGatewayPerGb: price,
    publicIpv4Hour: price,
    ebs: z
      .object({
        gp3GbMonth: price,
        gp3IopsMonth: price.describe("per provisioned IOPS-month above gp3's free 3,000"),
        gp3ThroughputMbpsMonth: price.describe("per MB/s-month above gp3's free 125 MB/s"),
        gp2GbMonth: price,
      })
      .strict(),
    albHour: price,
    albLcuHour: price,
    nlbHour: price,
    nlbLcuHour: price,
    clbHour: price,
    clbPerGb: price,
    kmsKeyMonth: price,
    kmsPer10kRequests: price,
    s3StandardGbMonth: price,
    cloudwatchLogsIngestPerGb: price,
    cloudwatchMetricMonth: price,
    costExplorerApiRequest: price,
  })
  .strict();

const datedSource = z
  .object({
    what: z.string().min(1),
    source: z.string().min(1),
    read: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "the date the source was read, YYYY-MM-DD"),
  })
  .strict();

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
    regions: z.record(z.string(), regionPricesDocument),
  })
  .strict();

export type PriceTableDocument = z.infer<typeof priceTableDocument>;
export type RegionPricesDocument = z.infer<typeof regionPricesDocument>;

type Exactly<T> = T extends string
  ? Money
  : T extends Record<string, unknown>
    ? { [K in keyof T]: Exactly<T[K]> }
    : T;

/** A region's prices as exact amounts. */
export type RegionPrices = Exactly<RegionPricesDocument>;

export interface PriceTable {
  currency: "USD";
  hoursPerMonth: Money;
  recorded: string;
  source: PriceTableDocument["source"];
  sources: PriceTableDocument["sources"];
  regions: Record<string, RegionPrices>;
  /** The document it was loaded from, for tools that rewrite it. */
  document: PriceTableDocument;
}

/**
 * An object of these entries with no prototype: regions and instance types are looked up by names from a
 * preview or a setting, and `constructor` or `__proto__` must read as unknown, not as an inherited property.
 */
function lookupTable<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  return Object.assign(Object.create(null), Object.fromEntries(entries));
}

function exactly<T>(value: T): Exactly<T> {
  if (typeof value === "string") return exact(value) as Exactly<T>;
  return lookupTable(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, exactly(inner)] as const),
  ) as Exactly<T>;
}

/** Validates a price table document; the error names every bad field. */
export function loadPriceTable(document: unknown, origin = "the price table"): PriceTable {
  const parsed = priceTableDocument.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`,
    );
    throw new Error(`${origin} is not a valid price table:\n  ${problems.join("\n  ")}`);
  }
  const table = parsed.data;
  return {
    currency: table.currency,
    hoursPerMonth: exact(table.hoursPerMonth),
    recorded: table.recorded,
    source: table.source,
    sources: table.sources,
    regions: lookupTable(
      Object.entries(table.regions).map(([region, prices]) => [region, exactly(prices)] as const),
    ),
    document: table,
  };
}

/** A price table kept in a JSON file (for `--prices <file>`). */
export function readPriceTableFile(path: string): PriceTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the price table ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`the price table ${path} is not JSON: ${(error as Error).message}`);
  }
  return loadPriceTable(document, path);
}

/** A region's prices, or an error that says which regions the table has and how to add one. */
export function regionPrices(table: PriceTable, region: string): RegionPrices {
  const prices = table.regions[region];
  if (!prices) {
    throw new Error(
      `no prices for region ${region} in the price table (have: ${Object.keys(table.regions).join(", ")}); ` +
        `add it with \`npm run cost:refresh-prices -- --region ${region}\``,
    );
  }
  return prices;
}
