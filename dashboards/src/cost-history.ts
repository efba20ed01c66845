/**
 * Cost history: months of the recorded cost and business series, read from the long-term store (Amazon
 * Managed Service for Prometheus in a cluster, a second Prometheus on `npm start`), where the in-cluster
 * Prometheus keeps only the days its alerts read. A month here is the price table's 730 hours: each figure is
 * the average run-rate over the 730 hours that end at its point, times 730 (a month not yet full is
 * extrapolated from the part the store holds).
 */
import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/dashboard";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { LONG_TERM_DATASOURCE } from "../../thresholds/dashboards";
import type { DashboardRow } from "./dashboard";
import { barGaugePanel, greenThen, instantQuery, rangeQuery, statPanel, timeseriesPanel } from "./panels";

/** The long-term store by its uid (provisioned with it in both places), not the `${datasource}` variable. */
const LONG_TERM: DataSourceRef = { uid: LONG_TERM_DATASOURCE.uid };
const MONTH = "730h";
const HISTORY = "1y";

/** A month's cost of a recorded run-rate (dollars per hour), by the labels given. */
const monthly = (series: string, by: string, offset = "") =>
  `sum${by ? ` by (${by})` : ""} (avg_over_time(${series}[${MONTH}]${offset ? ` offset ${offset}` : ""})) * 730`;

/** Dollars per unit over a month: the month's cost per second over the month's average rate of units. */
const unitCost = (rate: string) =>
  `sum(avg_over_time(platform:live_cost_total:usd_per_hour[${MONTH}])) / 3600\n/ (sum(avg_over_time(${rate}[${MONTH}])) > 0)`;

const range = (refId: string, expr: string, legend: string) =>
  rangeQuery(refId, expr, legend).datasource(LONG_TERM);
const instant = (refId: string, expr: string, legend: string) =>
  instantQuery(refId, expr, legend).datasource(LONG_TERM);

/** What nothing in the long-term store answers yet, said where the number would be. */
export const NO_EARLIER_MONTH = "the long-term store holds no month before this one yet";
export const NO_WHOLE_MONTH =
  "a point per 730 hours, at the end of each: the first appears once the long-term store holds one";

/**
 * A point per 730 hours over a year, each reading its own 730 hours once: what one refresh reads from the
 * store is a year of the kept series, however wide the panel (queried samples are billed in a cluster).
 */
const byMonth = <T extends { timeFrom(t: string): T; interval(i: string): T; maxDataPoints(n: number): T }>(
  panel: T,
) => panel.timeFrom(HISTORY).interval(MONTH).maxDataPoints(13);

export function costHistory(): DashboardRow {
  return {
    title: "Cost history: months, from the long-term store",
    panels: [
      barGaugePanel(
        "Cost per namespace, last 730 hours",
        "What each namespace's workloads cost over the last 730 hours (the price table's month): their run-rate averaged over the hours the long-term store holds, × 730.",
        units.Dollars,
      )
        .datasource(LONG_TERM)
        .withTarget(
          instant(
            "A",
            `sort_desc(${monthly("platform:live_cost_namespace:usd_per_hour", "namespace")})`,
            "{{namespace}}",
          ),
        ),
      barGaugePanel(
        "Cost per workload, last 730 hours",
        "The 20 costliest Deployments, StatefulSets, DaemonSets and Jobs over the last 730 hours, by their pods' requests.",
        units.Dollars,
      )
        .datasource(LONG_TERM)
        .withTarget(
          instant(
            "A",
            `topk(20, ${monthly("platform:live_cost_workload:usd_per_hour", "namespace, workload, workload_kind")})`,
            "{{namespace}}/{{workload}} ({{workload_kind}})",
          ),
        ),
      statPanel(
        "Month over month",
        "The platform's cost over the last 730 hours against the 730 before them: above 0 it grew.",
        units.PercentUnit,
      )
        .datasource(LONG_TERM)
        .thresholds(greenThen(["orange", 0.1], ["red", 0.25]))
        .noValue(NO_EARLIER_MONTH)
        .withTarget(
          instant(
            "A",
            `${monthly("platform:live_cost_total:usd_per_hour", "")}\n/ (${monthly("platform:live_cost_total:usd_per_hour", "", MONTH)} > 0) - 1`,
            "month over month",
          ),
        ),
      byMonth(
        timeseriesPanel(
          "Cost per namespace by month",
          "Each point: what a namespace's workloads cost over the 730 hours ending there, over the last year.",
          units.Dollars,
          true,
        ),
      )
        .datasource(LONG_TERM)
        .span(12)
        .noValue(NO_WHOLE_MONTH)
        .withTarget(
          range("A", monthly("platform:live_cost_namespace:usd_per_hour", "namespace"), "{{namespace}}"),
        ),
      statPanel(
        "Unit cost, last 730 hours",
        "The platform's cost over the last 730 hours divided by the requests, and by the orders, of the same hours.",
        units.Dollars,
      )
        .datasource(LONG_TERM)
        .span(4)
        .decimals(6)
        .withTarget(instant("A", unitCost("platform:app_requests:rate5m"), "per request"))
        .withTarget(instant("B", unitCost("platform:app_orders:rate5m"), "per order")),
      byMonth(
        timeseriesPanel(
          "Unit cost by month: per request, per order",
          "Each point: the platform's cost over the 730 hours ending there divided by the requests, and by the orders, of the same hours.",
          units.Dollars,
        ),
      )
        .datasource(LONG_TERM)
        .noValue(NO_WHOLE_MONTH)
        .withTarget(range("A", unitCost("platform:app_requests:rate5m"), "per request"))
        .withTarget(range("B", unitCost("platform:app_orders:rate5m"), "per order")),
    ],
  };
}
