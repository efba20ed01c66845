import { UNSIGNED_DECIMAL_TEXT } from "@platform/numbers";
import { z } from "zod";

/**
 * The shape of the price facts: every price is the decimal string AWS publishes, tied to the Price List
 * product that carries it (service code, product family, usage type, attributes) and to a dated source.
 * A region a component has no entry for is unpriced there: nothing is borrowed from another region.
 */
export const decimalString = z
  .string()
  .regex(UNSIGNED_DECIMAL_TEXT, "a non-negative decimal such as 0.0104, written as a string");

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date, YYYY-MM-DD");

export const regionDocument = z.strictObject({
  /** The Price List `location` attribute. */
  location: z.string().min(1),
  /** The prefix of the region's usage types (`USE2-BoxUsage:t3.micro`). */
  usagePrefix: z.string().regex(/^[A-Z0-9]+$/),
});

export const sourceDocument = z.strictObject({
  /** A URL, or `owner/repository@commit:path` for a file in a public repository. */
  reference: z.string().min(1),
  /** The date the source states for its figures, or null when it states none. */
  stated: isoDay.nullable(),
  /** The words the date comes from, or why there is none. */
  statedAs: z.string().min(1),
  /** The day the source was read. */
  read: isoDay,
  note: z.string().optional(),
});

export const priceEntry = z.strictObject({ usd: decimalString, source: z.string().min(1) });

/**
 * A price as the file writes it: `{ "usd", "source" }`, or the bare decimal when its source is the
 * component's (`source` beside `prices`: most prices share one, and naming it once keeps the file small).
 */
const writtenPrice = z.preprocess(
  (value) => (typeof value === "string" ? { usd: value } : value),
  z.strictObject({ usd: decimalString, source: z.string().min(1).optional() }),
);

const writtenComponent = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  what: z.string().min(1),
  /** Pulumi resource types this component bills (the engine decides how much of it). */
  resourceTypes: z.array(z.string().regex(/^aws:[A-Za-z0-9]+\/[A-Za-z0-9]+:[A-Za-z0-9]+$/)),
  servicecode: z.string().min(1),
  productFamily: z.string().min(1),
  /** The usage type without its region prefix; `{variant}` stands for the price key. */
  usagetype: z.string().min(1),
  /**
   * How the region shows in the usage type: `always` its prefix (`USE1-…`), `not-in-us-east-1` (EC2, RDS and
   * other older services leave us-east-1 bare), `region-code` (KMS: `eu-west-1-KMS-Keys`), `never` (global).
   */
  prefix: z.enum(["always", "not-in-us-east-1", "region-code", "never"]),
  /** Further Price List attributes that tell this product apart; values may hold `{variant}`. */
  attributes: z.record(z.string(), z.string()),
  /** The Price List unit (`Hrs`, `GB-Mo`, `Requests`, ...). */
  unit: z.string().min(1),
  /** What a variant key names (an instance type, a volume type, ...), or null for a single price. */
  variantIs: z.string().nullable(),
  /** The source of every price written bare. */
  source: z.string().min(1).optional(),
  /** Variant key (`*` for a single price) → region → price. */
  prices: z.record(z.string(), z.record(z.string(), writtenPrice)),
});

/** A component as the code reads it: every price with its source. */
export const componentDocument = writtenComponent
  .superRefine((component, context) => {
    if (component.source !== undefined) return;
    for (const [variant, byRegion] of Object.entries(component.prices)) {
      for (const [region, entry] of Object.entries(byRegion)) {
        if (entry.source === undefined)
          context.addIssue({
            code: "custom",
            path: ["prices", variant, region],
            message: "a bare price needs the component's source",
          });
      }
    }
  })
  .transform(({ source, prices, ...component }) => ({
    ...component,
    prices: Object.fromEntries(
      Object.entries(prices).map(([variant, byRegion]) => [
        variant,
        Object.fromEntries(
          Object.entries(byRegion).map(([region, entry]) => [
            region,
            { usd: entry.usd, source: entry.source ?? source ?? "" } satisfies z.infer<typeof priceEntry>,
          ]),
        ),
      ]),
    ),
  }));

export const priceFactsDocument = z.strictObject({
  schemaVersion: z.literal(1),
  currency: z.literal("USD"),
  /** The day the facts were compiled. */
  compiled: isoDay,
  regions: z.record(z.string(), regionDocument),
  sources: z.record(z.string(), sourceDocument),
  components: z.array(componentDocument),
});

export type PriceFacts = z.infer<typeof priceFactsDocument>;
export type PriceComponent = z.infer<typeof componentDocument>;
export type PriceSource = z.infer<typeof sourceDocument>;
