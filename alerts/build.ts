/**
 * Builds the Prometheus rule files `alerts/*.rules.yml` from `alerts/settings.yaml`, so objectives,
 * budget and ceilings live in one place. The generated files are committed (Prometheus, promtool and the
 * cluster's PrometheusRules read them unchanged); `alerts/rules.test.ts` fails when they are out of date.
 *
 *   npx tsx alerts/build.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse, stringify } from "yaml";
import { z } from "zod";

export const ALERTS_DIR = dirname(fileURLToPath(import.meta.url));

const fraction = z.number().gt(0).lt(1);
const positive = z.number().positive();

export const settingsSchema = z.object({
  runbookBaseUrl: z.url().transform((url) => url.replace(/\/+$/, "")),
  slo: z.object({
    availabilityObjective: fraction,
    latencyObjective: fraction,
    latencyThresholdSeconds: positive,
  }),
  cost: z.object({
    monthlyBudgetUsd: positive,
    costPerRequestCeilingUsd: positive,
    dailySpendSpikeFactor: z.number().gt(1),
    dailySpendSpikeMinIncreaseUsd: z.number().nonnegative(),
  }),
  business: z.object({
    revenueDropRatio: fraction,
    trafficNormalRatio: fraction,
    errorRatioNormal: fraction,
  }),
});
export type AlertSettings = z.infer<typeof settingsSchema>;

export function loadSettings(file = join(ALERTS_DIR, "settings.yaml")): AlertSettings {
  return settingsSchema.parse(parse(readFileSync(file, "utf8")));
}

/** Dashboard uids the alerts link to (the Telegram message turns them into Grafana links). */
export const DASHBOARD_UIDS = {
  overview: "platform-overview",
  red: "service-red",
  cost: "platform-cost",
} as const;

interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}
interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string> & { severity: "critical" | "warning" | "info" | "none" };
  annotations: { summary: string; description: string; value: string; runbook_url: string } & Record<
    string,
    string
  >;
}
type Rule = RecordingRule | AlertingRule;
interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

/** The multiwindow, multi-burn-rate pairs from the Google SRE workbook (30-day objective). */
export const BURN_RATE_WINDOWS = [
  { severity: "critical", factor: 14.4, long: "1h", short: "5m" },
  { severity: "critical", factor: 6, long: "6h", short: "30m" },
  { severity: "warning", factor: 3, long: "1d", short: "2h" },
  { severity: "warning", factor: 1, long: "3d", short: "6h" },
] as const;
const SLI_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;

const percent = (fractionValue: number) => `${Number((fractionValue * 100).toPrecision(6))}%`;
/** A number as PromQL writes it, without floating-point noise such as 0.014400000000000001. */
const num = (value: number) => String(Number(value.toPrecision(12)));

