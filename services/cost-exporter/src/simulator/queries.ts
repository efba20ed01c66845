/** GetCostAndUsage: the simulated bill by day or month, grouped by service or by a tag, paged. */
import { z } from "zod";
import type { IsoDay } from "../dates.js";
import { addDays } from "../dates.js";
import type { Amount } from "../decimal.js";
import { isEstimated, reportedAmount, SIMULATED_SERVICES, type SimulatorClock, tagSplit } from "./dataset.js";
import { checkPeriod, dateInterval, money, parseRequest, periods, ValidationError } from "./protocol.js";

const COST_METRICS = [
  "UnblendedCost",
  "AmortizedCost",
  "BlendedCost",
  "NetUnblendedCost",
  "NetAmortizedCost",
];

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
interface ResultEntry {
  TimePeriod: { Start: IsoDay; End: IsoDay };
  Total: Record<string, { Amount: string; Unit: string }>;
  Groups: { Keys: string[]; Metrics: Record<string, { Amount: string; Unit: string }> }[];
  Estimated: boolean;
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
  throw new ValidationError("Invalid NextPageToken", "InvalidNextTokenException");
}

/** Answers a GetCostAndUsage request body at the simulator's clock, `pageSize` groups per page. */
export function getCostAndUsage(body: unknown, clock: SimulatorClock, pageSize: number) {
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
