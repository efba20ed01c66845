/** Cost: AWS spend by service and by cost-allocation tag, the forecast, and the cost exporter's health. */
import * as common from "@grafana/grafana-foundation-sdk/common";
import { MappingType } from "@grafana/grafana-foundation-sdk/dashboard";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { COST_ESTIMATE_SERIES, THRESHOLD_SERIES } from "../../thresholds/series";
import { percent } from "../../thresholds/units";
import { costHistory } from "./cost-history";
import { type DashboardContext, type DashboardRow, platformDashboard, withRows } from "./dashboard";
import {
  barGaugePanel,
  gaugePanel,
  greenThen,
  instantQuery,
  rangeQuery,
  redThen,
  statPanel,
  tablePanel,
  tableQuery,
  timeseriesPanel,
  UNITS,
} from "./panels";
import { savings } from "./savings";

/** Hours in the price table's month, from the exporter: an hourly figure × this is its month. */
const MONTH_HOURS = "on () group_left () (max(aws_price_table_month_seconds) / 3600)";

const byService = (title: string, description: string, metric: string) =>
  barGaugePanel(title, description, units.Dollars).withTarget(
    instantQuery("A", `sort_desc(sum by (service) (${metric}))`, "{{service}}"),
  );

const byTag = (title: string, description: string, metric: string) =>
  barGaugePanel(title, description, units.Dollars)
    .span(12)
    .withTarget(
      instantQuery("A", `sort_desc(sum by (tag_key, tag_value) (${metric}))`, "{{tag_key}}={{tag_value}}"),
    );

function spend(): DashboardRow {
  return {
    title: "Spend",
    panels: [
      byService(
        "Spend yesterday by service",
        "AWS spend on the last complete UTC day, by AWS service (small ones fold into other).",
        "aws_cost_last_complete_day_amount",
      ),
      byService(
        "Month to date by service",
        "AWS spend since the first of the month, by AWS service.",
        "aws_cost_month_to_date_amount",
      ),
      byService(
        "Today so far by service",
        "Spend of the current UTC day so far; Cost Explorer marks it estimated and it keeps growing.",
        "aws_cost_today_amount",
      ),
      barGaugePanel(
        "Daily spend",
        "Total AWS spend per UTC day. DailySpendSpike fires when yesterday is well above the average of the days before it.",
        units.Dollars,
      )
        .span(12)
        .withTarget(instantQuery("A", "sum by (day) (aws_cost_daily_amount)", "{{day}}")),
      timeseriesPanel(
        "Month-end forecast vs budget",
        "Forecast month-end total (mean with lower and upper bounds), month to date and the stack's monthly budget (its thresholds; default in thresholds/thresholds.yaml).",
        units.Dollars,
      )
        .span(12)
        .withTarget(rangeQuery("A", "sum by (bound) (aws_cost_month_forecast_amount)", "forecast {{bound}}"))
        .withTarget(rangeQuery("B", "sum(aws_cost_month_to_date_amount)", "month to date"))
        .withTarget(rangeQuery("C", THRESHOLD_SERIES.monthlyBudgetUsd, "budget")),
      byTag(
        "Month to date by tag",
        "Spend since the first of the month by the value of the cost-allocation tag set in COST_TAG_KEY (empty when no tag key is configured).",
        "aws_cost_tag_month_to_date_amount",
      ),
      byTag(
        "Spend yesterday by tag",
        "Spend on the last complete day by cost-allocation tag value (COST_TAG_KEY).",
        "aws_cost_tag_last_complete_day_amount",
      ),
    ],
  };
}

