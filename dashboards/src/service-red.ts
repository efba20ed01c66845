/** Service RED: rate, errors and duration of one service, with its Node.js runtime. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { PAGING_BURN_RATE } from "../../thresholds/burn-rates";
import { THRESHOLD_SERIES } from "../../thresholds/series";
import { percent } from "../../thresholds/units";
import {
  type DashboardContext,
  type DashboardRow,
  jobVariable,
  platformDashboard,
  withRows,
} from "./dashboard";
import {
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

function rateErrorsDuration({ thresholds: { slo } }: DashboardContext): DashboardRow {
  return {
    title: "Rate, errors, duration",
    panels: [
      statPanel("Total requests", "Requests the service answered in the selected time range.", units.Short)
        .span(6)
        .withTarget(instantQuery("A", `sum(increase(app_requests_total{${JOB}}[$__range]))`, "requests")),
      statPanel(
        "Availability (1h)",
        `Share of requests without a 5xx answer over the last hour (SLI recording rule). Red below the availability objective of ${percent(slo.availabilityObjective)}.`,
        units.PercentUnit,
      )
        .decimals(3)
        .span(6)
        .thresholds(redThen(["green", slo.availabilityObjective]))
        .withTarget(
          instantQuery("A", `1 - job:slo_availability_errors:ratio_rate1h{${JOB}}`, "availability"),
        ),
      statPanel(
        "Error-budget burn rate (1h)",
        `How fast the 30-day error budget is being spent over the last hour: 1 is exactly on budget; ${PAGING_BURN_RATE} together with the 5-minute window pages (AvailabilityBudgetBurnFast).`,
        UNITS.times,
      )
        .decimals(1)
        .span(6)
        .thresholds(greenThen(["orange", 1], ["red", PAGING_BURN_RATE]))
        .withTarget(
          instantQuery(
            "A",
            `job:slo_availability_errors:ratio_rate1h{${JOB}} / scalar(1 - ${THRESHOLD_SERIES.availabilityObjective})`,
            "burn rate",
          ),
        ),
      statPanel("Requests in flight", "Requests being handled right now.", units.Short)
        .span(6)
        .withTarget(instantQuery("A", `sum(app_requests_in_flight{${JOB}})`, "in flight")),
      timeseriesPanel(
        "Requests per minute",
        "Requests per minute by route template.",
        UNITS.requestsPerMinute,
      ).withTarget(rangeQuery("A", `sum by (endpoint) (${requestRate(JOB)}) * 60`, "{{endpoint}}")),
      timeseriesPanel(
        "Responses by status",
        "Requests per second by HTTP status code.",
        units.RequestsPerSecond,
        true,
      ).withTarget(rangeQuery("A", `sum by (status) (${requestRate(JOB)})`, "{{status}}")),
      timeseriesPanel(
        "Error ratio",
        "Share of requests answered with 5xx, by route template. Orange above 1%, red above 5%.",
        units.PercentUnit,
      )
        .min(0)
        .thresholds(greenThen(["orange", 0.01], ["red", 0.05]))
        .thresholdsStyle(thresholdLines())
        .withTarget(rangeQuery("A", errorRatio("endpoint", JOB), "{{endpoint}}")),
      timeseriesPanel(
        "Average response time",
        "Mean time to answer, by route template (histogram sum over count).",
        units.Seconds,
      )
        .span(12)
        .withTarget(
          rangeQuery(
            "A",
            `sum by (endpoint) (rate(app_request_duration_seconds_sum{${JOB}}[${RI}]))\n/\nsum by (endpoint) (rate(app_request_duration_seconds_count{${JOB}}[${RI}]))`,
            "{{endpoint}}",
          ),
        ),
      timeseriesPanel(
        "p95 response time",
        `95th percentile response time by route template. The red line is the latency objective's threshold (${milliseconds(slo.latencyThresholdSeconds)}).`,
        units.Seconds,
      )
        .span(12)
        .thresholds(greenThen(["red", slo.latencyThresholdSeconds]))
        .thresholdsStyle(thresholdLines())
        .withTarget(rangeQuery("A", latencyQuantile(0.95, "endpoint", JOB), "{{endpoint}}")),
    ],
  };
}

function nodeRuntime(): DashboardRow {
  return {
    title: "Node.js runtime",
    panels: [
      timeseriesPanel(
        "Event-loop lag",
        "How late timers run (mean and p99). Lag above 100 ms means the process is CPU-bound and every request waits.",
        units.Seconds,
      )
        .span(6)
        .thresholds(greenThen(["red", 0.1]))
        .thresholdsStyle(thresholdLines())
        .withTarget(
          rangeQuery("A", `max by (instance) (nodejs_eventloop_lag_p99_seconds{${JOB}})`, "p99 {{instance}}"),
        )
        .withTarget(
          rangeQuery(
            "B",
            `max by (instance) (nodejs_eventloop_lag_mean_seconds{${JOB}})`,
            "mean {{instance}}",
          ),
        ),
      timeseriesPanel(
        "Heap",
        "V8 heap used and allocated. A used heap that only grows points at a leak.",
        units.BytesIEC,
      )
        .span(6)
        .withTarget(
          rangeQuery("A", `sum by (instance) (nodejs_heap_size_used_bytes{${JOB}})`, "used {{instance}}"),
        )
        .withTarget(
          rangeQuery("B", `sum by (instance) (nodejs_heap_size_total_bytes{${JOB}})`, "total {{instance}}"),
        ),
      timeseriesPanel(
        "Time in garbage collection",
        "Share of wall time spent in GC pauses, by GC kind.",
        units.PercentUnit,
        true,
      )
        .span(6)
        .withTarget(
          rangeQuery("A", `sum by (kind) (rate(nodejs_gc_duration_seconds_sum{${JOB}}[${RI}]))`, "{{kind}}"),
        ),
      timeseriesPanel("CPU", "CPU time used per second of wall time (1 = one full core).", units.PercentUnit)
        .span(6)
        .withTarget(
          rangeQuery(
            "A",
            `sum by (instance) (rate(process_cpu_seconds_total{${JOB}}[${RI}]))`,
            "{{instance}}",
          ),
        ),
    ],
  };
}

export function serviceRedDashboard(context: DashboardContext) {
  const dashboard = platformDashboard(
    "red",
    "Rate, errors and duration of one service, with its Node.js runtime.",
    ["red", "services"],
  ).withVariable(jobVariable(context, "app_requests_total", "The service (Prometheus job) to show."));
  return withRows(dashboard, context, [rateErrorsDuration, nodeRuntime]).build();
}
