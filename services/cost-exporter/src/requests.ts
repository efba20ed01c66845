import type { GetCostAndUsageCommandInput, GetCostForecastCommandInput } from "@aws-sdk/client-cost-explorer";
import { addDays, earlierDay, firstOfMonth, firstOfNextMonth, type IsoDay, utcDay } from "./dates.js";

/** The cost bases Cost Explorer can report, with the label value and forecast metric of each. */
export const COST_BASES = {
  UnblendedCost: { label: "unblended", forecastMetric: "UNBLENDED_COST" },
  AmortizedCost: { label: "amortized", forecastMetric: "AMORTIZED_COST" },
  BlendedCost: { label: "blended", forecastMetric: "BLENDED_COST" },
  NetUnblendedCost: { label: "net_unblended", forecastMetric: "NET_UNBLENDED_COST" },
  NetAmortizedCost: { label: "net_amortized", forecastMetric: "NET_AMORTIZED_COST" },
} as const;
export type CostBasis = keyof typeof COST_BASES;
export const COST_BASIS_NAMES = Object.keys(COST_BASES) as [CostBasis, ...CostBasis[]];

export interface RefreshSettings {
  costBasis: CostBasis;
  /** Complete days before today to report day by day. */
  historyDays: number;
  tagKey?: string | undefined;
}

/** The calendar a refresh works in: every day it reports is derived from one "today". */
export interface RefreshCalendar {
  today: IsoDay;
  lastCompleteDay: IsoDay;
  monthStart: IsoDay;
  /** First day of the daily history (HISTORY_DAYS before today). */
  historyStart: IsoDay;
}

/** Everything one refresh asks Cost Explorer; each entry is one request plus its extra pages. */
export interface RefreshPlan {
  calendar: RefreshCalendar;
  /** Daily spend by service, reaching back far enough to serve history, yesterday, today and month to date. */
  costByService: GetCostAndUsageCommandInput;
  /** Daily spend by one cost-allocation tag, from the month start (or yesterday, if earlier) through today. */
  costByTag?: GetCostAndUsageCommandInput;
  /** The rest of the month, today included; absent when that period is empty. */
  forecast?: GetCostForecastCommandInput;
}

export function refreshCalendar(now: number, historyDays: number): RefreshCalendar {
  const today = utcDay(now);
  return {
    today,
    lastCompleteDay: addDays(today, -1),
    monthStart: firstOfMonth(today),
    historyStart: addDays(today, -historyDays),
  };
}

/**
 * Builds the requests of one refresh. Cost Explorer reads TimePeriod.End as exclusive, so "through
 * today" ends tomorrow. One DAILY request starting at the earlier of the month start and the history
 * start serves the daily history, the last complete day, today and the month to date at once.
 */
export function planRefresh(now: number, { costBasis, historyDays, tagKey }: RefreshSettings): RefreshPlan {
  const calendar = refreshCalendar(now, historyDays);
  const tomorrow = addDays(calendar.today, 1);
  const costByService: GetCostAndUsageCommandInput = {
    TimePeriod: { Start: earlierDay(calendar.monthStart, calendar.historyStart), End: tomorrow },
    Granularity: "DAILY",
    Metrics: [costBasis],
    GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
  };
  const plan: RefreshPlan = { calendar, costByService };
  if (tagKey) {
    plan.costByTag = {
      TimePeriod: { Start: earlierDay(calendar.monthStart, calendar.lastCompleteDay), End: tomorrow },
      Granularity: "DAILY",
      Metrics: [costBasis],
      GroupBy: [{ Type: "TAG", Key: tagKey }],
    };
  }
  // The forecast covers today through the month end (Start must not lie in the past). The period is
  // never empty with Start = today, but the guard keeps a future change from sending an invalid request.
  const monthEnd = firstOfNextMonth(calendar.today);
  if (calendar.today < monthEnd) {
    plan.forecast = {
      TimePeriod: { Start: calendar.today, End: monthEnd },
      Granularity: "MONTHLY",
      Metric: COST_BASES[costBasis].forecastMetric,
      PredictionIntervalLevel: 80,
    };
  }
  return plan;
}