function exporterHealth(): DashboardRow {
  return {
    title: "Cost exporter health",
    panels: [
      statPanel(
        "Source",
        "Where the numbers come from: demo (the Cost Explorer simulator) or aws (the real, paid API), and the cost basis.",
        units.NoUnit,
      )
        .span(4)
        .textMode(common.BigValueTextMode.Name)
        .withTarget(
          instantQuery(
            "A",
            "max by (mode, cost_basis) (aws_cost_exporter_info)",
            "{{mode}} · {{cost_basis}}",
          ),
        ),
      statPanel(
        "Data age",
        "Time since the last successful Cost Explorer refresh. CostExporterStale fires above twice the refresh interval.",
        units.Seconds,
      )
        .span(4)
        .withTarget(instantQuery("A", "max(aws_cost_exporter_data_age_seconds)", "age")),
      statPanel(
        "Data age / refresh interval",
        "Data age in refresh intervals: orange above 1, red above 2 (stale).",
        UNITS.times,
      )
        .decimals(2)
        .span(4)
        .thresholds(greenThen(["orange", 1], ["red", 2]))
        .withTarget(
          instantQuery(
            "A",
            "max(aws_cost_exporter_data_age_seconds / aws_cost_exporter_refresh_interval_seconds)",
            "age / interval",
          ),
        ),
      statPanel(
        "Last refresh",
        "Whether the last refresh succeeded. CostExporterRefreshFailing fires after 30 minutes of failure.",
        units.NoUnit,
      )
        .span(4)
        .thresholds(redThen(["green", 1]))
        .mappings([
          {
            type: MappingType.ValueToText,
            options: { "0": { text: "failed", color: "red" }, "1": { text: "ok", color: "green" } },
          },
        ])
        .withTarget(instantQuery("A", "min(aws_cost_exporter_last_refresh_success)", "last refresh")),
      statPanel(
        "Paid requests today",
        "Cost Explorer API requests made today (UTC); each costs money in aws mode. The daily cap is DAILY_REQUEST_CAP (0 = none).",
        units.Short,
      )
        .span(4)
        .withTarget(instantQuery("A", "sum(aws_cost_exporter_paid_requests_today)", "today"))
        .withTarget(instantQuery("B", "max(aws_cost_exporter_daily_request_cap)", "cap")),
      statPanel(
        "Throttles (1h)",
        "Requests Cost Explorer throttled in the last hour; each retry is another paid request (CostExporterThrottled).",
        units.Short,
      )
        .span(4)
        .thresholds(greenThen(["orange", 1]))
        .withTarget(
          instantQuery("A", "sum(increase(aws_cost_exporter_api_throttles_total[1h]))", "throttles"),
        ),
      timeseriesPanel(
        "API requests by outcome",
        "Cost Explorer API requests per hour by operation and outcome (success, throttled, errors).",
        units.Short,
        true,
      )
        .span(12)
        .withTarget(
          rangeQuery(
            "A",
            "sum by (operation, outcome) (increase(aws_cost_exporter_api_requests_total[1h]))",
            "{{operation}} {{outcome}}",
          ),
        ),
      timeseriesPanel(
        "Refreshes by outcome",
        "Snapshot refreshes per hour that succeeded or failed.",
        units.Short,
        true,
      )
        .span(12)
        .withTarget(
          rangeQuery(
            "A",
            "sum by (outcome) (increase(aws_cost_exporter_refreshes_total[1h]))",
            "{{outcome}}",
          ),
        ),
    ],
  };
}

function liveCost(): DashboardRow {
  return {
    title: "Live cost: what the running platform costs now",
    panels: [
      statPanel(
        "Live run-rate",
        "What the running platform costs per hour now: the cost exporter's prices (the table npm run cost uses) times what kube-state-metrics reports, plus the parts outside Kubernetes (control plane, NAT gateways, addresses, keys, root volumes). Usage (data transfer, logs) is not in it.",
        units.Dollars,
      )
        .span(4)
        .decimals(4)
        .withTarget(instantQuery("A", "platform:live_cost_total:usd_per_hour", "per hour")),
      statPanel(
        "Live run-rate, a month of it",
        "The live run-rate over the price table's month (730 hours), comparable with npm run cost's monthly total.",
        units.Dollars,
      )
        .span(4)
        .withTarget(instantQuery("A", `platform:live_cost_total:usd_per_hour * ${MONTH_HOURS}`, "per month")),
      statPanel(
        "Inventory",
        "Where the inventory comes from: kube-state-metrics in a cluster, demo-inventory on npm start (the dev stack's program under mocks), with its node count.",
        units.Short,
      )
        .span(4)
        .textMode(common.BigValueTextMode.ValueAndName)
        .withTarget(instantQuery("A", "count by (job) (kube_node_info)", "{{job}}")),
      timeseriesPanel(
        "Run-rate by part",
        "Dollars per hour by part of the bill: nodes, their root volumes, persistent volumes, load balancers, the control plane (and its extended-support surcharge), NAT gateways, public addresses, KMS keys.",
        units.Dollars,
        true,
      )
        .span(12)
        .withTarget(rangeQuery("A", "platform:live_cost:usd_per_hour", "{{part}}")),
      barGaugePanel(
        "Per node",
        "Each node's instance price per hour, by the instance and capacity type kube-state-metrics reports (SPOT priced on demand, an upper bound).",
        units.Dollars,
      )
        .span(12)
        .decimals(4)
        .withTarget(
          instantQuery(
            "A",
            "sort_desc(platform:live_cost_node:usd_per_hour)",
            "{{node}} {{instance_type}} {{capacity_type}}",
          ),
        ),
    ],
  };
}

