import { DASHBOARD_UIDS } from "../../dashboards/src/uids";
import { num, percent, type RuleGroupBuilder } from "./rule";

/** Requests, revenue and checkouts per job, and each series' own recent level. */
export const businessRecording: RuleGroupBuilder = () => ({
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
});

/** A shop that answers but does not sell. */
export const businessAlerts: RuleGroupBuilder = ({ settings: { business }, runbook }) => ({
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
});
