/**
 * End to end on localhost, one platform run shared by every test: the real Prometheus scrapes the real
 * services and a fixture service added to the catalogue, every dashboard query returns data, and an
 * induced incident reaches a local stand-in for the Telegram Bot API through the real Alertmanager,
 * followed by its resolved notice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LONG_TERM_SERIES } from "../alerts/long-term-store.js";
import { type Catalogue, catalogue, type ServiceEntry } from "../catalogue/services.js";
import { withProgramLogCaptured } from "../infra/cost/program-log.js";
import { estimateOfStack } from "../infra/cost/stack-estimate.js";
import { runProgramUnderMocks } from "../infra/under-mocks/mocks.js";
import { dashboardQueries, METRIC_CONTRACT_QUERIES, runChecks, seriesCount } from "../local/check.js";
import { defaultEntryPoint } from "../local/components/services.js";
import { DASHBOARDS_DIR, ruleFiles } from "../local/configs.js";
import { causeIncident, INCIDENTS } from "../local/incidents.js";
import { type Platform, startPlatform } from "../local/platform.js";
import { loadLocalSettings, localComponents, portSettingName } from "../local/settings.js";
import { formatTable } from "../local/start.js";
import { formatMix, parseMix } from "../services/traffic/src/mix.js";
import { LONG_TERM_DATASOURCE } from "../thresholds/dashboards.js";

/** A service added to the catalogue the way a maintainer adds one: its folder and one entry. */
const FIXTURE: ServiceEntry = {
  name: "fixture-echo",
  description: "A test fixture that echoes.",
  port: 8099,
  runsIn: ["local"],
  image: { dockerfile: "tests/fixtures/fixture-echo/Dockerfile" },
  probes: { liveness: "/health", readiness: "/ready" },
  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
  replicas: { fixed: 1, reason: "a test fixture" },
  scrape: { path: "/metrics", interval: "15s" },
  ingress: "prometheus",
  egress: [{ to: "service", service: "storefront" }],
};
const withFixture: Catalogue = [...catalogue, FIXTURE];
const FIXTURE_DIR = join(import.meta.dirname, "fixtures", FIXTURE.name);

const BOT_TOKEN = "4242:test-token";
const CHAT_ID = "-100123";

interface TelegramRequest {
  path: string;
  body: Record<string, unknown>;
}

