import {
  createLogger,
  createServiceKit,
  createServiceMetrics,
  type Logger,
  type RunningService,
  serveService,
} from "@platform/service-kit";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { addDays, dayStart, firstOfNextMonth, type IsoDay } from "../dates.js";
import { type Amount, formatAmount } from "../decimal.js";
import {
  forecastAmounts,
  isEstimated,
  reportedAmount,
  SIMULATED_CURRENCY,
  SIMULATED_SERVICES,
  type SimulatorClock,
  simulatorClock,
  tagSplit,
} from "./dataset.js";

const TARGET_PREFIX = "AWSInsightsIndexService.";
const OPERATIONS = ["GetCostAndUsage", "GetCostForecast"] as const;
type Operation = (typeof OPERATIONS)[number];
const COST_METRICS = [
  "UnblendedCost",
  "AmortizedCost",
  "BlendedCost",
  "NetUnblendedCost",
  "NetAmortizedCost",
];
const FORECAST_METRICS: Record<string, string> = {
  UNBLENDED_COST: "UnblendedCost",
  AMORTIZED_COST: "AmortizedCost",
  BLENDED_COST: "BlendedCost",
  NET_UNBLENDED_COST: "NetUnblendedCost",
  NET_AMORTIZED_COST: "NetAmortizedCost",
};

/** Fault switches (`PUT /_simulator/faults` replaces them all): counts fail that many next requests. */
export const simulatorFaultsSchema = z.strictObject({
  throttle: z.number().int().min(0).default(0),
  serverError: z.number().int().min(0).default(0),
  /** Added to every answer, faulty or not. */
  delayMs: z.number().int().min(0).max(120_000).default(0),
  accessDenied: z.boolean().default(false),
  expiredToken: z.boolean().default(false),
  malformed: z.number().int().min(0).default(0),
});
export type SimulatorFaults = z.infer<typeof simulatorFaultsSchema>;

export interface SimulatorStats {
  /** Requests received per operation, failed ones included (each one a paid request on real AWS). */
  requests: Record<Operation, number>;
  total: number;
  /** Every distinct X-Amz-Target seen, for the IAM policy test. */
  targets: string[];
  faultsInjected: Record<"throttle" | "serverError" | "accessDenied" | "expiredToken" | "malformed", number>;
}

export interface SimulatorOptions {
  /** The simulator's idea of now; its bill is a function of this date. */
  now?: () => number;
  /** Most groups per GetCostAndUsage page before it answers with a NextPageToken. */
  pageSize?: number;
  logger?: Logger;
}

class ValidationError extends Error {}

const dateInterval = z.object({ Start: z.string(), End: z.string() });
const costAndUsageRequest = z.object({
  TimePeriod: dateInterval,
  Granularity: z.enum(["DAILY", "MONTHLY"], { error: "Granularity must be DAILY or MONTHLY" }),
  Metrics: z.array(z.enum(COST_METRICS)).min(1),
  GroupBy: z
    .array(z.object({ Type: z.enum(["DIMENSION", "TAG"]), Key: z.string().min(1) }))
    .max(1, { error: "The simulator supports one GroupBy" })
    .optional(),
  NextPageToken: z.string().optional(),
});
const costForecastRequest = z.object({
  TimePeriod: dateInterval,
  Granularity: z.enum(["DAILY", "MONTHLY"]),
  Metric: z.enum(Object.keys(FORECAST_METRICS)),
  PredictionIntervalLevel: z.number().int().min(51).max(99).optional(),
});

function checkPeriod({ Start, End }: { Start: string; End: string }) {
  if (dayStart(Start) === undefined || dayStart(End) === undefined) {
    throw new ValidationError("TimePeriod Start and End must be dates in the format YYYY-MM-DD");
  }
  if (End <= Start) throw new ValidationError("End date must be after the start date");
}

function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ValidationError(`${issue?.path.join(".") || "request"}: ${issue?.message}`);
  }
  return result.data;
}

const money = (amount: Amount) => ({ Amount: formatAmount(amount), Unit: SIMULATED_CURRENCY });

interface ResultEntry {
  TimePeriod: { Start: IsoDay; End: IsoDay };
  Total: Record<string, { Amount: string; Unit: string }>;
  Groups: { Keys: string[]; Metrics: Record<string, { Amount: string; Unit: string }> }[];
  Estimated: boolean;
}

/** Splits [start, end) into the periods of the requested granularity. */
function periods(start: IsoDay, end: IsoDay, granularity: "DAILY" | "MONTHLY") {
  const out: { Start: IsoDay; End: IsoDay }[] = [];
  for (let s = start; s < end; ) {
    const next = granularity === "DAILY" ? addDays(s, 1) : firstOfNextMonth(s);
    const e = next < end ? next : end;
    out.push({ Start: s, End: e });
    s = e;
  }
  return out;
}

