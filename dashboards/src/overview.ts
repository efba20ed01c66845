/** Platform overview: system, financial and business health and unit economics on one pane. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { THRESHOLD_SERIES } from "../../thresholds/series";
import { num } from "../../thresholds/units";
import {
  type DashboardContext,
  type DashboardRow,
  jobVariable,
  platformDashboard,
  withRows,
} from "./dashboard";
import {
  barGaugePanel,
  gaugePanel,
  greenThen,
  instantQuery,
  milliseconds,
  rangeQuery,
  redThen,
  statPanel,
  thresholdLines,
  timeseriesPanel,
  UNITS,
} from "./panels";
import { errorRatio, JOB, latencyQuantile, RI, requestRate } from "./promql";

function systemHealth({ thresholds: { slo } }: DashboardContext): DashboardRow {
  return {
    title: "System health",
    panels: [
      timeseriesPanel(
        "Request rate",
        "HTTP requests per second the service answers, by service (probes and scrapes excluded).",
        units.RequestsPerSecond,
      ).withTarget(rangeQuery("A", `sum by (job) (${requestRate(JOB)})`, "{{job}}")),
      timeseriesPanel(
        "Error ratio",
        "Share of requests answered with a 5xx status. Orange above 1%, red above 5%; the availability objective's burn-rate alerts watch the same ratio.",
        units.PercentUnit,
      )
        .min(0)
        .thresholds(greenThen(["orange", 0.01], ["red", 0.05]))
        .thresholdsStyle(thresholdLines())
        .withTarget(rangeQuery("A", errorRatio("job", JOB), "{{job}}")),
      statPanel(
        "Targets up",
        "Share of scrape targets Prometheus reached on its last scrape. Anything below 100% fires TargetDown.",
        units.PercentUnit,
      )
        .height(8)
        .thresholds(redThen(["green", 1]))
        .withTarget(instantQuery("A", "sum(up) / count(up)", "up")),
      timeseriesPanel(
        "Latency p50 / p95 / p99 by endpoint",
        `Response-time percentiles per route template, from the request-duration histogram. The red line is the latency objective's threshold (${milliseconds(slo.latencyThresholdSeconds)}).`,
        units.Seconds,
      )
        .span(24)
        .thresholds(greenThen(["red", slo.latencyThresholdSeconds]))
        .thresholdsStyle(thresholdLines())
        .withTarget(rangeQuery("A", latencyQuantile(0.5, "endpoint", JOB), "p50 {{endpoint}}"))
        .withTarget(rangeQuery("B", latencyQuantile(0.95, "endpoint", JOB), "p95 {{endpoint}}"))
        .withTarget(rangeQuery("C", latencyQuantile(0.99, "endpoint", JOB), "p99 {{endpoint}}")),
    ],
  };
}

function financialHealth(): DashboardRow {
  return {
    title: "Financial health",
    panels: [
      barGaugePanel(
        "Daily AWS spend",
        "AWS spend per UTC day from Cost Explorer (the last complete days and today so far, which is still growing).",
        units.Dollars,
      ).withTarget(instantQuery("A", "sum by (day) (aws_cost_daily_amount)", "{{day}}")),
      statPanel(
        "Month to date",
        "AWS spend since the first day of this month (UTC), all services.",
        units.Dollars,
      )
        .height(8)
        .span(4)
        .withTarget(instantQuery("A", "sum(aws_cost_month_to_date_amount)", "month to date")),
      gaugePanel(
        "Forecast vs budget",
        "Cost Explorer's month-end forecast (actual month to date plus the forecast of the rest) as a share of the stack's monthly budget (its thresholds; default in thresholds/thresholds.yaml). Red above 100% (ForecastOverBudget).",
        units.PercentUnit,
      )
        .span(4)
        .min(0)
        .max(1.5)
        .thresholds(greenThen(["orange", 0.8], ["red", 1]))
        .withTarget(
          instantQuery(
            "A",
            `sum(aws_cost_month_forecast_amount{bound="mean"}) / scalar(${THRESHOLD_SERIES.monthlyBudgetUsd})`,
            "forecast / budget",
          ),
        ),
      timeseriesPanel(
        "Month-end forecast and budget",
        "Forecast month-end total with its prediction interval (lower, upper), month to date, and the stack's monthly budget.",
        units.Dollars,
      )
        .withTarget(rangeQuery("A", "sum by (bound) (aws_cost_month_forecast_amount)", "forecast {{bound}}"))
        .withTarget(rangeQuery("B", "sum(aws_cost_month_to_date_amount)", "month to date"))
        .withTarget(rangeQuery("C", THRESHOLD_SERIES.monthlyBudgetUsd, "budget")),
    ],
  };
}

function businessHealth(): DashboardRow {
  const checkouts = `rate(app_checkouts_total{${JOB}}[${RI}])`;
  return {
    title: "Business health",
    panels: [
      timeseriesPanel(
        "Revenue per second",
        "US dollars earned per second by accepted checkouts.",
        units.Dollars,
      ).withTarget(rangeQuery("A", `sum(rate(app_revenue_total{${JOB}}[${RI}]))`, "USD/s")),
      statPanel(
        "Revenue per minute",
        "US dollars earned per minute, over the last 5 minutes (orders are events a few a minute apart: a scrape-sized window would read $0 between them). RevenueDropWhileHealthy fires when the shop answers but does not sell: checkouts refused, or orders far fewer than the product views predict.",
        units.Dollars,
      )
        .span(4)
        .height(8)
        .withTarget(instantQuery("A", `sum(rate(app_revenue_total{${JOB}}[5m])) * 60`, "USD/min")),
      statPanel(
        "Orders per minute",
        "Accepted checkouts (orders) per minute, over the last 5 minutes.",
        UNITS.ordersPerMinute,
      )
        .span(4)
        .height(8)
        .decimals(1)
        .withTarget(
          instantQuery(
            "A",
            `sum(rate(app_checkouts_total{${JOB},outcome="accepted"}[5m])) * 60`,
            "orders/min",
          ),
        ),
      timeseriesPanel(
        "Checkout success ratio",
        "Accepted checkouts over all checkout attempts. A drop with no rise in 5xx errors means checkouts answer but do not sell (out of stock, invalid carts).",
        units.PercentUnit,
      )
        .min(0)
        .max(1)
        .thresholds(redThen(["orange", 0.5], ["green", 0.8]))
        .thresholdsStyle(thresholdLines())
        .withTarget(
          rangeQuery(
            "A",
            `sum(rate(app_checkouts_total{${JOB},outcome="accepted"}[${RI}]) or ${checkouts} * 0)\n/\nsum(${checkouts})`,
            "success ratio",
          ),
        ),
      timeseriesPanel(
        "Checkouts by outcome",
        "Checkout attempts per second: accepted, invalid, out_of_stock, payment_failed (refused orders RevenueDropWhileHealthy counts), failed.",
        units.RequestsPerSecond,
        true,
      )
        .span(16)
        .withTarget(rangeQuery("A", `sum by (outcome) (${checkouts})`, "{{outcome}}")),
      timeseriesPanel(
        "Conversion",
        "Orders per product view, and the baseline RevenueDropWhileHealthy predicts orders from (the 6 hours that end 3 minutes ago): traffic that halves or doubles leaves it where it is; a checkout that stops selling does not.",
        units.PercentUnit,
      )
        .min(0)
        .withTarget(
          rangeQuery(
            "A",
            `sum(rate(app_checkouts_total{${JOB},outcome="accepted"}[${RI}]))\n/\nsum(rate(app_product_views_total{${JOB}}[${RI}]))`,
            "orders per product view",
          ),
        )
        .withTarget(rangeQuery("B", `sum(job:app_conversion:ratio_rate6h{${JOB}})`, "6-hour baseline")),
    ],
  };
}

function unitEconomics({ thresholds: { cost } }: DashboardContext): DashboardRow {
  return {
    title: "Unit economics",
    panels: [
      statPanel(
        "Cost per request",
        `Yesterday's AWS spend per second divided by the requests per second of the last hour (recording rule platform:cost_per_request:usd). Red above the stack's ceiling of ${cost.costPerRequestCeilingUsd} USD (CostPerRequestOverCeiling).`,
        units.Dollars,
      )
        .decimals(6)
        .height(6)
        .thresholds(greenThen(["red", cost.costPerRequestCeilingUsd]))
        .withTarget(instantQuery("A", "platform:cost_per_request:usd", "{{currency}}")),
      statPanel(
        "Cost per 1,000 requests",
        "The same unit cost per thousand requests, easier to compare with a price list. Red above the same ceiling.",
        units.Dollars,
      )
        .decimals(3)
        .height(6)
        .thresholds(greenThen(["red", Number(num(cost.costPerRequestCeilingUsd * 1000))]))
        .withTarget(instantQuery("A", "platform:cost_per_request:usd * 1000", "{{currency}}")),
      statPanel(
        "Cost as share of revenue",
        "Yesterday's AWS spend per second over the revenue per second of the last hour. Above 100% the platform costs more than it earns.",
        units.PercentUnit,
      )
        .height(6)
        .thresholds(greenThen(["orange", 0.3], ["red", 1]))
        .withTarget(
          instantQuery(
            "A",
            "sum(platform:aws_cost_last_complete_day:usd) / 86400\n/\nsum(job:app_revenue_usd:rate5m_avg1h)",
            "cost / revenue",
          ),
        ),
      statPanel(
        "Live cost per request",
        "The live run-rate per second (prices × inventory, now, not yesterday's bill) over the requests per second of the last 5 minutes.",
        units.Dollars,
      )
        .decimals(7)
        .height(6)
        .thresholds(greenThen(["red", cost.costPerRequestCeilingUsd]))
        .withTarget(instantQuery("A", "platform:live_cost_per_request:usd", "live")),
      statPanel(
        "Live cost per order",
        "The live run-rate per second over the orders (accepted checkouts) per second of the last 5 minutes: what the platform costs for each sale.",
        units.Dollars,
      )
        .decimals(5)
        .height(6)
        .withTarget(instantQuery("A", "platform:live_cost_per_order:usd", "live")),
      statPanel(
        "Revenue per dollar of platform",
        "Revenue per second over the live cost per second: how many dollars the shop earns for each dollar the platform costs right now. Red below 1.",
        UNITS.times,
      )
        .decimals(0)
        .height(6)
        .thresholds(redThen(["orange", 1], ["green", 10]))
        .withTarget(instantQuery("A", "platform:live_revenue_per_cost:ratio", "revenue / cost")),
    ],
  };
}

export function overviewDashboard(context: DashboardContext) {
  const dashboard = platformDashboard(
    "overview",
    "System, financial and business health and unit economics on one pane.",
    ["overview"],
  ).withVariable(
    jobVariable(context, "app_revenue_total", "The service that earns revenue (has app_revenue_total)."),
  );
  return withRows(dashboard, context, [systemHealth, financialHealth, businessHealth, unitEconomics]).build();
}
