import { Gauge, type Registry } from "prom-client";
import { addDays, firstOfMonth, utcDay } from "./dates.js";
import { type Amount, amountToNumber } from "./decimal.js";
import type { CostSnapshot } from "./snapshot.js";

/** What `/metrics` may read at scrape time; nothing here calls AWS. */
export interface SnapshotSource {
  snapshot(): CostSnapshot | undefined;
  lastRefreshSucceeded(): boolean;
  /** False while Cost Explorer's last answer was that it is not enabled for the account. */
  costExplorerEnabled(): boolean;
  /** When the exporter started; data age counts from here until the first success. */
  startedAt: number;
  paidRequestsToday(): number;
}

export interface SnapshotMetricsOptions {
  mode: "aws" | "demo";
  costBasisLabel: string;
  refreshIntervalMs: number;
  dailyRequestCap: number;
  now: () => number;
}

/** What the spend gauges share: where they register, the snapshot source, the basis, what is still current. */
interface SpendContext {
  registers: Registry[];
  source: SnapshotSource;
  cost_basis: string;
  fresh: (snapshot: CostSnapshot) => { today: boolean; lastCompleteDay: boolean; month: boolean };
}

/**
 * A spend gauge: at each scrape, the rows `rows` picks from the last snapshot (none when it has no
 * snapshot, or when the rows describe a day or month that is over).
 */
function spendGauge<L extends string>(
  { registers, source }: SpendContext,
  name: string,
  help: string,
  labelNames: readonly L[],
  rows: (snapshot: CostSnapshot) => [Record<L, string>, Amount][],
) {
  return new Gauge({
    name,
    help,
    labelNames,
    registers,
    collect() {
      this.reset();
      const snapshot = source.snapshot();
      if (!snapshot) return;
      for (const [labels, amount] of rows(snapshot)) this.set(labels, amountToNumber(amount));
    },
  });
}

/** Spend per day and AWS service: the dated days, yesterday, today, the month so far and its forecast. */
function serviceSpendMetrics(context: SpendContext) {
  const { cost_basis, fresh } = context;
  spendGauge(
    context,
    "aws_cost_daily_amount",
    "Spend per UTC day and AWS service (last HISTORY_DAYS complete days and today so far).",
    ["day", "service", "cost_basis", "currency", "estimated"],
    (snapshot) =>
      snapshot.daily.map((d) => [
        { day: d.day, service: d.service, cost_basis, currency: d.currency, estimated: String(d.estimated) },
        d.amount,
      ]),
  );

  spendGauge(
    context,
    "aws_cost_last_complete_day_amount",
    "Spend on the last complete UTC day (yesterday) per AWS service.",
    ["service", "cost_basis", "currency", "estimated"],
    (snapshot) =>
      fresh(snapshot).lastCompleteDay
        ? snapshot.lastCompleteDay.map((s) => [
            { service: s.service, cost_basis, currency: s.currency, estimated: String(s.estimated) },
            s.amount,
          ])
        : [],
  );

  spendGauge(
    context,
    "aws_cost_today_amount",
    "Spend so far today (UTC) per AWS service; always an estimate.",
    ["service", "cost_basis", "currency"],
    (snapshot) =>
      fresh(snapshot).today
        ? snapshot.today.map((s) => [{ service: s.service, cost_basis, currency: s.currency }, s.amount])
        : [],
  );

  spendGauge(
    context,
    "aws_cost_month_to_date_amount",
    "Spend this UTC calendar month so far (today's estimate included) per AWS service.",
    ["service", "cost_basis", "currency"],
    (snapshot) =>
      fresh(snapshot).month
        ? snapshot.monthToDate.map((s) => [
            { service: s.service, cost_basis, currency: s.currency },
            s.amount,
          ])
        : [],
  );

  spendGauge(
    context,
    "aws_cost_month_forecast_amount",
    "Expected month-end total: actual spend of the month's complete days plus Cost Explorer's forecast from today on (80% interval for lower/upper).",
    ["cost_basis", "currency", "bound"],
    (snapshot) => {
      const forecast = snapshot.monthForecast;
      if (!forecast || !fresh(snapshot).month) return [];
      const { currency } = forecast;
      return [
        [{ cost_basis, currency, bound: "mean" }, forecast.mean],
        [{ cost_basis, currency, bound: "lower" }, forecast.lower],
        [{ cost_basis, currency, bound: "upper" }, forecast.upper],
      ];
    },
  );
}

