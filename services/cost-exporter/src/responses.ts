import { z } from "zod";
import { dayStart, type IsoDay } from "./dates.js";
import { type Amount, parseAmount } from "./decimal.js";

/** Thrown when Cost Explorer (or something posing as it) answers with a shape the exporter cannot trust. */
export class MalformedResponseError extends Error {
  constructor(operation: string, detail: string) {
    super(`${operation} answered with a malformed response: ${detail}`);
    this.name = "MalformedResponseError";
  }
}

const isoDay = z.string().refine((s) => dayStart(s) !== undefined, "must be a YYYY-MM-DD date");
const amount = z.string().transform((text, ctx) => {
  const parsed = parseAmount(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: `amount ${JSON.stringify(text)} is not a decimal number` });
    return z.NEVER;
  }
  return parsed;
});
const metricValue = z.object({ Amount: amount, Unit: z.string().min(1) });
const dateInterval = z.object({ Start: isoDay, End: isoDay });

const costAndUsagePage = z.object({
  NextPageToken: z.string().optional(),
  ResultsByTime: z.array(
    z.object({
      TimePeriod: dateInterval,
      Estimated: z.boolean().optional(),
      Groups: z
        .array(z.object({ Keys: z.array(z.string()).min(1), Metrics: z.record(z.string(), metricValue) }))
        .optional(),
    }),
  ),
});

const costForecast = z.object({
  Total: metricValue,
  ForecastResultsByTime: z
    .array(
      z.object({
        TimePeriod: dateInterval,
        MeanValue: amount,
        PredictionIntervalLowerBound: amount.optional(),
        PredictionIntervalUpperBound: amount.optional(),
      }),
    )
    .optional(),
});

function validate<T extends z.ZodType>(schema: T, operation: string, answer: unknown): z.infer<T> {
  const result = schema.safeParse(answer);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new MalformedResponseError(operation, `${first?.path.join(".") || "(root)"}: ${first?.message}`);
  }
  return result.data;
}

/** One day's spend for one group (an AWS service, or one value of a tag). */
export interface CostRow {
  day: IsoDay;
  /** The service name, or the tag value ("" = untagged). */
  key: string;
  amount: Amount;
  currency: string;
  estimated: boolean;
}

export interface DailyCosts {
  rows: CostRow[];
  /** Every day Cost Explorer reported, even without spend, with its Estimated flag. */
  days: Map<IsoDay, { estimated: boolean }>;
}

/** "stack$prod" → "prod"; "stack$" → "" (resources without the tag). */
export function tagValueOf(groupKey: string): string {
  const at = groupKey.indexOf("$");
  return at === -1 ? groupKey : groupKey.slice(at + 1);
}

export type CostAndUsagePage = z.infer<typeof costAndUsagePage>;

/** Validates one GetCostAndUsage page, including that every group carries the requested cost basis. */
export function parseCostAndUsagePage(answer: unknown, costBasis: string): CostAndUsagePage {
  const page = validate(costAndUsagePage, "GetCostAndUsage", answer);
  for (const result of page.ResultsByTime) {
    for (const group of result.Groups ?? []) {
      if (!group.Metrics[costBasis]) {
        throw new MalformedResponseError("GetCostAndUsage", `group ${group.Keys[0]} lacks ${costBasis}`);
      }
    }
  }
  return page;
}

/**
 * Maps the validated pages of one DAILY GetCostAndUsage answer (grouped by SERVICE or by a TAG) to
 * rows. A day may continue on the next page, so rows are kept as they come and summed later.
 */
export function mapDailyCosts(
  pages: readonly CostAndUsagePage[],
  costBasis: string,
  grouping: "SERVICE" | "TAG",
): DailyCosts {
  const rows: CostRow[] = [];
  const days = new Map<IsoDay, { estimated: boolean }>();
  for (const page of pages) {
    for (const result of page.ResultsByTime) {
      const day = result.TimePeriod.Start;
      const estimated = result.Estimated ?? false;
      days.set(day, { estimated: estimated || (days.get(day)?.estimated ?? false) });
      for (const group of result.Groups ?? []) {
        const value = group.Metrics[costBasis];
        if (!value) continue; // parseCostAndUsagePage already refused such pages
        const groupKey = group.Keys[0] as string;
        rows.push({
          day,
          key: grouping === "TAG" ? tagValueOf(groupKey) : groupKey,
          amount: value.Amount,
          currency: value.Unit,
          estimated,
        });
      }
    }
  }
  return { rows, days };
}

export interface Forecast {
  currency: string;
  mean: Amount;
  lower: Amount;
  upper: Amount;
}

/** Sums a GetCostForecast answer over its periods; a missing bound falls back to the mean. */
export function parseForecast(answer: unknown): Forecast {
  const forecast = validate(costForecast, "GetCostForecast", answer);
  const periods = forecast.ForecastResultsByTime ?? [];
  if (periods.length === 0) {
    return {
      currency: forecast.Total.Unit,
      mean: forecast.Total.Amount,
      lower: forecast.Total.Amount,
      upper: forecast.Total.Amount,
    };
  }
  let mean = 0n;
  let lower = 0n;
  let upper = 0n;
  for (const p of periods) {
    mean += p.MeanValue;
    lower += p.PredictionIntervalLowerBound ?? p.MeanValue;
    upper += p.PredictionIntervalUpperBound ?? p.MeanValue;
  }
  return { currency: forecast.Total.Unit, mean, lower, upper };
}
