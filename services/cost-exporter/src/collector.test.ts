import { createLogger } from "@platform/service-kit";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { FakeScheduler } from "../test/support.js";
import { CostCollector } from "./collector.js";
import type { CostExplorerApi } from "./cost-explorer.js";
import { DailyRequestBudget } from "./cost-explorer.js";
import { createExporterMetrics } from "./exporter-metrics.js";

const HOUR = 3_600_000;
const START = Date.parse("2025-05-10T06:00:00Z");

/** An API double the test controls; it records the TimePeriod end each refresh asked for. */
function fakeApi() {
  const calls: string[] = [];
  let failing = false;
  let held = false;
  let release: (() => void) | undefined;
  const api: CostExplorerApi = {
    async costAndUsage(input) {
      calls.push(input.TimePeriod?.End ?? "");
      if (held) await new Promise<void>((resolve) => (release = resolve));
      if (failing) throw Object.assign(new Error("Rate exceeded"), { name: "LimitExceededException" });
      return [{ ResultsByTime: [] }];
    },
    async costForecast() {
      return { currency: "USD", mean: 0n, lower: 0n, upper: 0n };
    },
  };
  return {
    api,
    calls,
    fail: (yes: boolean) => {
      failing = yes;
    },
    /** Keep answers back until `answer()`. */
    hold: (yes: boolean) => {
      held = yes;
    },
    answer: () => release?.(),
  };
}

function collectorWith(fake: ReturnType<typeof fakeApi>, scheduler: FakeScheduler) {
  return new CostCollector({
    api: fake.api,
    budget: new DailyRequestBudget(0, () => scheduler.now()),
    metrics: createExporterMetrics(new Registry()),
    logger: createLogger({ service: "test", level: "silent" }),
    settings: { costBasis: "UnblendedCost", historyDays: 7, topServices: 8 },
    refreshIntervalMs: 8 * HOUR,
    retryAfterFailureMs: 15 * 60_000,
    scheduler,
  });
}

describe("CostCollector schedule", () => {
  it("refreshes at start-up and then every REFRESH_INTERVAL: three times a day at the default 8h", async () => {
    const scheduler = new FakeScheduler(START);
    const fake = fakeApi();
    const collector = collectorWith(fake, scheduler);
    collector.start();
    await collector.settled();
    expect(fake.calls).toHaveLength(1);
    expect(collector.snapshot()?.takenAt).toBe(START);
    await scheduler.advance(24 * HOUR, () => collector.settled());
    // Start-up plus one every 8 hours: 06:00, 14:00, 22:00, 06:00 the next day.
    expect(fake.calls).toHaveLength(4);
    expect(fake.calls).toEqual(["2025-05-11", "2025-05-11", "2025-05-11", "2025-05-12"]);
    collector.stop();
    expect(scheduler.pending()).toEqual([]);
  });

  it("joins a refresh in progress: concurrent triggers cause one refresh", async () => {
    const scheduler = new FakeScheduler(START);
    const fake = fakeApi();
    fake.hold(true);
    const collector = collectorWith(fake, scheduler);
    const first = collector.refresh();
    const second = collector.refresh();
    expect(second).toBe(first);
    await new Promise((r) => setImmediate(r));
    fake.answer();
    expect(await first).toBe(true);
    expect(fake.calls).toHaveLength(1);
  });

  it("after a failure retries sooner, backing off from REFRESH_RETRY_INTERVAL up to REFRESH_INTERVAL", async () => {
    const scheduler = new FakeScheduler(START);
    const fake = fakeApi();
    fake.fail(true);
    const collector = collectorWith(fake, scheduler);
    collector.start();
    await collector.settled();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [wait] = scheduler.pending();
      waits.push(wait as number);
      await scheduler.advance(wait as number, () => collector.settled());
    }
    expect(waits.map((w) => w / 60_000)).toEqual([15, 30, 60, 120, 240, 480, 480]);
    expect(collector.lastRefreshSucceeded()).toBe(false);
    fake.fail(false);
    await scheduler.advance(scheduler.pending()[0] as number, () => collector.settled());
    expect(collector.lastRefreshSucceeded()).toBe(true);
    expect(scheduler.pending()).toEqual([8 * HOUR]);
    collector.stop();
  });
});