/** Spend per value of the cost-allocation tag: the month so far and yesterday. */
function tagSpendMetrics(context: SpendContext) {
  const { cost_basis, fresh } = context;
  spendGauge(
    context,
    "aws_cost_tag_month_to_date_amount",
    'Spend this UTC month so far per value of the cost-allocation tag COST_TAG_KEY (untagged resources as tag_value="untagged").',
    ["tag_key", "tag_value", "cost_basis", "currency"],
    (snapshot) => {
      const tag = snapshot.tag;
      if (!tag || !fresh(snapshot).month) return [];
      return tag.monthToDate.map((t) => [
        { tag_key: tag.key, tag_value: t.value, cost_basis, currency: t.currency },
        t.amount,
      ]);
    },
  );

  spendGauge(
    context,
    "aws_cost_tag_last_complete_day_amount",
    "Spend on the last complete UTC day per value of the cost-allocation tag COST_TAG_KEY.",
    ["tag_key", "tag_value", "cost_basis", "currency"],
    (snapshot) => {
      const tag = snapshot.tag;
      if (!tag || !fresh(snapshot).lastCompleteDay) return [];
      return tag.lastCompleteDay.map((t) => [
        { tag_key: tag.key, tag_value: t.value, cost_basis, currency: t.currency },
        t.amount,
      ]);
    },
  );
}

/** The exporter's own health: its last refresh, Cost Explorer's state, the data's age and its paid requests. */
function exporterHealthMetrics(
  registers: Registry[],
  source: SnapshotSource,
  { refreshIntervalMs, dailyRequestCap, now }: Omit<SnapshotMetricsOptions, "mode" | "costBasisLabel">,
) {
  new Gauge({
    name: "aws_cost_exporter_last_refresh_success",
    help: "1 if the last refresh succeeded, 0 if it failed (the previous snapshot is still served) or none finished yet.",
    registers,
    collect() {
      this.set(source.lastRefreshSucceeded() ? 1 : 0);
    },
  });

  new Gauge({
    name: "aws_cost_exporter_cost_explorer_enabled",
    help: "0 while Cost Explorer answers that it is not enabled for the AWS account (enable it once in the console), else 1.",
    registers,
    collect() {
      this.set(source.costExplorerEnabled() ? 1 : 0);
    },
  });

  new Gauge({
    name: "aws_cost_exporter_last_success_timestamp_seconds",
    help: "Unix time of the last successful refresh (0 before the first one).",
    registers,
    collect() {
      const snapshot = source.snapshot();
      this.set(snapshot ? snapshot.takenAt / 1000 : 0);
    },
  });

  new Gauge({
    name: "aws_cost_exporter_data_age_seconds",
    help: "Seconds since the served data was fetched (since start-up while no refresh has succeeded yet).",
    registers,
    collect() {
      const since = source.snapshot()?.takenAt ?? source.startedAt;
      this.set(Math.max(0, (now() - since) / 1000));
    },
  });

  new Gauge({
    name: "aws_cost_exporter_refresh_interval_seconds",
    help: "Configured time between refreshes (REFRESH_INTERVAL).",
    registers,
  }).set(refreshIntervalMs / 1000);

  new Gauge({
    name: "aws_cost_exporter_paid_requests_today",
    help: "Paid Cost Explorer requests sent so far this UTC day.",
    registers,
    collect() {
      this.set(source.paidRequestsToday());
    },
  });

  new Gauge({
    name: "aws_cost_exporter_daily_request_cap",
    help: "DAILY_REQUEST_CAP: most paid requests per UTC day (0 = no cap).",
    registers,
  }).set(dailyRequestCap);
}

/**
 * Gauges filled from the last snapshot at each scrape. Series that describe a day or month which is
 * no longer the current one (the refresh after midnight failed) are left out instead of being shown
 * as today's; the dated daily series stay, and data age tells how old everything is.
 */
export function registerSnapshotMetrics(
  registry: Registry,
  source: SnapshotSource,
  { mode, costBasisLabel, refreshIntervalMs, dailyRequestCap, now }: SnapshotMetricsOptions,
) {
  const registers = [registry];
  const cost_basis = costBasisLabel;
  const fresh = (snapshot: CostSnapshot) => {
    const today = utcDay(now());
    return {
      today: snapshot.calendar.today === today,
      lastCompleteDay: snapshot.calendar.lastCompleteDay === addDays(today, -1),
      month: snapshot.calendar.monthStart === firstOfMonth(today),
    };
  };

  new Gauge({
    name: "aws_cost_exporter_info",
    help: "Always 1; mode says whether the numbers come from AWS or from the demo simulator.",
    labelNames: ["mode", "cost_basis"] as const,
    registers,
  }).set({ mode, cost_basis }, 1);

  const context: SpendContext = { registers, source, cost_basis, fresh };
  serviceSpendMetrics(context);
  tagSpendMetrics(context);
  exporterHealthMetrics(registers, source, { refreshIntervalMs, dailyRequestCap, now });
}