export function buildRuleFiles(settings: AlertSettings): Record<string, string> {
  const runbook = (alert: string) => `${settings.runbookBaseUrl}/${alert}.md`;
  const { slo, cost, business } = settings;
  const errorBudget = {
    availability: 1 - slo.availabilityObjective,
    latency: 1 - slo.latencyObjective,
  };

  const settingsGroup: RuleGroup = {
    name: "platform-settings",
    rules: [
      ["platform:settings_slo_availability:objective", slo.availabilityObjective],
      ["platform:settings_slo_latency:objective", slo.latencyObjective],
      ["platform:settings_slo_latency_threshold:seconds", slo.latencyThresholdSeconds],
      ["platform:settings_monthly_budget:usd", cost.monthlyBudgetUsd],
      ["platform:settings_cost_per_request_ceiling:usd", cost.costPerRequestCeilingUsd],
    ].map(([record, value]) => ({ record: String(record), expr: `vector(${num(Number(value))})` })),
  };

  const sliGroup: RuleGroup = {
    name: "slo-sli",
    rules: SLI_WINDOWS.flatMap((w) => [
      {
        record: `job:slo_availability_errors:ratio_rate${w}`,
        // `or … * 0` keeps a 0 for jobs that never answered 5xx, instead of no series at all.
        expr: `sum by (job) (rate(app_requests_total{status=~"5.."}[${w}]) or rate(app_requests_total[${w}]) * 0)
/
sum by (job) (rate(app_requests_total[${w}]))`,
      },
      {
        record: `job:slo_latency_slow:ratio_rate${w}`,
        expr: `1 - (
  sum by (job) (rate(app_request_duration_seconds_bucket{le="${slo.latencyThresholdSeconds}"}[${w}]))
  /
  sum by (job) (rate(app_request_duration_seconds_count[${w}]))
)`,
      },
    ]),
  };

  const burnAlert = (
    kind: "availability" | "latency",
    severity: "critical" | "warning",
    alert: string,
  ): AlertingRule => {
    const metric = kind === "availability" ? "slo_availability_errors" : "slo_latency_slow";
    const windows = BURN_RATE_WINDOWS.filter((w) => w.severity === severity);
    const budget = errorBudget[kind];
    const expr = windows
      .map(
        (w) => `(
  job:${metric}:ratio_rate${w.long} > ${num(w.factor * budget)}
and
  job:${metric}:ratio_rate${w.short} > ${num(w.factor * budget)}
)`,
      )
      .join("\nor\n");
    const what =
      kind === "availability"
        ? `of requests failed (5xx)`
        : `of requests took longer than ${slo.latencyThresholdSeconds}s`;
    const objective = kind === "availability" ? slo.availabilityObjective : slo.latencyObjective;
    const pace = windows.map((w) => `${w.factor}× over ${w.long} and ${w.short}`).join(", or ");
    return {
      alert,
      expr,
      for: severity === "critical" ? "2m" : "15m",
      labels: { severity, slo: kind },
      annotations: {
        summary: `{{ $labels.job }} is burning its ${kind} error budget ${severity === "critical" ? "fast" : "steadily"}`,
        description: `{{ $labels.job }}: {{ $value | humanizePercentage }} ${what} over the alert's long window. The objective is ${percent(objective)}; at this pace the 30-day error budget runs out early (burn rate ${pace}).`,
        value: "{{ $value | humanizePercentage }}",
        runbook_url: runbook(alert),
        dashboard_uid: DASHBOARD_UIDS.red,
      },
    };
  };

  const sloGroup: RuleGroup = {
    name: "slo-alerts",
    rules: [
      burnAlert("availability", "critical", "AvailabilityBudgetBurnFast"),
      burnAlert("availability", "warning", "AvailabilityBudgetBurnSlow"),
      burnAlert("latency", "critical", "LatencyBudgetBurnFast"),
      burnAlert("latency", "warning", "LatencyBudgetBurnSlow"),
    ],
  };

  const businessRecords: RuleGroup = {
    name: "business-recording",
    rules: [
      { record: "job:app_requests:rate5m", expr: "sum by (job) (rate(app_requests_total[5m]))" },
      { record: "job:app_revenue_usd:rate5m", expr: "sum by (job) (rate(app_revenue_total[5m]))" },
      {
        record: "job:app_checkouts:rate5m",
        expr: "sum by (job) (rate(app_checkouts_total[5m]))",
      },
      {
        record: "job:app_checkout_success:ratio_rate5m",
        expr: `sum by (job) (rate(app_checkouts_total{outcome="accepted"}[5m]) or rate(app_checkouts_total[5m]) * 0)
/
sum by (job) (rate(app_checkouts_total[5m]))`,
      },
      // Each series' own recent level: the baseline "normal" is measured against.
      { record: "job:app_requests:rate5m_avg1h", expr: "avg_over_time(job:app_requests:rate5m[1h])" },
      {
        record: "job:app_revenue_usd:rate5m_avg1h",
        expr: "avg_over_time(job:app_revenue_usd:rate5m[1h])",
      },
    ],
  };

  const businessAlerts: RuleGroup = {
    name: "business-alerts",
    rules: [
      {
        alert: "RevenueDropWhileHealthy",
        expr: `job:app_revenue_usd:rate5m < ${num(business.revenueDropRatio)} * job:app_revenue_usd:rate5m_avg1h
and on (job)
  job:app_requests:rate5m > ${num(business.trafficNormalRatio)} * job:app_requests:rate5m_avg1h
and on (job)
  job:slo_availability_errors:ratio_rate5m < ${num(business.errorRatioNormal)}`,
        for: "10m",
        labels: { severity: "critical" },
        annotations: {
          summary: "{{ $labels.job }} earns much less than usual while traffic and errors look normal",
          description: `Revenue on {{ $labels.job }} is {{ $value | printf "%.2f" }} USD/s, below ${percent(business.revenueDropRatio)} of its last-hour average, while requests keep arriving at their usual rate and fewer than ${percent(business.errorRatioNormal)} fail. Something answers successfully but does not sell: stock, pricing, payment or a logic error in checkout.`,
          value: '{{ $value | printf "%.2f" }} USD/s',
          runbook_url: runbook("RevenueDropWhileHealthy"),
          dashboard_uid: DASHBOARD_UIDS.overview,
        },
      },
    ],
  };

  const platformGroup: RuleGroup = {
    name: "platform-alerts",
    rules: [
      {
        alert: "TargetDown",
        expr: "up == 0",
        for: "2m",
        labels: { severity: "critical" },
        annotations: {
          summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
          description:
            "Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes. Its other alerts are silenced while this one fires.",
          value: "{{ $value }}",
          runbook_url: runbook("TargetDown"),
          dashboard_uid: DASHBOARD_UIDS.red,
        },
      },
      {
        alert: "Watchdog",
        expr: "vector(1)",
        labels: { severity: "none" },
        annotations: {
          summary: "The alerting pipeline works",
          description:
            "Always firing. Route it to a dead man's switch (heartbeat) service, which pages when this alert stops arriving: then Prometheus, Alertmanager or the path between them is broken.",
          value: "{{ $value }}",
          runbook_url: runbook("Watchdog"),
        },
      },
    ],
  };

  const costRecords: RuleGroup = {
    name: "cost-recording",
    rules: [
      {
        record: "platform:aws_cost_last_complete_day:usd",
        expr: "sum by (job, currency) (aws_cost_last_complete_day_amount)",
      },
      {
        // The complete days before yesterday: every day in the snapshot minus yesterday and, when Cost
        // Explorer has any spend for it yet, today (early in the UTC day it has none, and the average must
        // not vanish then).
        record: "platform:aws_cost_earlier_days_avg:usd",
        expr: `(
  sum by (job, currency) (aws_cost_daily_amount)
  - (sum by (job, currency) (aws_cost_today_amount) or 0 * sum by (job, currency) (aws_cost_daily_amount))
  - sum by (job, currency) (aws_cost_last_complete_day_amount)
)
/
(
  count by (job, currency) (count by (job, currency, day) (aws_cost_daily_amount))
  - 1
  - (
    count by (job, currency) (count by (job, currency) (aws_cost_today_amount))
    or 0 * count by (job, currency) (count by (job, currency, day) (aws_cost_daily_amount))
  )
)`,
      },
      {
        record: "platform:aws_cost_month_to_date:usd",
        expr: "sum by (job, currency) (aws_cost_month_to_date_amount)",
      },
      {
        record: "platform:aws_cost_month_forecast:usd",
        expr: `sum by (job, currency) (aws_cost_month_forecast_amount{bound="mean"})`,
      },
      {
        // Yesterday's spend per second over the requests per second of the last hour.
        record: "platform:cost_per_request:usd",
        expr: `sum by (currency) (platform:aws_cost_last_complete_day:usd) / 86400
/ on () group_left ()
sum(job:app_requests:rate5m_avg1h)`,
      },
    ],
  };

  const costAlerts: RuleGroup = {
    name: "cost-alerts",
    rules: [
      {
        alert: "CostExporterStale",
        expr: "aws_cost_exporter_data_age_seconds > 2 * aws_cost_exporter_refresh_interval_seconds",
        for: "10m",
        labels: { severity: "warning" },
        annotations: {
          summary: "Cost data from {{ $labels.job }} is stale",
          description:
            "The last successful Cost Explorer refresh of {{ $labels.instance }} is {{ $value | humanizeDuration }} old, more than twice its refresh interval. Cost panels and cost alerts show old numbers.",
          value: "{{ $value | humanizeDuration }}",
          runbook_url: runbook("CostExporterStale"),
          dashboard_uid: DASHBOARD_UIDS.cost,
        },
      },
      {
        alert: "CostExporterRefreshFailing",
        expr: "aws_cost_exporter_last_refresh_success == 0",
        for: "30m",
        labels: { severity: "warning" },
        annotations: {
          summary: "{{ $labels.job }} cannot refresh cost data",
          description:
            "The last Cost Explorer refresh of {{ $labels.instance }} failed and none has succeeded for 30 minutes. See the exporter's logs and aws_cost_exporter_api_requests_total by outcome (access_denied, invalid_credentials, throttled, …).",
          value: "{{ $value }}",
          runbook_url: runbook("CostExporterRefreshFailing"),
          dashboard_uid: DASHBOARD_UIDS.cost,
        },
      },
      {
        alert: "CostExporterThrottled",
        expr: "sum by (job, instance) (increase(aws_cost_exporter_api_throttles_total[1h])) > 0",
        labels: { severity: "warning" },
        annotations: {
          summary: "Cost Explorer throttles {{ $labels.job }}",
          description:
            'Cost Explorer answered {{ $value | printf "%.0f" }} requests of {{ $labels.instance }} with a throttling error in the last hour. Every retry is a paid request; raise REFRESH_INTERVAL or lower HISTORY_DAYS.',
          value: '{{ $value | printf "%.0f" }} throttles/h',
          runbook_url: runbook("CostExporterThrottled"),
          dashboard_uid: DASHBOARD_UIDS.cost,
        },
      },
      {
        alert: "DailySpendSpike",
        expr: `platform:aws_cost_last_complete_day:usd > ${num(cost.dailySpendSpikeFactor)} * platform:aws_cost_earlier_days_avg:usd
and
platform:aws_cost_last_complete_day:usd - platform:aws_cost_earlier_days_avg:usd > ${num(cost.dailySpendSpikeMinIncreaseUsd)}`,
        for: "30m",
        labels: { severity: "warning" },
        annotations: {
          summary: "Yesterday's AWS spend jumped",
          description: `AWS spend on the last complete day was {{ $value | printf "%.2f" }} {{ $labels.currency }}, more than ${cost.dailySpendSpikeFactor}× the average of the days before it (and at least ${cost.dailySpendSpikeMinIncreaseUsd} more). Look at spend by service to find what grew.`,
          value: '{{ $value | printf "%.2f" }} {{ $labels.currency }}',
          runbook_url: runbook("DailySpendSpike"),
          dashboard_uid: DASHBOARD_UIDS.cost,
        },
      },
      {
        alert: "ForecastOverBudget",
        expr: `platform:aws_cost_month_forecast:usd > ${num(cost.monthlyBudgetUsd)}`,
        for: "1h",
        labels: { severity: "warning" },
        annotations: {
          summary: "This month's AWS bill is forecast above the budget",
          description: `Cost Explorer forecasts {{ $value | printf "%.2f" }} {{ $labels.currency }} for the whole month, above the budget of ${cost.monthlyBudgetUsd}.`,
          value: '{{ $value | printf "%.2f" }} {{ $labels.currency }}',
          runbook_url: runbook("ForecastOverBudget"),
          dashboard_uid: DASHBOARD_UIDS.cost,
        },
      },
      {
        alert: "CostPerRequestOverCeiling",
        expr: `platform:cost_per_request:usd > ${num(cost.costPerRequestCeilingUsd)}`,
        for: "1h",
        labels: { severity: "warning" },
        annotations: {
          summary: "Each request costs more than the ceiling",
          description: `Yesterday's AWS spend divided by the current request rate is {{ $value | printf "%.6f" }} {{ $labels.currency }} per request, above the ceiling of ${cost.costPerRequestCeilingUsd}. Either spend grew or traffic fell.`,
          value: '{{ $value | printf "%.6f" }} {{ $labels.currency }}/request',
          runbook_url: runbook("CostPerRequestOverCeiling"),
          dashboard_uid: DASHBOARD_UIDS.overview,
        },
      },
    ],
  };

  const header = (what: string) =>
    `# Generated by alerts/build.ts from alerts/settings.yaml: edit those, then run \`npx tsx alerts/build.ts\`.\n# ${what}\n`;
  const file = (what: string, groups: RuleGroup[]) =>
    header(what) + stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
  return {
    "settings.rules.yml": file("Settings published as series, for dashboards and ad-hoc queries.", [
      settingsGroup,
    ]),
    "slo.rules.yml": file("Availability and latency SLIs and their multiwindow, multi-burn-rate alerts.", [
      sliGroup,
      sloGroup,
    ]),
    "business.rules.yml": file("Revenue, orders and checkout: what the shop earns.", [
      businessRecords,
      businessAlerts,
    ]),
    "platform.rules.yml": file("Scrape health and the always-firing Watchdog.", [platformGroup]),
    "cost.rules.yml": file("AWS spend, the cost exporter's own health, unit economics.", [
      costRecords,
      costAlerts,
    ]),
  };
}

