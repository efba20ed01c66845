import { type RunningService, serveService } from "@platform/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costLines, find, startTestbed, type Testbed, value } from "../test/support.js";
import { DEFAULT_DAILY_REQUEST_CAP } from "./config.js";
import { daysBetween } from "./dates.js";
import { type Amount, amountToNumber } from "./decimal.js";
import {
  forecastAmounts,
  isEstimated,
  reportedAmount,
  SIMULATED_SERVICES,
  SIMULATED_TAG_SHARES,
  type SimulatedService,
  simulatorClock,
  tagSplit,
} from "./simulator/dataset.js";

// A leap day, mid-afternoon: the month to date spans 29 days and today is 15 hours old.
const NOW = Date.parse("2024-02-29T15:30:00Z");
const PAGE_SIZE = 25;
const TOP = 8;
const clock = simulatorClock(NOW);
const basis = "UnblendedCost";

/** The exporter's expected numbers, computed straight from the simulator's dataset. */
function expectedFromDataset() {
  const window = daysBetween("2024-02-01", "2024-03-01");
  const totals = SIMULATED_SERVICES.map((s) => ({
    s,
    total: window.reduce((sum, d) => sum + reportedAmount(d, s, basis, clock), 0n),
  })).sort((a, b) => (a.total === b.total ? 0 : a.total > b.total ? -1 : 1));
  const kept = totals.slice(0, TOP).map((t) => t.s);
  const folded = totals.slice(TOP).map((t) => t.s);
  const sum = (days: string[], services: readonly SimulatedService[] = kept) =>
    days.reduce((acc, d) => acc + services.reduce((a, s) => a + reportedAmount(d, s, basis, clock), 0n), 0n);
  return { window, kept, folded, sum };
}