/** Answers like the Telegram Bot API and records every request. */
function telegramStandIn(): Promise<{ server: Server; url: string; requests: TelegramRequest[] }> {
  const requests: TelegramRequest[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      let body: Record<string, unknown> = {};
      try {
        body = raw.startsWith("{") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        body = { raw };
      }
      requests.push({ path: req.url ?? "", body });
      res.setHeader("Content-Type", "application/json");
      const chat = { id: Number(CHAT_ID), type: "supergroup" };
      const result = req.url?.endsWith("/getMe")
        ? { id: 4242, is_bot: true, first_name: "test", username: "test_bot" }
        : { message_id: requests.length, date: Math.floor(Date.now() / 1000), chat, text: body.text };
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

let platform: Platform;
let telegram: Awaited<ReturnType<typeof telegramStandIn>>;
let dataDir: string;
const printed: string[] = [];

const messages = () =>
  telegram.requests
    .filter((r) => r.path === `/bot${BOT_TOKEN}/sendMessage`)
    .map((r) => String(r.body.text ?? ""));

beforeAll(async () => {
  telegram = await telegramStandIn();
  dataDir = mkdtempSync(join(tmpdir(), "platform-e2e-"));
  const freePorts = Object.fromEntries(
    localComponents(withFixture).map((c) => [portSettingName(c.name), "0"]),
  );
  const settings = loadLocalSettings(
    {
      ...freePorts,
      LOCAL_DATA_DIR: dataDir,
      SCRAPE_INTERVAL: "1s",
      LOCAL_MAX_FOR: "2s",
      // The read-only dashboards on Grafana's port, whether or not Grafana is installed: a test reads through them.
      LOCAL_GRAFANA: "off",
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_CHAT_ID: CHAT_ID,
      TELEGRAM_API_URL: telegram.url,
    },
    withFixture,
  );
  platform = await startPlatform({
    catalogue: withFixture,
    serviceEntryPoint: (service) =>
      service.name === FIXTURE.name ? join(FIXTURE_DIR, "main.ts") : defaultEntryPoint(service),
    settings,
    freshData: true,
    alertTiming: { groupWait: "1s", groupInterval: "2s", repeatInterval: "1h" },
    print: (text) => printed.push(text),
    serviceEnv: { LOG_LEVEL: "warn" },
  });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await new Promise((done) => telegram?.server.close(() => done(undefined)));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the local platform", () => {
  it("starts a service added to the catalogue, lists it and has Prometheus scrape it", async () => {
    const row = platform.components.find((c) => c.name === FIXTURE.name);
    expect(row).toMatchObject({ status: "running", note: "the test fixture, echoing" });
    expect(formatTable(platform.components)).toMatch(
      /fixture-echo\s+running\s+http:\/\/127\.0\.0\.1:\d+\/metrics/,
    );
    expect(await (await fetch(`${platform.url(FIXTURE.name)}/echo/hi`)).json()).toEqual({ echo: "hi" });
    // Started after the service it calls, like traffic.
    const order = platform.components.map((c) => c.name);
    expect(order.indexOf(FIXTURE.name)).toBeGreaterThan(order.indexOf("storefront"));
    await waitFor(
      async () => (await seriesCount(platform.url("prometheus"), `up{job="${FIXTURE.name}"} == 1`)) === 1,
      {
        what: `up{job="${FIXTURE.name}"} == 1`,
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
  });

  it("scrapes every target, loads every rule file and answers every dashboard query with data", async () => {
    const lines = await runChecks({
      prometheus: platform.url("prometheus"),
      ruleFiles: Object.keys(ruleFiles()),
      datasources: { [LONG_TERM_DATASOURCE.uid]: platform.url("long-term-store") },
      scrapeSeconds: 1,
      timeoutMs: 90_000,
    });
    expect(lines.filter((l) => !l.ok)).toEqual([]);
    expect(lines.filter((l) => l.section.startsWith("dashboard")).length).toBeGreaterThan(40);
  }, 120_000);

  it("sends the long-term store exactly the kept series, and a cost-history panel reads them from it", async () => {
    const names = async (prometheus: string) =>
      new Set(
        await fetch(`${prometheus}/api/v1/label/__name__/values`)
          .then((r) => r.json() as Promise<{ data: string[] }>)
          .then((b) => b.data),
      );
    const kept = new Set<string>(LONG_TERM_SERIES);
    let stored = new Set<string>();
    let expected = new Set<string>();
    // Everything the platform's Prometheus has of the keep-list reaches the store (remote writes are batched).
    await waitFor(
      async () => {
        stored = await names(platform.url("long-term-store"));
        expected = new Set([...(await names(platform.url("prometheus")))].filter((n) => kept.has(n)));
        return (
          expected.has("platform:live_cost_workload:usd_per_hour") &&
          [...expected].every((n) => stored.has(n))
        );
      },
      { what: "the kept series in the long-term store", timeoutMs: 60_000, intervalMs: 1000 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; missing: ${[...expected].filter((n) => !stored.has(n)).join(", ")}`);
    });
    // Nothing else: not the per-pod cost, not a scraped series, not Prometheus's own.
    expect([...stored].filter((n) => !kept.has(n))).toEqual([]);
    expect(stored.has("platform:live_cost_pod:usd_per_hour")).toBe(false);
    expect(
      await seriesCount(platform.url("prometheus"), "platform:live_cost_pod:usd_per_hour"),
    ).toBeGreaterThan(0);
    // The workload panel's own query, through the dashboards' reads of the long-term store.
    const panel = dashboardQueries(DASHBOARDS_DIR, 1).find(
      (q) => q.panel === "Cost per workload, last 730 hours" && q.datasource === LONG_TERM_DATASOURCE.uid,
    );
    expect(panel).toBeDefined();
    const res = await fetch(
      `${platform.url("grafana")}/api/datasources/${LONG_TERM_DATASOURCE.uid}/api/v1/query?query=${encodeURIComponent(panel?.query ?? "")}`,
    );
    const body = (await res.json()) as { data: { result: { metric: Record<string, string> }[] } };
    expect(body.data.result.map((r) => r.metric.workload)).toContain("storefront");
  }, 90_000);

  it("prices the demo inventory as npm run cost prices the dev stack: the live run-rate × 730 h within 1%", async () => {
    const prometheus = platform.url("prometheus");
    const scalarOf = async (query: string) => {
      const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
      return body.data.result.length === 1 ? Number(body.data.result[0]?.value[1]) : Number.NaN;
    };
    const { result: resources } = await withProgramLogCaptured(() => runProgramUnderMocks("dev"));
    const estimate = estimateOfStack("dev", resources);
    const monthly = estimate.totalAfter.toNumber();
    const hours = estimate.priceSource.hoursPerMonth.toNumber();
    // The live rules price load balancers from kube-state-metrics' Services; an Ingress's ALB is not among them
    // (no kube_ingress_* series), so the run-rate is compared with the estimate less the Ingress rows.
    const ingressAlbs = estimate.rows
      .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")
      .reduce((sum, r) => sum + r.afterMonthly.toNumber(), 0);
    const seenLive = monthly - ingressAlbs;
    // The run-rate sums what has been scraped: until the rules have evaluated after the first scrape of both the
    // exporter's prices and the demo inventory (slow on a loaded machine), it is a part of the whole. Wait for
    // the whole, and on a timeout say what it was.
    let live = Number.NaN;
    const within = (value: number) => Math.abs(value * hours - seenLive) / seenLive < 0.01;
    await waitFor(
      async () => {
        live = await scalarOf("platform:live_cost_total:usd_per_hour");
        return within(live);
      },
      {
        what: `platform:live_cost_total:usd_per_hour × ${hours} h within 1% of $${seenLive} ($${monthly} less the Ingress ALBs)`,
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last run-rate × ${hours} h: $${(live * hours).toFixed(2)}`);
    });
    expect(within(live)).toBe(true);
    // The estimate the platform records is that same total; the inventory says it is a demo.
    expect(await scalarOf('platform:cost_estimate_monthly:usd{stack="dev"}')).toBe(monthly);
    expect(await scalarOf('demo_inventory_info{job="demo-inventory",stack="dev"}')).toBe(1);
    // The allocation adds up: namespaces + idle + shared = the run-rate.
    const parts = await scalarOf(
      "sum(platform:live_cost_namespace:usd_per_hour) + platform:live_cost_idle:usd_per_hour + platform:live_cost_shared:usd_per_hour",
    );
    expect(parts).toBeCloseTo(live, 9);
  }, 90_000);

  it("answers the four queries of the metric contract", async () => {
    for (const query of METRIC_CONTRACT_QUERIES)
      expect(await seriesCount(platform.url("prometheus"), query), query).toBeGreaterThan(0);
  });

  it("delivers an induced incident to Telegram with its summary and runbook link", async () => {
    const incident = await causeIncident("errors", (name) => platform.url(name));
    try {
      const text = await waitFor(
        () => messages().find((m) => m.includes("FIRING") && m.includes("AvailabilityBudgetBurnFast")),
        { timeoutMs: 60_000, intervalMs: 500, what: "a Telegram message about AvailabilityBudgetBurnFast" },
      );
      expect(text).toContain("storefront is burning its availability error budget fast");
      // Locally the runbook link opens this checkout's runbook, served by the alert receiver.
      expect(text).toContain(
        `<a href="${platform.url("alert-receiver")}/runbooks/AvailabilityBudgetBurnFast.md">Runbook</a>`,
      );
      expect(text).toMatch(/Value: <code>[\d.]+%<\/code>/);
      const request = telegram.requests.find((r) => String(r.body.text) === text);
      expect(String(request?.body.chat_id)).toBe(CHAT_ID);
      expect(request?.body.parse_mode).toBe("HTML");
    } finally {
      await incident.undo();
    }
  }, 90_000);

  it("the checkout-unreachable incident reaches the traffic generator: browsing goes on, no checkout arrives", async () => {
    const storefront = platform.url("storefront");
    const counts = async () => {
      const metrics = await (await fetch(`${storefront}/metrics`)).text();
      const sum = (name: string) =>
        metrics
          .split("\n")
          .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
          .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
      return { views: sum("app_product_views_total"), checkouts: sum("app_checkouts_total") };
    };
    const traffic = platform.url("traffic");
    const mixNow = async () => ((await (await fetch(`${traffic}/control`)).json()) as { mix: string }).mix;
    const before = await mixNow();
    const incident = await causeIncident("checkout-unreachable", (name) => platform.url(name));
    try {
      // The generator runs the incident's mix (normalised, as it shows every mix).
      const asSet = parseMix(INCIDENTS["checkout-unreachable"].settings.mix);
      expect(asSet && formatMix(asSet)).toBe(await mixNow());
      expect(await mixNow()).toMatch(/checkout=0$/);
      // Checkouts in flight when the mix changed (at most the generator's concurrency) arrive first.
      const switched = await counts();
      const settled = await waitFor(
        async () => {
          const now = await counts();
          return now.views >= switched.views + 30 ? now : undefined;
        },
        { what: "30 product views after the change", timeoutMs: 30_000, intervalMs: 250 },
      );
      // At the demo mix 100 product views bring about 5 checkouts: none of them arrives.
      const later = await waitFor(
        async () => {
          const now = await counts();
          return now.views >= settled.views + 100 ? now : undefined;
        },
        { what: "100 product views more", timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(later.checkouts).toBe(settled.checkouts);
    } finally {
      await incident.undo();
    }
    expect(await mixNow()).toBe(before);
    const undone = await counts();
    await waitFor(async () => (await counts()).checkouts > undone.checkouts, {
      what: "checkouts again once the incident is undone",
      timeoutMs: 60_000,
      intervalMs: 250,
    });
  }, 150_000);

  it("sends the resolved notice once a target that went down is back", async () => {
    // This target's messages only: on a busy machine another target (the demo inventory, served in this
    // process) can miss scrapes long enough for a TargetDown of its own, which is not the one under test.
    const target = `traffic target ${new URL(platform.url("traffic")).host}`;
    await platform.stopComponent("traffic");
    await waitFor(
      () => messages().find((m) => m.includes("FIRING") && m.includes("TargetDown") && m.includes(target)),
      { timeoutMs: 45_000, intervalMs: 500, what: "TargetDown firing on Telegram" },
    );
    await platform.restartComponent("traffic");
    const resolved = await waitFor(
      () => messages().find((m) => m.includes("RESOLVED") && m.includes("TargetDown") && m.includes(target)),
      {
        timeoutMs: 45_000,
        intervalMs: 500,
        what: "TargetDown resolved on Telegram",
      },
    );
    expect(resolved).toContain("traffic target");
    expect(resolved).toContain(`${platform.url("alert-receiver")}/runbooks/TargetDown.md`);
  }, 100_000);

  // Last: on a Prometheus with its lifecycle API on, the first POST would end it for the tests after.
  it("refuses Prometheus's lifecycle API: no local process can stop or reload it over HTTP", async () => {
    const prometheus = platform.url("prometheus");
    for (const path of ["/-/quit", "/-/reload"]) {
      const res = await fetch(`${prometheus}${path}`, { method: "POST" });
      expect(res.status, `POST ${path}`).toBe(403);
    }
    expect((await fetch(`${prometheus}/-/ready`)).ok).toBe(true);
  });
});
