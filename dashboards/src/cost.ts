/** Cost: AWS spend by service and by cost-allocation tag, the forecast, and the cost exporter's health. */
import * as common from "@grafana/grafana-foundation-sdk/common";
import { MappingType } from "@grafana/grafana-foundation-sdk/dashboard";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { SETTINGS_SERIES } from "../../alerts/rules/settings-series";
import { type DashboardContext, type DashboardRow, platformDashboard, withRows } from "./dashboard";
import {
  barGaugePanel,
  greenThen,
  instantQuery,
  rangeQuery,
  redThen,
  statPanel,
  timeseriesPanel,
  UNITS,
} from "./panels";

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
        "Forecast month-end total (mean with lower and upper bounds), month to date and the stack's monthly budget (its thresholds; default in alerts/settings.yaml).",
        units.Dollars,
      )
        .span(12)
        .withTarget(rangeQuery("A", "sum by (bound) (aws_cost_month_forecast_amount)", "forecast {{bound}}"))
        .withTarget(rangeQuery("B", "sum(aws_cost_month_to_date_amount)", "month to date"))
        .withTarget(rangeQuery("C", SETTINGS_SERIES.monthlyBudgetUsd, "budget")),
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

export function costDashboard(context: DashboardContext) {
  const dashboard = platformDashboard(
    "cost",
    "AWS spend by service and by cost-allocation tag, the forecast, and the cost exporter's health.",
    ["cost"],
  );
  return withRows(dashboard, context, [spend, exporterHealth]).build();
}
