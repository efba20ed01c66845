import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createExporterMetrics } from "./exporter-metrics.js";

describe("self-metrics", () => {
  it("exist at 0 before anything happened, so the first throttle or failure shows as an increase", async () => {
    const registry = new Registry();
    createExporterMetrics(registry);
    const text = await registry.metrics();
    for (const series of [
      'aws_cost_exporter_api_throttles_total{operation="GetCostAndUsage"} 0',
      'aws_cost_exporter_api_throttles_total{operation="GetCostForecast"} 0',
      'aws_cost_exporter_api_requests_total{operation="GetCostAndUsage",outcome="throttled"} 0',
      'aws_cost_exporter_api_requests_total{operation="GetCostForecast",outcome="server_error"} 0',
      'aws_cost_exporter_api_retries_total{operation="GetCostAndUsage"} 0',
      'aws_cost_exporter_requests_skipped_total{reason="daily_cap"} 0',
      'aws_cost_exporter_refreshes_total{outcome="failure"} 0',
    ]) {
      expect(text).toContain(series);
    }
  });
});