function allocation(): DashboardRow {
  return {
    title: "Allocation: who uses it, and what nobody does",
    panels: [
      barGaugePanel(
        "Per namespace",
        "Dollars per hour each namespace takes: its running pods' requests at their node's CPU and memory rates (the node price split as OpenCost splits it), the volumes it claims, its load balancers.",
        units.Dollars,
      )
        .decimals(4)
        .withTarget(
          instantQuery("A", "sort_desc(platform:live_cost_namespace:usd_per_hour)", "{{namespace}}"),
        ),
      barGaugePanel(
        "Per workload",
        "Dollars per hour each Deployment, StatefulSet or DaemonSet takes by its pods' requests.",
        units.Dollars,
      )
        .decimals(4)
        .withTarget(
          instantQuery(
            "A",
            "sort_desc(platform:live_cost_workload:usd_per_hour)",
            "{{namespace}}/{{workload}} ({{workload_kind}})",
          ),
        ),
      gaugePanel(
        "Idle share of the nodes",
        "The share of the nodes' price no running pod requests: capacity paid for and unused. Orange above 50%, red above 80%.",
        units.PercentUnit,
      )
        .min(0)
        .max(1)
        .thresholds(greenThen(["orange", 0.5], ["red", 0.8]))
        .withTarget(
          instantQuery(
            "A",
            "platform:live_cost_idle:usd_per_hour / on () sum(platform:live_cost_node:usd_per_hour)",
            "idle",
          ),
        ),
      timeseriesPanel(
        "Allocated, idle, shared",
        "The run-rate split three ways: what namespaces take, what no request takes on the nodes (idle), and what belongs to no namespace (control plane, NAT gateways, addresses, keys, root volumes, unclaimed volumes). The three add up to the run-rate.",
        units.Dollars,
        true,
      )
        .span(24)
        .withTarget(rangeQuery("A", "sum(platform:live_cost_namespace:usd_per_hour)", "allocated"))
        .withTarget(rangeQuery("B", "platform:live_cost_idle:usd_per_hour", "idle"))
        .withTarget(rangeQuery("C", "platform:live_cost_shared:usd_per_hour", "shared")),
    ],
  };
}

/** What the reconciliation stat says while yesterday has no live cost. */
export const NO_COMPLETE_DAY =
  "no live cost recorded for yesterday (UTC): nothing to compare the bill with yet";

function reconciliation({ thresholds: { cost } }: DashboardContext): DashboardRow {
  return {
    title: "Reconciliation: estimated · live · billed",
    panels: [
      tablePanel(
        "Per stack: estimated at the last deploy · live run-rate · billed",
        "One row per stack, each a month's worth: npm run cost's total recorded by the last deploy, the live run-rate × 730 h, and what Cost Explorer billed the stack yesterday × 730 h ÷ 24 (its cost-allocation tag, platform:costTagKey, or the whole account when the exporter does not group by it).",
        units.Dollars,
        {
          A: "estimated at the last deploy",
          B: "live run-rate",
          C: "billed (yesterday)",
        },
      )
        .withTarget(tableQuery("A", `max by (stack) (${COST_ESTIMATE_SERIES.monthly})`))
        .withTarget(tableQuery("B", `platform:live_cost_stack:usd_per_hour * ${MONTH_HOURS}`))
        .withTarget(
          tableQuery("C", `sum by (stack) (platform:aws_cost_billed_yesterday:usd) / 24 * ${MONTH_HOURS}`),
        ),
      statPanel(
        "Bill above live cost (yesterday)",
        `How much more Cost Explorer billed yesterday than the live run-rate over the same UTC day, as a share of the latter. UnaccountedSpend fires above the stack's ${percent(cost.unaccountedSpendShare)} for an hour.`,
        units.PercentUnit,
      )
        .span(8)
        .thresholds(
          greenThen(["orange", cost.unaccountedSpendShare / 2], ["red", cost.unaccountedSpendShare]),
        )
        // Before Prometheus holds a UTC day of live cost (a first day, a day-long gap) there is nothing to
        // compare the bill with, and the rules record nothing rather than another day's cost.
        .noValue(NO_COMPLETE_DAY)
        .withTarget(instantQuery("A", "platform:cost_unaccounted:ratio", "{{stack}}")),
      timeseriesPanel(
        "Estimated, live and billed, per hour",
        "The three per hour: the last deploy's estimate ÷ 730 h, the live run-rate, yesterday's bill ÷ 24 h.",
        units.Dollars,
      )
        .span(16)
        .withTarget(rangeQuery("A", COST_ESTIMATE_SERIES.hourly, "estimated {{stack}}"))
        .withTarget(rangeQuery("B", "platform:live_cost_stack:usd_per_hour", "live {{stack}}"))
        .withTarget(rangeQuery("C", "platform:aws_cost_billed_yesterday:usd / 24", "billed {{stack}}")),
    ],
  };
}

export function costDashboard(context: DashboardContext) {
  const dashboard = platformDashboard(
    "cost",
    "Live cost, its allocation, savings from right-sizing and reconciliation with the bill; months of cost history from the long-term store; AWS spend by service and by cost-allocation tag, the forecast, and the cost exporter's health.",
    ["cost"],
  );
  return withRows(dashboard, context, [
    liveCost,
    allocation,
    savings,
    reconciliation,
    costHistory,
    spend,
    exporterHealth,
  ]).build();
}
