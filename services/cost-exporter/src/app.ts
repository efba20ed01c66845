import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import {
  createLogger,
  createServiceKit,
  createServiceMetrics,
  type Logger,
  type ServiceKit,
} from "@platform/service-kit";
import {
  type CostCollector as Collector,
  CostCollector,
  type Scheduler,
  systemScheduler,
} from "./collector.js";
import type { CostExporterConfig } from "./config.js";
import { createCostExplorerApi, DailyRequestBudget } from "./cost-explorer.js";
import { createExporterMetrics } from "./exporter-metrics.js";
import { priceMetricsOptionsFrom, registerPriceMetrics } from "./price-metrics.js";
import { COST_BASES } from "./requests.js";
import { registerSnapshotMetrics } from "./snapshot-metrics.js";

export interface CostExporterDeps {
  config: CostExporterConfig;
  client: Pick<CostExplorerClient, "send">;
  mode: "aws" | "demo";
  logger?: Logger;
  scheduler?: Scheduler;
  /** Waits between retries; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface CostExporter extends ServiceKit {
  collector: Collector;
}

/**
 * The cost exporter: a collector that refreshes a snapshot on its own schedule and budget, and an
 * HTTP app whose /metrics renders only that snapshot, so a scrape never calls Cost Explorer.
 * Call `collector.start()` to begin refreshing.
 */
export function createApp({
  config,
  client,
  mode,
  logger = createLogger({ service: "cost-exporter", level: config.LOG_LEVEL }),
  scheduler = systemScheduler,
  sleep,
  random,
}: CostExporterDeps): CostExporter {
  const metrics = createServiceMetrics();
  const kit = createServiceKit({
    name: "cost-exporter",
    logger,
    metrics,
    summary: () =>
      mode === "demo"
        ? "demo data from the Cost Explorer simulator (no AWS credentials)"
        : "real AWS Cost Explorer (each refresh is billed)",
  });
  const exporterMetrics = createExporterMetrics(metrics.registry);
  const budget = new DailyRequestBudget(config.DAILY_REQUEST_CAP, () => scheduler.now());
  const api = createCostExplorerApi({
    client,
    budget,
    metrics: exporterMetrics,
    logger,
    maxAttempts: config.API_MAX_ATTEMPTS,
    ...(sleep ? { sleep } : {}),
    ...(random ? { random } : {}),
  });
  const collector = new CostCollector({
    api,
    budget,
    metrics: exporterMetrics,
    logger,
    settings: {
      costBasis: config.COST_BASIS,
      historyDays: config.HISTORY_DAYS,
      tagKey: config.COST_TAG_KEY,
      topServices: config.TOP_SERVICES,
    },
    refreshIntervalMs: config.REFRESH_INTERVAL,
    retryAfterFailureMs: config.REFRESH_RETRY_INTERVAL,
    scheduler,
  });
  registerSnapshotMetrics(metrics.registry, collector, {
    mode,
    costBasisLabel: COST_BASES[config.COST_BASIS].label,
    refreshIntervalMs: config.REFRESH_INTERVAL,
    dailyRequestCap: config.DAILY_REQUEST_CAP,
    now: () => scheduler.now(),
  });
  registerPriceMetrics(
    metrics.registry,
    priceMetricsOptionsFrom(config, () => scheduler.now()),
  );

  kit.app.get("/", (c) =>
    c.json({
      service: "cost-exporter",
      mode,
      metrics: "/metrics",
      lastRefreshSucceeded: collector.lastRefreshSucceeded(),
      snapshotTakenAt: collector.snapshot()
        ? new Date(collector.snapshot()?.takenAt ?? 0).toISOString()
        : null,
    }),
  );
  return { ...kit, collector };
}
