/** The traffic CLI and service against a real storefront process on 127.0.0.1. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, type RunningService, serveService } from "@platform/service-kit";
import {
  freePort,
  promtoolCheckMetrics,
  type StartedProcess,
  sample,
  startProcess,
  typescriptCommand,
  waitFor,
} from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import type { TrafficSummary } from "./summary.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../../..");

/** Sums `app_requests_total` by status, and reads the checkout counters, from a storefront scrape. */
function storefrontCounts(exposition: string) {
  const byStatus: Record<string, number> = {};
  let requests = 0;
  for (const line of exposition.split("\n")) {
    const match = /^app_requests_total\{.*status="(\d+)"\} (\S+)$/.exec(line);
    if (!match?.[1]) continue;
    byStatus[match[1]] = (byStatus[match[1]] ?? 0) + Number(match[2]);
    requests += Number(match[2]);
  }
  return {
    byStatus,
    requests,
    orders: sample(exposition, 'app_checkouts_total{outcome="accepted"}') ?? 0,
    revenueCents: Math.round((sample(exposition, "app_revenue_total") ?? 0) * 100),
  };
}

function delta(before: ReturnType<typeof storefrontCounts>, after: ReturnType<typeof storefrontCounts>) {
  const byStatus: Record<string, number> = {};
  for (const [status, n] of Object.entries(after.byStatus)) {
    const d = n - (before.byStatus[status] ?? 0);
    if (d) byStatus[status] = d;
  }
  return {
    byStatus,
    requests: after.requests - before.requests,
    orders: after.orders - before.orders,
    revenueCents: after.revenueCents - before.revenueCents,
  };
}