function costAndUsageEntries(
  request: z.infer<typeof costAndUsageRequest>,
  clock: SimulatorClock,
): ResultEntry[] {
  const grouping = request.GroupBy?.[0];
  if (grouping?.Type === "DIMENSION" && grouping.Key !== "SERVICE") {
    throw new ValidationError("The simulator groups by the SERVICE dimension or by a TAG");
  }
  return periods(request.TimePeriod.Start, request.TimePeriod.End, request.Granularity).map((period) => {
    const groups = new Map<string, Map<string, Amount>>();
    const totals = new Map<string, Amount>(request.Metrics.map((m) => [m, 0n]));
    let estimated = false;
    for (let day = period.Start; day < period.End; day = addDays(day, 1)) {
      if (day > clock.today) continue;
      estimated ||= isEstimated(day, clock);
      for (const metric of request.Metrics) {
        for (const service of SIMULATED_SERVICES) {
          const amount = reportedAmount(day, service, metric, clock);
          totals.set(metric, (totals.get(metric) ?? 0n) + amount);
          const parts =
            grouping?.Type === "TAG"
              ? tagSplit(amount).map((p) => ({ key: `${grouping.Key}$${p.value}`, amount: p.amount }))
              : grouping
                ? [{ key: service.name, amount }]
                : [];
          for (const part of parts) {
            const metrics = groups.get(part.key) ?? new Map<string, Amount>();
            metrics.set(metric, (metrics.get(metric) ?? 0n) + part.amount);
            groups.set(part.key, metrics);
          }
        }
      }
    }
    if (period.Start > clock.today) estimated = true;
    return {
      TimePeriod: period,
      // Cost Explorer leaves Total empty when the answer is grouped.
      Total: grouping ? {} : Object.fromEntries([...totals].map(([m, a]) => [m, money(a)])),
      Groups: [...groups].map(([key, metrics]) => ({
        Keys: [key],
        Metrics: Object.fromEntries([...metrics].map(([m, a]) => [m, money(a)])),
      })),
      Estimated: estimated,
    };
  });
}

/** Pages over groups (a period with no groups counts as one item), continuing a period on the next page if it is cut. */
function page(entries: ResultEntry[], offset: number, pageSize: number) {
  const out: ResultEntry[] = [];
  let index = 0;
  let taken = 0;
  for (const entry of entries) {
    const size = Math.max(1, entry.Groups.length);
    if (index + size <= offset) {
      index += size;
      continue;
    }
    const from = Math.max(0, offset - index);
    const room = pageSize - taken;
    const to = Math.min(size, from + room);
    out.push({ ...entry, Groups: entry.Groups.slice(from, to) });
    taken += to - from;
    index += size;
    if (taken >= pageSize) {
      const next = offset + taken;
      const total = entries.reduce((n, e) => n + Math.max(1, e.Groups.length), 0);
      return { entries: out, nextOffset: next < total ? next : undefined };
    }
  }
  return { entries: out, nextOffset: undefined };
}

const encodeToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64url");
function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset > 0) return offset;
  } catch {
    // fall through
  }
  throw Object.assign(new ValidationError("Invalid NextPageToken"), { code: "InvalidNextTokenException" });
}

/**
 * A local stand-in for AWS Cost Explorer speaking its wire protocol (AWS JSON 1.1: POST / with
 * X-Amz-Target), so the real SDK client runs against it over HTTP. Built on the service kit, so it
 * also has /health and /metrics.
 */
