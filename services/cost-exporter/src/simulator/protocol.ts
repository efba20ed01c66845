/**
 * The Cost Explorer wire protocol as the simulator speaks it: AWS JSON 1.1 (`POST /` with an
 * `X-Amz-Target` header), AWS's error shape, and the request conventions every operation shares.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { addDays, dayStart, firstOfNextMonth, type IsoDay } from "../dates.js";
import { type Amount, formatAmount } from "../decimal.js";
import { SIMULATED_CURRENCY } from "./dataset.js";

export const TARGET_PREFIX = "AWSInsightsIndexService.";
export const OPERATIONS = ["GetCostAndUsage", "GetCostForecast"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The operation an `X-Amz-Target` names, if the simulator implements it. */
export function operationOf(target: string): Operation | undefined {
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  return (OPERATIONS as readonly string[]).includes(name) ? (name as Operation) : undefined;
}

/** A request Cost Explorer would refuse; answered 400 with `code` as `__type`. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly code = "ValidationException",
  ) {
    super(message);
  }
}

export const dateInterval = z.object({ Start: z.string(), End: z.string() });

export function checkPeriod({ Start, End }: { Start: string; End: string }) {
  if (dayStart(Start) === undefined || dayStart(End) === undefined) {
    throw new ValidationError("TimePeriod Start and End must be dates in the format YYYY-MM-DD");
  }
  if (End <= Start) throw new ValidationError("End date must be after the start date");
}

export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ValidationError(`${issue?.path.join(".") || "request"}: ${issue?.message}`);
  }
  return result.data;
}

/** Splits [start, end) into the periods of the requested granularity. */
export function periods(start: IsoDay, end: IsoDay, granularity: "DAILY" | "MONTHLY") {
  const out: { Start: IsoDay; End: IsoDay }[] = [];
  for (let s = start; s < end; ) {
    const next = granularity === "DAILY" ? addDays(s, 1) : firstOfNextMonth(s);
    const e = next < end ? next : end;
    out.push({ Start: s, End: e });
    s = e;
  }
  return out;
}

export const money = (amount: Amount) => ({ Amount: formatAmount(amount), Unit: SIMULATED_CURRENCY });

export const awsJson = (c: Context, status: ContentfulStatusCode, body: unknown) =>
  c.body(JSON.stringify(body), status, {
    "Content-Type": "application/x-amz-json-1.1",
    "x-amzn-RequestId": crypto.randomUUID(),
  });

/** An error as AWS sends it (see "Common Errors" in the Cost Explorer API reference). */
export const awsError = (c: Context, status: ContentfulStatusCode, type: string, message: string) =>
  awsJson(c, status, { __type: type, message });
