// Cost exporter: /metrics latency with an instant vs a 2-second Cost Explorer (during a forced refresh),
// and the paid Cost Explorer requests one day of default settings costs, counted at the simulator.
import { createLogger, serveService } from "@platform/service-kit";
import { createApp } from "../services/cost-exporter/src/app.js";
import { loadCostExporterConfig } from "../services/cost-exporter/src/config.js";
import { createCostExplorerClient } from "../services/cost-exporter/src/cost-explorer-client.js";
import {
  addDays,
  daysBetween,
  earlierDay,
  firstOfMonth,
  utcDay,
} from "../services/cost-exporter/src/dates.js";
import { startSimulator } from "../services/cost-exporter/src/simulator/app.js";
import { SIMULATED_SERVICES } from "../services/cost-exporter/src/simulator/dataset.js";
import { startTestbed } from "../services/cost-exporter/test/support.js";

const quiet = createLogger({ service: "bench", level: "silent" });
const SEQUENTIAL = 400;
const CONCURRENCY = 8;
const PER_WORKER = 50;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function scrapeLatencies(url: string, keepGoing: () => boolean = () => true) {
  const one = async () => {
    const started = performance.now();
    const res = await fetch(`${url}/metrics`);
    await res.text();
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
    return performance.now() - started;
  };
  const sequential: number[] = [];
  for (let i = 0; i < SEQUENTIAL && keepGoing(); i++) sequential.push(await one());
  const concurrent: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < PER_WORKER && keepGoing(); i++) concurrent.push(await one());
    }),
  );
  const summary = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { n: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  };
  return { sequential: summary(sequential), concurrent: summary(concurrent) };
}

async function scrapeLatencyWithSlowUpstream() {
  const simulator = await startSimulator({ logger: quiet });
  const config = loadCostExporterConfig({ LOG_LEVEL: "silent", API_TIMEOUT: "10s" });
  const client = createCostExplorerClient(config, {
    endpoint: simulator.running.url,
    credentials: { accessKeyId: "BENCH", secretAccessKey: "bench" },
  });
  const exporter = createApp({ config, client, mode: "demo", logger: quiet });
  const running = await serveService(exporter, { config: { ...config, PORT: 0 }, handleSignals: false });
  try {
    if (!(await exporter.collector.refresh())) throw new Error("the first refresh failed");
    // Warm-up so the JIT and the keep-alive pool are equal for both runs.
    await scrapeLatencies(running.url);
    const baseline = await scrapeLatencies(running.url);

    simulator.setFaults({ delayMs: 2_000 });
    let refreshing = true;
    const refresh = exporter.collector.refresh().finally(() => {
      refreshing = false;
    });
    const started = performance.now();
    const slow = await scrapeLatencies(running.url, () => refreshing);
    const scrapedWhileRefreshing = refreshing;
    await refresh;
    const refreshSeconds = (performance.now() - started) / 1000;
    simulator.setFaults({});

    console.log("/metrics latency (in-process simulator; one exporter over HTTP on 127.0.0.1)");
    console.log(
      "| upstream | scrapes | sequential p50 | sequential p99 | concurrent (8) p50 | concurrent p99 |",
    );
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const [label, r] of [
      ["instant (baseline)", baseline],
      ["2 s per answer, refresh running", slow],
    ] as const) {
      console.log(
        `| ${label} | ${r.sequential.n}+${r.concurrent.n} | ${ms(r.sequential.p50)} | ${ms(r.sequential.p99)} | ${ms(r.concurrent.p50)} | ${ms(r.concurrent.p99)} |`,
      );
    }
    console.log(
      `ratio slow/baseline: sequential p50 ${(slow.sequential.p50 / baseline.sequential.p50).toFixed(2)}, p99 ${(slow.sequential.p99 / baseline.sequential.p99).toFixed(2)}; concurrent p50 ${(slow.concurrent.p50 / baseline.concurrent.p50).toFixed(2)}, p99 ${(slow.concurrent.p99 / baseline.concurrent.p99).toFixed(2)}`,
    );
    console.log(
      `the forced refresh took ${refreshSeconds.toFixed(1)} s${scrapedWhileRefreshing ? " and was still running when the scrapes ended" : " (all slow-run scrapes happened while it ran)"}`,
    );
  } finally {
    await running.shutdown("bench done");
    client.destroy();
    await simulator.running.shutdown("bench done");
  }
}

