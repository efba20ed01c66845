import type { Logger } from "@platform/service-kit";
import { type CostExplorerApi, classifyError, type DailyRequestBudget } from "./cost-explorer.js";
import type { ExporterMetrics } from "./exporter-metrics.js";
import { planRefresh, type RefreshSettings } from "./requests.js";
import { mapDailyCosts } from "./responses.js";
import { buildSnapshot, type CostSnapshot } from "./snapshot.js";
import type { SnapshotSource } from "./snapshot-metrics.js";

/** Time and timers, injectable so tests drive a schedule of hours in milliseconds. */
export interface Scheduler {
  now(): number;
  setTimeout(run: () => void, ms: number): { cancel(): void };
}

export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(run, ms) {
    const timer = setTimeout(run, ms);
    // A pending refresh must not keep the process alive on shutdown.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

export interface CollectorOptions {
  api: CostExplorerApi;
  budget: DailyRequestBudget;
  metrics: ExporterMetrics;
  logger: Logger;
  settings: RefreshSettings & { topServices: number };
  refreshIntervalMs: number;
  /** First wait after a failed refresh; doubles with each further failure, up to the refresh interval. */
  retryAfterFailureMs: number;
  scheduler?: Scheduler;
}

/**
 * Refreshes the cost snapshot on its own schedule (first at start-up) and keeps the last good one.
 * Single-flight: a refresh asked for while one runs joins it. Failures never escape: they are
 * counted, logged and retried later, and the previous snapshot keeps being served.
 */
export class CostCollector implements SnapshotSource {
  readonly startedAt: number;
  private current: CostSnapshot | undefined;
  private lastSucceeded = false;
  private consecutiveFailures = 0;
  private notEnabled = false;
  private inFlight: Promise<boolean> | undefined;
  private timer: { cancel(): void } | undefined;
  private stopped = true;
  private readonly scheduler: Scheduler;

  constructor(private readonly options: CollectorOptions) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.startedAt = this.scheduler.now();
  }

  snapshot() {
    return this.current;
  }
  lastRefreshSucceeded() {
    return this.lastSucceeded;
  }
  /** False once Cost Explorer answered that it is not enabled for the account, until a refresh succeeds. */
  costExplorerEnabled() {
    return !this.notEnabled;
  }
  paidRequestsToday() {
    return this.options.budget.usedToday();
  }

  /** Refreshes now and then on schedule until `stop()`. */
  start() {
    if (!this.stopped) return;
    this.stopped = false;
    void this.refreshAndReschedule();
  }

  stop() {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Waits for a refresh in progress, if any (used on shutdown and by tests). */
  async settled() {
    await this.inFlight;
  }

  /** Refreshes the snapshot, or joins the refresh already running; resolves true on success, never rejects. */
  refresh(): Promise<boolean> {
    this.inFlight ??= this.costExplorerRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refreshAndReschedule() {
    const succeeded = await this.refresh();
    if (this.stopped) return;
    const { refreshIntervalMs, retryAfterFailureMs } = this.options;
    const wait = succeeded
      ? refreshIntervalMs
      : Math.min(refreshIntervalMs, retryAfterFailureMs * 2 ** Math.min(this.consecutiveFailures - 1, 20));
    this.timer?.cancel();
    this.timer = this.scheduler.setTimeout(() => void this.refreshAndReschedule(), wait);
  }

  private async costExplorerRefresh(): Promise<boolean> {
    const { api, settings, metrics, logger } = this.options;
    const started = this.scheduler.now();
    try {
      const plan = planRefresh(started, settings);
      const services = mapDailyCosts(
        await api.costAndUsage(plan.costByService),
        settings.costBasis,
        "SERVICE",
      );
      const tags =
        plan.costByTag && settings.tagKey
          ? {
              key: settings.tagKey,
              costs: mapDailyCosts(await api.costAndUsage(plan.costByTag), settings.costBasis, "TAG"),
            }
          : undefined;
      let forecast: Awaited<ReturnType<CostExplorerApi["costForecast"]>> | undefined;
      if (plan.forecast) {
        try {
          forecast = await api.costForecast(plan.forecast);
        } catch (err) {
          // New accounts and short periods have too little history to forecast; the rest is still good.
          if ((err as { name?: string }).name !== "DataUnavailableException") throw err;
          logger.info("Cost Explorer has no forecast for this period; serving spend without it", {
            period: plan.forecast.TimePeriod,
          });
        }
      }
      this.current = buildSnapshot({
        takenAt: this.scheduler.now(),
        calendar: plan.calendar,
        services,
        ...(tags ? { tags } : {}),
        ...(forecast ? { forecast } : {}),
        topServices: settings.topServices,
      });
      this.lastSucceeded = true;
      this.notEnabled = false;
      this.consecutiveFailures = 0;
      metrics.refreshes.inc({ outcome: "success" });
      logger.info("cost snapshot refreshed", {
        durationMs: this.scheduler.now() - started,
        days: services.days.size,
        paidRequestsToday: this.options.budget.usedToday(),
      });
      return true;
    } catch (err) {
      this.lastSucceeded = false;
      this.consecutiveFailures++;
      if (classifyError(err) === "not_enabled") {
        // A state of its own, not a fault: a person enables Cost Explorer once in the console. Probed again on
        // the failure schedule (doubling up to REFRESH_INTERVAL), within the daily cap.
        this.notEnabled = true;
        metrics.refreshes.inc({ outcome: "not_enabled" });
        logger.warn(
          "Cost Explorer is not enabled for this AWS account: open Cost Explorer once in the Billing and Cost Management console (README, Day 1 in a new account); its data follows within about 24 hours",
          { consecutiveAttempts: this.consecutiveFailures },
        );
        return false;
      }
      metrics.refreshes.inc({ outcome: "failure" });
      logger.error("cost refresh failed; still serving the previous snapshot", {
        err,
        consecutiveFailures: this.consecutiveFailures,
        snapshotTakenAt: this.current ? new Date(this.current.takenAt).toISOString() : null,
      });
      return false;
    }
  }
}
