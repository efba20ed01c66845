import { num } from "../../thresholds/units";
import type { RuleGroupBuilder } from "./rule";

/** AWS spend from the cost exporter's snapshot, and the unit cost of a request. */
export const costRecording: RuleGroupBuilder = () => ({
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
});

/**
 * A new account whose Cost Explorer nobody opened yet has no data to be stale or to fail on: that state has its
 * own (info) alert, and the exporter's health alerts stand aside while it lasts.
 */
const UNLESS_NOT_ENABLED = "unless on (job, instance) aws_cost_exporter_cost_explorer_enabled == 0";

/** The cost exporter's own health, spend that jumps, a month over budget, requests that cost too much. */
export const costAlerts: RuleGroupBuilder = ({ thresholds: { cost } }) => ({
  name: "cost-alerts",
  rules: [
    {
      alert: "CostExplorerNotEnabled",
      expr: "aws_cost_exporter_cost_explorer_enabled == 0",
      for: "15m",
      labels: { severity: "info" },
      annotations: {
        summary: "Cost Explorer is not enabled for the AWS account of {{ $labels.job }}",
        description:
          "AWS answers {{ $labels.instance }} that the account never opened Cost Explorer. Someone with access to the Billing and Cost Management console opens Cost Explorer once; the current month's data follows within about 24 hours. Until then no cost panel or cost alert has data.",
        value: "{{ $value }}",
      },
    },
    {
      alert: "CostExporterStale",
      expr: `aws_cost_exporter_data_age_seconds > 2 * aws_cost_exporter_refresh_interval_seconds
${UNLESS_NOT_ENABLED}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Cost data from {{ $labels.job }} is stale",
        description:
          "The last successful Cost Explorer refresh of {{ $labels.instance }} is {{ $value | humanizeDuration }} old, more than twice its refresh interval. Cost panels and cost alerts show old numbers.",
        value: "{{ $value | humanizeDuration }}",
      },
    },
    {
      alert: "CostExporterRefreshFailing",
      expr: `aws_cost_exporter_last_refresh_success == 0
${UNLESS_NOT_ENABLED}`,
      for: "30m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.job }} cannot refresh cost data",
        description:
          "The last Cost Explorer refresh of {{ $labels.instance }} failed and none has succeeded for 30 minutes. See the exporter's logs and aws_cost_exporter_api_requests_total by outcome (access_denied, invalid_credentials, throttled, …).",
        value: "{{ $value }}",
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
      },
    },
  ],
});