/** Runs one simulated day of the default schedule (start-up + every 8 h) and counts requests at the simulator. */
async function paidRequestsPerDay(startIso: string, pageSize: number, env: Record<string, string> = {}) {
  const now = Date.parse(startIso);
  const bed = await startTestbed({ now, env, simulator: { pageSize } });
  try {
    bed.exporter.collector.start();
    await bed.exporter.collector.settled();
    await bed.scheduler.advance(24 * 3_600_000 - 1, () => bed.exporter.collector.settled());
    const refreshes = (await bed.scrape()).match(
      /aws_cost_exporter_refreshes_total\{outcome="success"\} (\d+)/,
    )?.[1];
    return {
      requests: bed.simulator.stats.total,
      refreshes: Number(refreshes),
      byOperation: bed.simulator.stats.requests,
    };
  } finally {
    await bed.close();
  }
}

async function paidRequestsReport() {
  const config = loadCostExporterConfig({});
  const refreshesPerDay = Math.ceil((24 * 3_600_000) / config.REFRESH_INTERVAL);
  const services = SIMULATED_SERVICES.length;
  console.log(
    "\npaid Cost Explorer requests per day at default settings (REFRESH_INTERVAL=8h, HISTORY_DAYS=7, no tag)",
  );
  console.log(
    "formula: per day = refreshes/day × (ceil(D × S / P) + 1), refreshes/day = 24h / REFRESH_INTERVAL = 3,",
  );
  console.log(
    "  D = days in the daily window = max(day of month, HISTORY_DAYS + 1), S = services, P = groups per page, +1 = GetCostForecast;",
  );
  console.log(
    "  COST_TAG_KEY adds ceil(D_tag × V / P) per refresh (V = tag values, D_tag = max(day of month, 2)). Each request costs $0.01.",
  );
  console.log(
    "| start (UTC) | page size P | D | expected/day | measured requests/day | refreshes | cost/day | cost/30 days |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const [start, pageSize] of [
    ["2026-03-03T06:00:00Z", 1000],
    ["2026-03-31T00:30:00Z", 1000],
    ["2026-03-03T06:00:00Z", 200],
    ["2026-03-15T06:00:00Z", 200],
    ["2026-03-30T06:00:00Z", 200],
  ] as const) {
    const today = utcDay(Date.parse(start));
    // Refreshes start on `today`; the last of the day's three may fall on the next calendar day.
    const days = daysBetween(
      earlierDay(firstOfMonth(today), addDays(today, -config.HISTORY_DAYS)),
      addDays(today, 1),
    ).length;
    const expected = refreshesPerDay * (Math.ceil((days * services) / pageSize) + 1);
    const measured = await paidRequestsPerDay(start, pageSize);
    console.log(
      `| ${start} | ${pageSize} | ${days} | ${expected} | ${measured.requests} | ${measured.refreshes} | $${(measured.requests * 0.01).toFixed(2)} | $${(measured.requests * 0.3).toFixed(2)} |`,
    );
  }
  const scrapesPerDay = (24 * 3600) / 15;
  console.log(
    `for comparison: calling Cost Explorer on every 15 s scrape would be ≥ ${scrapesPerDay * 2} requests/day = $${(scrapesPerDay * 2 * 0.01).toFixed(2)}/day.`,
  );
}

await scrapeLatencyWithSlowUpstream();
await paidRequestsReport();
