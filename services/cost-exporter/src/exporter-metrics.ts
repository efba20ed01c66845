import { Counter, type Registry } from "prom-client";

/** The Cost Explorer operations the exporter calls: the `operation` label values. */
export const OPERATIONS = ["GetCostAndUsage", "GetCostForecast"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** How a paid request ended: the `outcome` label values of aws_cost_exporter_api_requests_total. */
export const REQUEST_OUTCOMES = [
  "success",
  "throttled",
  "server_error",
  "access_denied",
  // AccessDeniedException "User not enabled for cost explorer access": the account never opened Cost Explorer.
  "not_enabled",
  "invalid_credentials",
  "malformed",
  "error",
] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** How a refresh ended: the `outcome` label values of aws_cost_exporter_refreshes_total. */
export const REFRESH_OUTCOMES = ["success", "failure", "not_enabled"] as const;

/** Counters the collector and the Cost Explorer client update as they work. */
export interface ExporterMetrics {
  apiRequests: Counter<"operation" | "outcome">;
  apiRetries: Counter<"operation">;
  apiThrottles: Counter<"operation">;
  apiPages: Counter<"operation">;
  requestsSkipped: Counter<"reason">;
  refreshes: Counter<"outcome">;
}

export function createExporterMetrics(registry: Registry): ExporterMetrics {
  const registers = [registry];
  const metrics: ExporterMetrics = {
    apiRequests: new Counter({
      name: "aws_cost_exporter_api_requests_total",
      help: "Paid Cost Explorer HTTP requests (every page and retry), by operation and outcome.",
      labelNames: ["operation", "outcome"] as const,
      registers,
    }),
    apiRetries: new Counter({
      name: "aws_cost_exporter_api_retries_total",
      help: "Cost Explorer requests sent again after a failure, by operation.",
      labelNames: ["operation"] as const,
      registers,
    }),
    apiThrottles: new Counter({
      name: "aws_cost_exporter_api_throttles_total",
      help: "Cost Explorer requests refused with LimitExceededException (throttling), by operation.",
      labelNames: ["operation"] as const,
      registers,
    }),
    apiPages: new Counter({
      name: "aws_cost_exporter_api_pages_total",
      help: "Cost Explorer answer pages received and accepted, by operation.",
      labelNames: ["operation"] as const,
      registers,
    }),
    requestsSkipped: new Counter({
      name: "aws_cost_exporter_requests_skipped_total",
      help: "Cost Explorer requests not sent, by reason (daily_cap: DAILY_REQUEST_CAP reached).",
      labelNames: ["reason"] as const,
      registers,
    }),
    refreshes: new Counter({
      name: "aws_cost_exporter_refreshes_total",
      help: "Collector refreshes finished, by outcome (success, failure, or not_enabled: Cost Explorer is not enabled for the account).",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
  // Every series exists at 0 from the start: a counter that first appears already at 3 shows no
  // increase() to Prometheus, so the first throttling episode would never alert.
  for (const operation of OPERATIONS) {
    for (const outcome of REQUEST_OUTCOMES) metrics.apiRequests.inc({ operation, outcome }, 0);
    metrics.apiRetries.inc({ operation }, 0);
    metrics.apiThrottles.inc({ operation }, 0);
    metrics.apiPages.inc({ operation }, 0);
  }
  metrics.requestsSkipped.inc({ reason: "daily_cap" }, 0);
  for (const outcome of REFRESH_OUTCOMES) metrics.refreshes.inc({ outcome }, 0);
  return metrics;
}
