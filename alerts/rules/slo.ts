import { BURN_RATE_WINDOWS } from "../../thresholds/burn-rates";
import { num, percent } from "../../thresholds/units";
import type { AlertDefinition, RuleContext, RuleGroupBuilder } from "./rule";

const SLI_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;

/**
 * Availability and latency SLIs over every window an alert reads. Only the 5-minute rates read the raw request
 * series (one series per pod and label set); every longer window sums those per-job rates over time, so a
 * 3-day window reads a few series per job however many pods serve it, instead of 3 days of every pod's samples.
 * Each numerator and its denominator are recorded in the same evaluation, so their ratio never mixes two instants.
 */
export const sloSli: RuleGroupBuilder = ({ thresholds: { slo } }) => {
  const requests = "job:slo_requests:rate5m";
  const failed = "job:slo_requests_failed:rate5m";
  const timed = "job:slo_requests_timed:rate5m";
  const fast = "job:slo_requests_fast:rate5m";
  const ratio = (numerator: string, denominator: string, w: string) =>
    w === "5m"
      ? `${numerator}\n/\n${denominator}`
      : `sum_over_time(${numerator}[${w}])\n/\nsum_over_time(${denominator}[${w}])`;
  return {
    name: "slo-sli",
    rules: [
      { record: requests, expr: "sum by (job) (rate(app_requests_total[5m]))" },
      // `or … * 0` keeps a 0 for jobs that never answered 5xx, instead of no series at all.
      {
        record: failed,
        expr: `sum by (job) (rate(app_requests_total{status=~"5.."}[5m]))\nor\n${requests} * 0`,
      },
      { record: timed, expr: "sum by (job) (rate(app_request_duration_seconds_count[5m]))" },
      {
        record: fast,
        expr: `sum by (job) (rate(app_request_duration_seconds_bucket{le="${slo.latencyThresholdSeconds}"}[5m]))`,
      },
      ...SLI_WINDOWS.flatMap((w) => [
        { record: `job:slo_availability_errors:ratio_rate${w}`, expr: ratio(failed, requests, w) },
        {
          record: `job:slo_latency_slow:ratio_rate${w}`,
          expr: `1 - (\n  ${ratio(fast, timed, w).replaceAll("\n", "\n  ")}\n)`,
        },
      ]),
    ],
  };
};

function burnAlert(
  { thresholds: { slo } }: RuleContext,
  kind: "availability" | "latency",
  severity: "critical" | "warning",
  alert: string,
): AlertDefinition {
  const metric = kind === "availability" ? "slo_availability_errors" : "slo_latency_slow";
  const objective = kind === "availability" ? slo.availabilityObjective : slo.latencyObjective;
  const budget = 1 - objective;
  const windows = BURN_RATE_WINDOWS.filter((w) => w.severity === severity);
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
    },
  };
}

/** Pages when an error budget burns fast, tickets when it burns steadily. */
export const sloAlerts: RuleGroupBuilder = (context) => ({
  name: "slo-alerts",
  rules: [
    burnAlert(context, "availability", "critical", "AvailabilityBudgetBurnFast"),
    burnAlert(context, "availability", "warning", "AvailabilityBudgetBurnSlow"),
    burnAlert(context, "latency", "critical", "LatencyBudgetBurnFast"),
    burnAlert(context, "latency", "warning", "LatencyBudgetBurnSlow"),
  ],
});