/** Every alert name with its rule file, read from built files (for tests, runbooks and docs). */
export function alertNames(files: Record<string, string>): { alert: string; file: string }[] {
  return Object.entries(files).flatMap(([file, text]) =>
    (parse(text) as { groups: RuleGroup[] }).groups.flatMap((g) =>
      g.rules.filter((r): r is AlertingRule => "alert" in r).map((r) => ({ alert: r.alert, file })),
    ),
  );
}

/** Points the runbook links of the promtool test files at the configured base, so a fork's tests agree. */
export function retargetTestRunbooks(testText: string, runbookBaseUrl: string): string {
  return testText.replace(
    /(runbook_url:\s*["']?)\S+\/([A-Za-z0-9]+\.md)/g,
    (_all, prefix: string, page: string) => `${prefix}${runbookBaseUrl}/${page}`,
  );
}

function main() {
  const settings = loadSettings();
  for (const [name, text] of Object.entries(buildRuleFiles(settings))) {
    writeFileSync(join(ALERTS_DIR, name), text);
    const testFile = join(ALERTS_DIR, name.replace(/\.rules\.yml$/, ".rules.test.yml"));
    try {
      const tests = readFileSync(testFile, "utf8");
      const retargeted = retargetTestRunbooks(tests, settings.runbookBaseUrl);
      if (retargeted !== tests) writeFileSync(testFile, retargeted);
    } catch {
      // a rule file without tests yet
    }
    console.log(`wrote alerts/${name}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