describe("against a real storefront on 127.0.0.1", () => {
  let storefront: StartedProcess;
  let storefrontUrl: string;
  const processes: StartedProcess[] = [];
  const scrapeStorefront = async () =>
    storefrontCounts(await (await fetch(`${storefrontUrl}/metrics`)).text());

  beforeAll(async () => {
    const port = await freePort();
    storefrontUrl = `http://127.0.0.1:${port}`;
    const [node, args] = typescriptCommand(join(repoRoot, "services/storefront/src/main.ts"));
    storefront = startProcess(node, args, {
      cwd: repoRoot,
      parentDeath: "child-watches-ipc",
      env: {
        PORT: String(port),
        LOG_LEVEL: "warn",
        // Every kind of answer shows up: 200, 201, 4xx from bad checkouts, 409 out of stock, 402 payment
        // declined, 503 failures.
        SIMULATION: JSON.stringify({
          checkout: { outOfStockRate: 0.1, paymentFailureRate: 0.1, errorRate: 0.05 },
          products: { errorRate: 0.05 },
        }),
      },
    });
    processes.push(storefront);
    await waitFor(async () => (await fetch(`${storefrontUrl}/health`)).ok, {
      what: "the storefront to start",
    });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  const runCli = (args: string[]) => {
    const [node, cliArgs] = typescriptCommand(join(here, "cli.ts"), ["--target", storefrontUrl, ...args]);
    const proc = startProcess(node, cliArgs, { cwd: repoRoot, parentDeath: "child-watches-ipc" });
    processes.push(proc);
    return proc;
  };
  const summaryOf = (proc: StartedProcess): TrafficSummary => {
    const line = proc
      .output()
      .split("\n")
      .find((l) => l.startsWith("{"));
    if (!line) throw new Error(`no JSON summary in:\n${proc.output()}`);
    return JSON.parse(line) as TrafficSummary;
  };

  it("CLI summary agrees with what the storefront counted", async () => {
    const before = await scrapeStorefront();
    const cli = runCli([
      "--requests",
      "400",
      "--rate",
      "400",
      "--concurrency",
      "8",
      "--seed",
      "7",
      "--bad-checkouts",
      "0.2",
      // More checkouts than the demo's mix, so every answer shows up in 400 requests.
      "--mix",
      "page=0.4,product=0.35,checkout=0.25",
      "--json",
    ]);
    expect(await cli.exited).toBe(0);
    const summary = summaryOf(cli);
    const counted = delta(before, await scrapeStorefront());

    expect(summary.requests).toBe(400);
    expect(summary.byStatus).toEqual(counted.byStatus);
    expect(summary.requests).toBe(counted.requests);
    expect(summary.orders).toBe(counted.orders);
    expect(Math.round(summary.revenue * 100)).toBe(counted.revenueCents);
    // The mix really exercised every path.
    expect(Object.keys(summary.byStatus)).toEqual(
      expect.arrayContaining(["200", "201", "400", "402", "409", "503"]),
    );
    expect(summary.orders).toBeGreaterThan(0);
    expect(summary.latencyMs.p50).toBeLessThanOrEqual(summary.latencyMs.p99);
  });

  it("CLI stops by itself after --duration and prints a readable summary", async () => {
    const cli = runCli(["--duration", "1500ms", "--rate", "20", "--seed", "3"]);
    expect(await cli.exited).toBe(0);
    const out = cli.output();
    expect(out).toContain("Traffic summary — seed 3");
    expect(out).toMatch(/latency \(ms\)\s+p50 [\d.]+\s+p90 [\d.]+\s+p99/);
    expect(out).toMatch(/orders\s+\d+/);
    expect(out).toMatch(/revenue\s+\$[\d,.]+/);
  });

  it("CLI rejects bad arguments with exit code 2", async () => {
    const cli = runCli(["--rate", "lots"]);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain("--rate must be a number in decimal digits");
  });

  it("CLI prints no escape or invisible character of a bad argument back to the terminal", async () => {
    const cli = runCli([`--\u001b]0;owned\u0007\u001b[2J\u3164`]);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain("traffic: Unknown option '--]0;owned[2J'");
    for (const line of cli.output().split("\n")) expect(line).not.toMatch(/[\p{Cc}\u3164]/u);
  });

  describe("service mode", () => {
    let service: RunningService;
    let traffic: ReturnType<typeof createApp>;

    beforeAll(async () => {
      traffic = createApp({
        logger: createLogger({ service: "traffic", level: "silent" }),
        traffic: {
          target: storefrontUrl,
          concurrency: 4,
          mix: { page: 0.4, product: 0.35, checkout: 0.25 },
          seed: 11,
          badCheckoutRate: 0.1,
        },
        pace: { rate: 100, shape: "steady", periodMs: 0 },
        maxRate: 100,
      });
      service = await serveService(traffic, {
        config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 5_000 },
        onShutdown: () => traffic.stop(),
        handleSignals: false,
      });
    });
    afterAll(() => service?.shutdown());

    it("serves health and its own metrics, agreeing with the storefront", async () => {
      expect((await fetch(`${service.url}/health`)).ok).toBe(true);
      const before = await scrapeStorefront();
      traffic.start();
      await waitFor(
        async () =>
          (sample(await (await fetch(`${service.url}/metrics`)).text(), "traffic_orders_total") ?? 0) >= 20,
        { what: "20 orders from the traffic service" },
      );
      await traffic.stop();
      const counted = delta(before, await scrapeStorefront());
      const own = await (await fetch(`${service.url}/metrics`)).text();

      expect(sample(own, "traffic_orders_total")).toBe(counted.orders);
      expect(Math.round((sample(own, "traffic_revenue_total") ?? 0) * 100)).toBe(counted.revenueCents);
      let sent = 0;
      for (const line of own.split("\n")) {
        const match = /^traffic_requests_total\{.*\} (\d+)$/.exec(line);
        if (match) sent += Number(match[1]);
      }
      expect(sent).toBe(counted.requests);
      expect(own).toMatch(/traffic_request_duration_seconds_bucket\{le="0.3",kind="checkout"\} \d+/);
      expect(await promtoolCheckMetrics(own)).toBe("");
    });
  });

  it("the service refuses bad settings, naming the variable", async () => {
    const [node, args] = typescriptCommand(join(here, "main.ts"));
    const proc = startProcess(node, args, {
      cwd: repoRoot,
      parentDeath: "child-watches-ipc",
      env: { MIX: "all checkouts", PORT: "0" },
    });
    processes.push(proc);
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain("MIX must be kind=weight pairs");
  });
});
