/**
 * What goes to the long-term store (Amazon Managed Service for Prometheus in a cluster, a second Prometheus on
 * `npm start`), and for how long: the recorded platform-level series of cost, unit economics and business,
 * each a handful of series whatever the cluster's size (per stack, part, namespace or workload, never per pod
 * or node), so a year of them costs little. Both Prometheus configurations read KEEP_REGEX for their
 * remote-write relabelling, so the cluster and a laptop send exactly the same names.
 */
import { COST_ESTIMATE_SERIES } from "../thresholds/series";

export const LONG_TERM_SERIES = [
  // What the platform costs, by part of the bill, namespace and workload, and what nobody uses.
  "platform:live_cost_total:usd_per_hour",
  "platform:live_cost_stack:usd_per_hour",
  "platform:live_cost:usd_per_hour",
  "platform:live_cost_namespace:usd_per_hour",
  "platform:live_cost_workload:usd_per_hour",
  "platform:live_cost_idle:usd_per_hour",
  "platform:live_cost_shared:usd_per_hour",
  // Unit economics.
  "platform:live_cost_per_request:usd",
  "platform:live_cost_per_order:usd",
  "platform:live_revenue_per_cost:ratio",
  "platform:cost_per_request:usd",
  // The business the cost is set against, platform-wide.
  "platform:app_requests:rate5m",
  "platform:app_orders:rate5m",
  "platform:app_revenue_usd:rate5m",
  // What was estimated and billed.
  COST_ESTIMATE_SERIES.monthly,
  "platform:aws_cost_last_complete_day:usd",
  "platform:aws_cost_month_to_date:usd",
  "platform:aws_cost_month_forecast:usd",
  "platform:live_cost_yesterday:usd",
  "platform:aws_cost_billed_yesterday:usd",
] as const;

/** The `keep` regex of the remote-write relabelling: these names and nothing else (anchored by Prometheus). */
export const KEEP_REGEX = LONG_TERM_SERIES.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(
  "|",
);

/**
 * How long the long-term store keeps them: 13 months and a few days, so last year's same month is still there
 * for month-over-month a year on. Amazon Managed Service for Prometheus keeps 150 days unless its workspace
 * is configured otherwise (at most 1,095 days).
 */
export const LONG_TERM_RETENTION_DAYS = 400;