export function createSimulatorApp({
  now = Date.now,
  pageSize = 200,
  logger = createLogger({ service: "cost-explorer-simulator", level: "warn" }),
}: SimulatorOptions = {}) {
  const kit = createServiceKit({
    name: "cost-explorer-simulator",
    logger,
    metrics: createServiceMetrics({ collectDefaults: false }),
    maxBodyBytes: 256 * 1024,
  });
  let faults: SimulatorFaults = simulatorFaultsSchema.parse({});
  const stats: SimulatorStats = {
    requests: { GetCostAndUsage: 0, GetCostForecast: 0 },
    total: 0,
    targets: [],
    faultsInjected: { throttle: 0, serverError: 0, accessDenied: 0, expiredToken: 0, malformed: 0 },
  };

  const awsJson = (c: Context, status: ContentfulStatusCode, body: unknown) =>
    c.body(JSON.stringify(body), status, {
      "Content-Type": "application/x-amz-json-1.1",
      "x-amzn-RequestId": crypto.randomUUID(),
    });
  const awsError = (c: Context, status: ContentfulStatusCode, type: string, message: string) =>
    awsJson(c, status, { __type: type, message });

  kit.app.post("/", async (c) => {
    const target = c.req.header("x-amz-target") ?? "";
    if (!stats.targets.includes(target)) stats.targets.push(target);
    stats.total++;
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    if (!(OPERATIONS as readonly string[]).includes(operation)) {
      return awsError(
        c,
        400,
        "UnknownOperationException",
        `The simulator does not implement ${target || "(no target)"}`,
      );
    }
    stats.requests[operation as Operation]++;
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));

    // Status codes and __type values as AWS sends them (see "Common Errors" in the Cost Explorer API reference).
    if (faults.expiredToken) {
      stats.faultsInjected.expiredToken++;
      return awsError(
        c,
        400,
        "com.amazon.coral.service#ExpiredTokenException",
        "The security token included in the request is expired",
      );
    }
    if (faults.accessDenied) {
      stats.faultsInjected.accessDenied++;
      return awsError(c, 400, "AccessDeniedException", `User is not authorized to perform: ce:${operation}`);
    }
    if (faults.throttle > 0) {
      faults.throttle--;
      stats.faultsInjected.throttle++;
      return awsError(c, 400, "LimitExceededException", "Rate exceeded");
    }
    if (faults.serverError > 0) {
      faults.serverError--;
      stats.faultsInjected.serverError++;
      return awsError(
        c,
        500,
        "InternalFailure",
        "The request processing has failed because of an unknown error.",
      );
    }

    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return awsError(c, 400, "SerializationException", "The request body is not valid JSON");
    }
    const clock = simulatorClock(now());
    try {
      const answer =
        operation === "GetCostAndUsage" ? getCostAndUsage(body, clock) : getCostForecast(body, clock);
      if (faults.malformed > 0) {
        faults.malformed--;
        stats.faultsInjected.malformed++;
        return awsJson(c, 200, malformedAnswer(operation as Operation));
      }
      return awsJson(c, 200, answer);
    } catch (err) {
      if (err instanceof ValidationError) {
        const code = (err as ValidationError & { code?: string }).code ?? "ValidationException";
        return awsError(c, 400, code, err.message);
      }
      throw err;
    }
  });

  function getCostAndUsage(body: unknown, clock: SimulatorClock) {
    const request = parseRequest(costAndUsageRequest, body);
    checkPeriod(request.TimePeriod);
    const offset = request.NextPageToken ? decodeToken(request.NextPageToken) : 0;
    const { entries, nextOffset } = page(costAndUsageEntries(request, clock), offset, pageSize);
    return {
      GroupDefinitions: request.GroupBy ?? [],
      ResultsByTime: entries,
      DimensionValueAttributes: [],
      ...(nextOffset !== undefined ? { NextPageToken: encodeToken(nextOffset) } : {}),
    };
  }

  function getCostForecast(body: unknown, clock: SimulatorClock) {
    const request = parseRequest(costForecastRequest, body);
    checkPeriod(request.TimePeriod);
    if (request.TimePeriod.Start < clock.today) {
      throw new ValidationError("Start date must be equal to or no later than the current date");
    }
    const basis = FORECAST_METRICS[request.Metric] as string;
    const byPeriod = periods(request.TimePeriod.Start, request.TimePeriod.End, request.Granularity).map(
      (p) => ({
        p,
        ...forecastAmounts(p.Start, p.End, basis),
      }),
    );
    const total = byPeriod.reduce((sum, f) => sum + f.mean, 0n);
    return {
      Total: money(total),
      ForecastResultsByTime: byPeriod.map(({ p, mean, lower, upper }) => ({
        TimePeriod: p,
        MeanValue: formatAmount(mean),
        PredictionIntervalLowerBound: formatAmount(lower),
        PredictionIntervalUpperBound: formatAmount(upper),
      })),
    };
  }

  kit.app.get("/_simulator/stats", (c) => c.json(stats));
  kit.app.get("/_simulator/faults", (c) => c.json(faults));
  kit.app.put("/_simulator/faults", async (c) => {
    const parsed = simulatorFaultsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      return c.json({ error: "invalid_faults", message: z.prettifyError(parsed.error) }, 400);
    }
    faults = parsed.data;
    return c.json(faults);
  });

  return {
    kit,
    stats,
    setFaults: (next: Partial<SimulatorFaults>) => (faults = simulatorFaultsSchema.parse(next)),
  };
}

/** An answer that parses as JSON but that no client should trust: amounts that are not numbers. */
function malformedAnswer(operation: Operation) {
  if (operation === "GetCostForecast") return { Total: { Amount: "about a hundred", Unit: "USD" } };
  return {
    ResultsByTime: [
      {
        TimePeriod: { Start: "2024-01-01", End: "2024-01-02" },
        Groups: [
          {
            Keys: ["Amazon Elastic Compute Cloud - Compute"],
            Metrics: { UnblendedCost: { Amount: "1,5", Unit: "USD" } },
          },
        ],
        Estimated: false,
      },
    ],
  };
}

export type Simulator = ReturnType<typeof createSimulatorApp> & { running: RunningService };

/** Serves the simulator over HTTP (port 0 = any free port), for demo mode and for tests. */
export async function startSimulator(
  options: SimulatorOptions & { port?: number; host?: string } = {},
): Promise<Simulator> {
  const simulator = createSimulatorApp(options);
  const running = await serveService(simulator.kit, {
    config: { PORT: options.port ?? 0, HOST: options.host ?? "127.0.0.1", SHUTDOWN_TIMEOUT: 2_000 },
    handleSignals: false,
  });
  return { ...simulator, running };
}
