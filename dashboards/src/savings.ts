/**
 * The Cost dashboard's Savings row: per container what is requested, what was used and what the
 * right-sizing rules recommend (alerts/rightsize.rules.yml), what the difference costs a month at the
 * live-cost rates, the nodes' idle cost and the total. What a change saves at node level (a node that can
 * go) is the capacity model's answer: `npm run rightsize` and the pull request it opens say it.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { RIGHTSIZE_SERIES } from "../../thresholds/series";
import type { DashboardRow } from "./dashboard";
import { barGaugePanel, instantQuery, statPanel, tablePanel, tableQuery } from "./panels";

/** Hours in the price table's month, from the exporter: an hourly figure × this is its month. */
const MONTH_HOURS = "on () group_left () (max(aws_price_table_month_seconds) / 3600)";
const BY = "namespace, workload, container";
const S = RIGHTSIZE_SERIES;

/** What the recommendation panels say before the window holds enough recorded use. */
export const NO_RECOMMENDATION_YET =
  "no recommendation yet: the window (alerts/rightsize.yaml; npm start: RIGHTSIZE_WINDOW) is not yet recorded enough";

const perContainer = (title: string, description: string, unit: string, series: [string, string, string]) =>
  tablePanel(title, description, unit, { A: "requested", B: "used", C: "recommended" })
    .span(12)
    .height(8)
    .noValue(NO_RECOMMENDATION_YET)
    .withTarget(tableQuery("A", `max by (${BY}) (${series[0]})`))
    .withTarget(tableQuery("B", `max by (${BY}) (${series[1]})`))
    .withTarget(tableQuery("C", `max by (${BY}) (${series[2]})`));

export function savings(): DashboardRow {
  return {
    title: "Savings: requests against what each container used",
    panels: [
      perContainer(
        "CPU per container: requested · used · recommended (cores)",
        "Each container's CPU request, its 95th percentile use over the window (recorded every 5 minutes from cAdvisor; npm start: the process's own CPU) and the request recommended from it (p95 + 15%, at least 10m; raised when throttled). No recommendation while under 80% of the window is recorded.",
        units.Short,
        [S.cpuRequest, S.cpuQuantile, S.cpuRecommendation],
      ),
      perContainer(
        "Memory per container: requested · used · recommended",
        "Each container's memory request, its largest working set over the window (npm start: the process's resident memory) and the request recommended from it (never below that maximum + 15%, at least 64 MiB; raised ×1.2 after an OOM kill).",
        units.BytesIEC,
        [S.memoryRequest, S.memoryMax, S.memoryRecommendation],
      ),
      barGaugePanel(
        "Requested share freed a month, per workload",
        "What the running pods' requests above the recommendation cost a month at their nodes' live-cost CPU and memory rates (negative: a raise costs). A share of nodes already paid for: it saves money only once a node can go, which npm run rightsize works out with the cost comment's capacity model.",
        units.Dollars,
      )
        .span(12)
        .noValue(NO_RECOMMENDATION_YET)
        .withTarget(
          instantQuery(
            "A",
            `sort_desc(sum by (namespace, workload) (${S.freed}) * ${MONTH_HOURS})`,
            "{{namespace}}/{{workload}}",
          ),
        ),
      statPanel(
        "Requested share freed a month, in all",
        "The sum of the bars beside: every recommendation's requested share at the live-cost rates, a month of it.",
        units.Dollars,
      )
        .span(6)
        .noValue(NO_RECOMMENDATION_YET)
        .withTarget(instantQuery("A", `sum(${S.freed}) * ${MONTH_HOURS}`, "freed a month")),
      statPanel(
        "Idle a month",
        "What no request takes on the nodes, a month of it: the most right-sizing can free without removing a node.",
        units.Dollars,
      )
        .span(6)
        .withTarget(
          instantQuery("A", `platform:live_cost_idle:usd_per_hour * ${MONTH_HOURS}`, "idle a month"),
        ),
    ],
  };
}