describe("cost exporter against the simulator (real SDK over HTTP)", () => {
  let bed: Testbed;
  let baseline: string;
  const expected = expectedFromDataset();
  const num = (a: Amount) => amountToNumber(a);

  beforeAll(async () => {
    bed = await startTestbed({
      now: NOW,
      env: { COST_TAG_KEY: "stack", API_MAX_ATTEMPTS: "3", API_TIMEOUT: "1s" },
      simulator: { pageSize: PAGE_SIZE },
    });
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("serves exact spend for known data after one refresh", async () => {
    const before = await bed.scrape();
    expect(value(before, "aws_cost_exporter_last_refresh_success")).toBe(0);
    expect(find(before, "aws_cost_daily_amount")).toHaveLength(0);

    expect(await bed.exporter.collector.refresh()).toBe(true);
    const text = await bed.scrape();
    const { kept, folded, sum } = expected;
    const labels = { cost_basis: "unblended", currency: "USD" };

    for (const day of daysBetween("2024-02-22", "2024-03-01")) {
      const estimated = String(isEstimated(day, clock));
      for (const s of kept) {
        expect(value(text, "aws_cost_daily_amount", { ...labels, day, service: s.name, estimated })).toBe(
          num(reportedAmount(day, s, basis, clock)),
        );
      }
      expect(value(text, "aws_cost_daily_amount", { ...labels, day, service: "other", estimated })).toBe(
        num(sum([day], folded)),
      );
    }
    // History days only: nothing older than HISTORY_DAYS is exposed day by day.
    expect(find(text, "aws_cost_daily_amount", { day: "2024-02-21" })).toHaveLength(0);
    expect(find(text, "aws_cost_daily_amount")).toHaveLength(8 * (TOP + 1));

    for (const s of kept) {
      expect(value(text, "aws_cost_today_amount", { ...labels, service: s.name })).toBe(
        num(reportedAmount("2024-02-29", s, basis, clock)),
      );
      expect(
        value(text, "aws_cost_last_complete_day_amount", { ...labels, service: s.name, estimated: "true" }),
      ).toBe(num(reportedAmount("2024-02-28", s, basis, clock)));
      expect(value(text, "aws_cost_month_to_date_amount", { ...labels, service: s.name })).toBe(
        num(sum(expected.window, [s])),
      );
    }
    expect(value(text, "aws_cost_month_to_date_amount", { ...labels, service: "other" })).toBe(
      num(sum(expected.window, folded)),
    );

    const completeDays = sum(daysBetween("2024-02-01", "2024-02-29"), SIMULATED_SERVICES);
    const rest = forecastAmounts("2024-02-29", "2024-03-01", basis);
    expect(value(text, "aws_cost_month_forecast_amount", { ...labels, bound: "mean" })).toBe(
      num(completeDays + rest.mean),
    );
    expect(value(text, "aws_cost_month_forecast_amount", { ...labels, bound: "lower" })).toBe(
      num(completeDays + rest.lower),
    );
    expect(value(text, "aws_cost_month_forecast_amount", { ...labels, bound: "upper" })).toBe(
      num(completeDays + rest.upper),
    );

    for (const { value: tagValue } of [...SIMULATED_TAG_SHARES, { value: "" }]) {
      const part = (days: string[]) =>
        days.reduce(
          (acc, d) =>
            acc +
            SIMULATED_SERVICES.reduce(
              (a, s) =>
                a +
                (tagSplit(reportedAmount(d, s, basis, clock)).find((p) => p.value === tagValue)?.amount ??
                  0n),
              0n,
            ),
          0n,
        );
      const tag = { ...labels, tag_key: "stack", tag_value: tagValue || "untagged" };
      expect(value(text, "aws_cost_tag_month_to_date_amount", tag)).toBe(num(part(expected.window)));
      expect(value(text, "aws_cost_tag_last_complete_day_amount", tag)).toBe(num(part(["2024-02-28"])));
    }

    // Every HTTP request the simulator saw is counted, page by page.
    const servicePages = Math.ceil((29 * SIMULATED_SERVICES.length) / PAGE_SIZE);
    const tagPages = Math.ceil((29 * (SIMULATED_TAG_SHARES.length + 1)) / PAGE_SIZE);
    const stats = bed.simulator.stats;
    expect(stats.requests).toEqual({ GetCostAndUsage: servicePages + tagPages, GetCostForecast: 1 });
    expect(value(text, "aws_cost_exporter_api_pages_total", { operation: "GetCostAndUsage" })).toBe(
      servicePages + tagPages,
    );
    expect(
      value(text, "aws_cost_exporter_api_requests_total", {
        operation: "GetCostAndUsage",
        outcome: "success",
      }),
    ).toBe(servicePages + tagPages);
    expect(value(text, "aws_cost_exporter_paid_requests_today")).toBe(stats.total);
    expect(value(text, "aws_cost_exporter_info", { mode: "demo", cost_basis: "unblended" })).toBe(1);
    expect(value(text, "aws_cost_exporter_last_refresh_success")).toBe(1);
    expect(value(text, "aws_cost_exporter_last_success_timestamp_seconds")).toBe(NOW / 1000);
    expect(value(text, "aws_cost_exporter_data_age_seconds")).toBe(0);
    expect(value(text, "aws_cost_exporter_refresh_interval_seconds")).toBe(8 * 3600);
    expect(value(text, "aws_cost_exporter_daily_request_cap")).toBe(0);
    baseline = text;
  });

  it("answers 100 scrapes over HTTP without a single paid call", async () => {
    const running: RunningService = await serveService(bed.exporter, {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1000 },
      handleSignals: false,
    });
    try {
      const before = structuredClone(bed.simulator.stats);
      for (let i = 0; i < 100; i++) {
        const res = await fetch(`${running.url}/metrics`);
        expect(res.status).toBe(200);
        expect(costLines(await res.text())).toEqual(costLines(baseline));
      }
      expect(bed.simulator.stats).toEqual(before);
      expect(value(await bed.scrape(), "aws_cost_exporter_paid_requests_today")).toBe(before.total);
    } finally {
      await running.shutdown("test done");
    }
  });

  it("joins a refresh in progress instead of starting a second one", async () => {
    const before = bed.simulator.stats.total;
    const [a, b, c] = await Promise.all([
      bed.exporter.collector.refresh(),
      bed.exporter.collector.refresh(),
      bed.exporter.collector.refresh(),
    ]);
    expect([a, b, c]).toEqual([true, true, true]);
    const perRefresh = Math.ceil((29 * 17) / PAGE_SIZE) + Math.ceil((29 * 5) / PAGE_SIZE) + 1;
    expect(bed.simulator.stats.total - before).toBe(perRefresh);
  });

  it("recovers from two throttled answers by backing off and retrying", async () => {
    const before = await bed.scrape();
    bed.simulator.setFaults({ throttle: 2 });
    expect(await bed.exporter.collector.refresh()).toBe(true);
    const after = await bed.scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - (find(before, name, labels)[0]?.value ?? 0);
    expect(
      delta("aws_cost_exporter_api_requests_total", { operation: "GetCostAndUsage", outcome: "throttled" }),
    ).toBe(2);
    expect(delta("aws_cost_exporter_api_throttles_total", { operation: "GetCostAndUsage" })).toBe(2);
    expect(delta("aws_cost_exporter_api_retries_total", { operation: "GetCostAndUsage" })).toBe(2);
    expect(value(after, "aws_cost_exporter_last_refresh_success")).toBe(1);
  });

  const faults = [
    {
      name: "throttling that outlasts the retries",
      faults: { throttle: 100 },
      outcome: "throttled",
      attempts: 3,
    },
    { name: "5xx answers", faults: { serverError: 100 }, outcome: "server_error", attempts: 3 },
    { name: "an expired token", faults: { expiredToken: true }, outcome: "invalid_credentials", attempts: 3 },
    {
      name: "access denied (not retried)",
      faults: { accessDenied: true },
      outcome: "access_denied",
      attempts: 1,
    },
    { name: "malformed answers", faults: { malformed: 100 }, outcome: "malformed", attempts: 3 },
    { name: "answers slower than API_TIMEOUT", faults: { delayMs: 1_300 }, outcome: "error", attempts: 3 },
  ] as const;

  for (const fault of faults) {
    it(`survives ${fault.name}: keeps serving the last good data and shows the failure`, async () => {
      await bed.scheduler.advance(10 * 60_000);
      const before = await bed.scrape();
      const lastSuccess = value(before, "aws_cost_exporter_last_success_timestamp_seconds");
      const requestsBefore = bed.simulator.stats.total;
      bed.simulator.setFaults(fault.faults);
      try {
        expect(await bed.exporter.collector.refresh()).toBe(false);
      } finally {
        bed.simulator.setFaults({});
      }
      const after = await bed.scrape();
      const labels = { operation: "GetCostAndUsage", outcome: fault.outcome };
      const counted =
        value(after, "aws_cost_exporter_api_requests_total", labels) -
        (find(before, "aws_cost_exporter_api_requests_total", labels)[0]?.value ?? 0);
      expect(counted).toBe(fault.attempts);
      expect(bed.simulator.stats.total - requestsBefore).toBe(fault.attempts);
      expect(value(after, "aws_cost_exporter_last_refresh_success")).toBe(0);
      expect(value(after, "aws_cost_exporter_last_success_timestamp_seconds")).toBe(lastSuccess);
      expect(value(after, "aws_cost_exporter_data_age_seconds")).toBe(
        bed.scheduler.now() / 1000 - lastSuccess,
      );
      expect(value(after, "aws_cost_exporter_data_age_seconds")).toBeGreaterThan(0);
      expect(costLines(after)).toEqual(costLines(baseline));
    });
  }

  it("keeps answering scrapes from the old snapshot while a slow refresh runs, then recovers", async () => {
    bed.simulator.setFaults({ delayMs: 50 });
    const refreshing = bed.exporter.collector.refresh();
    const during = await bed.scrape();
    expect(costLines(during)).toEqual(costLines(baseline));
    expect(value(during, "aws_cost_exporter_last_refresh_success")).toBe(0);
    expect(await refreshing).toBe(true);
    bed.simulator.setFaults({});
    const after = await bed.scrape();
    expect(value(after, "aws_cost_exporter_last_refresh_success")).toBe(1);
    expect(value(after, "aws_cost_exporter_data_age_seconds")).toBe(0);
    expect(value(after, "aws_cost_exporter_refreshes_total", { outcome: "failure" })).toBe(faults.length);
    // Same dataset, same day: the numbers are the same as before the faults.
    expect(costLines(after)).toEqual(costLines(baseline));
    // Every HTTP request the simulator received was counted as a paid request.
    const counted = find(after, "aws_cost_exporter_api_requests_total").reduce((n, s) => n + s.value, 0);
    expect(counted).toBe(bed.simulator.stats.total);
  });

  it("stops presenting yesterday's today, yesterday and month figures after midnight when no refresh succeeded", async () => {
    await bed.scheduler.advance(Date.parse("2024-03-01T00:05:00Z") - bed.scheduler.now());
    const text = await bed.scrape();
    expect(find(text, "aws_cost_today_amount")).toHaveLength(0);
    expect(find(text, "aws_cost_last_complete_day_amount")).toHaveLength(0);
    expect(find(text, "aws_cost_month_to_date_amount")).toHaveLength(0);
    expect(find(text, "aws_cost_month_forecast_amount")).toHaveLength(0);
    expect(find(text, "aws_cost_tag_month_to_date_amount")).toHaveLength(0);
    // Dated daily series stay: their labels say which day they describe.
    expect(find(text, "aws_cost_daily_amount", { day: "2024-02-29" }).length).toBe(TOP + 1);
    const lastSuccess = value(text, "aws_cost_exporter_last_success_timestamp_seconds");
    expect(lastSuccess).toBeLessThan(Date.parse("2024-03-01T00:00:00Z") / 1000);
    expect(value(text, "aws_cost_exporter_data_age_seconds")).toBe(bed.scheduler.now() / 1000 - lastSuccess);
  });
});

describe("daily request cap", () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await startTestbed({
      now: NOW,
      env: { DAILY_REQUEST_CAP: "10" },
      simulator: { pageSize: PAGE_SIZE },
    });
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("never sends more paid requests per UTC day than the cap, pages and retries included", async () => {
    bed.simulator.setFaults({ throttle: 3 });
    expect(await bed.exporter.collector.refresh()).toBe(false);
    expect(bed.simulator.stats.total).toBe(10);
    expect(await bed.exporter.collector.refresh()).toBe(false);
    expect(bed.simulator.stats.total).toBe(10);
    let text = await bed.scrape();
    expect(value(text, "aws_cost_exporter_paid_requests_today")).toBe(10);
    expect(value(text, "aws_cost_exporter_daily_request_cap")).toBe(10);
    expect(value(text, "aws_cost_exporter_requests_skipped_total", { reason: "daily_cap" })).toBe(2);
    const counted = find(text, "aws_cost_exporter_api_requests_total").reduce((n, s) => n + s.value, 0);
    expect(counted).toBe(10);

    await bed.scheduler.advance(Date.parse("2024-03-01T00:00:00Z") - NOW);
    text = await bed.scrape();
    expect(value(text, "aws_cost_exporter_paid_requests_today")).toBe(0);
  });
});

describe("the default cap", () => {
  // With the old default (no cap), the shortest intervals and an API that always fails, nothing bounded
  // the bill: four paid attempts a minute once the retries have backed off to REFRESH_INTERVAL, about
  // 2,000 in the rest of this day.
  it("bounds a day of the shortest intervals against an API that always fails", async () => {
    const bed = await startTestbed({
      now: NOW,
      env: { REFRESH_INTERVAL: "1m", REFRESH_RETRY_INTERVAL: "1s", DAILY_REQUEST_CAP: "" },
      simulator: { pageSize: PAGE_SIZE },
    });
    try {
      bed.simulator.setFaults({ serverError: 1_000_000 });
      bed.exporter.collector.start();
      await bed.exporter.collector.settled();
      const untilTomorrow = Date.parse("2024-03-01T00:00:00Z") - 1 - NOW;
      await bed.scheduler.advance(untilTomorrow, () => bed.exporter.collector.settled());
      expect(bed.simulator.stats.total).toBe(DEFAULT_DAILY_REQUEST_CAP);
      expect(value(await bed.scrape(), "aws_cost_exporter_paid_requests_today")).toBe(
        DEFAULT_DAILY_REQUEST_CAP,
      );
    } finally {
      await bed.close();
    }
  });
});
