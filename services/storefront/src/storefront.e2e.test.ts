import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, type RunningService, serveService } from "@platform/service-kit";
import {
  countSeries,
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
import { CATALOG } from "./catalog.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../../..");
const [node, mainArgs] = typescriptCommand(join(here, "main.ts"));

const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

/** Runs `tasks` with at most `limit` at a time, like a pool of browsers. */
async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe("storefront over a real socket", () => {
  let service: RunningService;

  beforeAll(async () => {
    const storefront = createApp({
      logger: createLogger({ service: "storefront", level: "silent" }),
      // Some checkouts are rejected, so the test proves rejected ones add no revenue.
      simulation: { checkout: { outOfStockRate: 0.15, errorRate: 0.05 } },
    });
    service = await serveService(storefront, {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 5_000 },
      handleSignals: false,
    });
  });
  afterAll(() => service?.shutdown("test finished"));

  it("counts revenue exactly to the cent under 400 concurrent checkouts", async () => {
    const before = await scrape(service.url);
    const results = await pool(400, 50, async (i) => {
      // Carts vary in size and mix; quantities 1–3 of 1–3 products.
      const items = Array.from({ length: 1 + (i % 3) }, (_, line) => ({
        productId: CATALOG[(i * 7 + line * 3) % CATALOG.length]?.id ?? "",
        quantity: 1 + ((i + line) % 3),
      }));
      const res = await fetch(`${service.url}/api/checkout`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items }),
      });
      const body = (await res.json()) as { total?: number };
      const expectedCents = items.reduce(
        (sum, it) => sum + (CATALOG.find((p) => p.id === it.productId)?.priceCents ?? 0) * it.quantity,
        0,
      );
      return { status: res.status, total: body.total, expectedCents };
    });
    const after = await scrape(service.url);

    const accepted = results.filter((r) => r.status === 201);
    for (const r of accepted) expect(Math.round((r.total ?? 0) * 100)).toBe(r.expectedCents);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201, 409, 503]));
    const acceptedCents = accepted.reduce((sum, r) => sum + r.expectedCents, 0);

    const revenueDelta =
      (sample(after, "app_revenue_total") ?? 0) - (sample(before, "app_revenue_total") ?? 0);
    expect(Math.round(revenueDelta * 100)).toBe(acceptedCents);
    // The exposition itself holds the exact amount: no float residue to round away.
    expect(sample(after, "app_revenue_total")).toBe(
      ((sample(before, "app_revenue_total") ?? 0) * 100 + acceptedCents) / 100,
    );
    const outcomeDelta = (o: string) =>
      (sample(after, `app_checkouts_total{outcome="${o}"}`) ?? 0) -
      (sample(before, `app_checkouts_total{outcome="${o}"}`) ?? 0);
    expect(outcomeDelta("accepted")).toBe(accepted.length);
    expect(outcomeDelta("out_of_stock")).toBe(results.filter((r) => r.status === 409).length);
    expect(outcomeDelta("failed")).toBe(results.filter((r) => r.status === 503).length);
  });

  it("keeps labels bounded: 2,000 distinct unknown paths add no series", async () => {
    await fetch(`${service.url}/first/unknown/path`);
    await fetch(`${service.url}/first/unknown/path`, { method: "POST" });
    const before = await scrape(service.url);
    const statuses = await pool(2_000, 50, async (i) => {
      const res = await fetch(`${service.url}/u/${i}/${Math.random().toString(36).slice(2)}?q=${i}`, {
        method: i % 2 ? "GET" : "POST",
      });
      await res.arrayBuffer();
      return res.status;
    });
    expect(new Set(statuses)).toEqual(new Set([404]));
    const after = await scrape(service.url);
    // Only the service's own families: runtime metrics (GC kinds, handle types) may come and go.
    expect(countSeries(after, "app_")).toBe(countSeries(before, "app_"));
    expect(after).not.toContain("/u/");
    const unmatched = (text: string) =>
      sample(text, 'app_requests_total{method="GET",endpoint="unmatched",status="404"}');
    expect((unmatched(after) ?? 0) - (unmatched(before) ?? 0)).toBe(1_000);
  });

  it("passes promtool check metrics", async () => {
    for (const path of ["/", "/products/notebook", "/products/nope", "/api/products", "/api/products/x"]) {
      await (await fetch(`${service.url}${path}`)).arrayBuffer();
    }
    const exposition = await scrape(service.url);
    expect(exposition).toContain("app_request_duration_seconds_bucket");
    expect(await promtoolCheckMetrics(exposition)).toBe("");
  });
});

describe("storefront process", () => {
  const started: StartedProcess[] = [];
  const start = (env: Record<string, string>) => {
    const proc = startProcess(node, mainArgs, { env, cwd: repoRoot, parentDeath: "child-watches-ipc" });
    started.push(proc);
    return proc;
  };
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop("SIGKILL")));
  });

  it("finishes in-flight checkouts after SIGTERM, refuses new connections, and exits 0", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = start({
      PORT: String(port),
      SIMULATION: JSON.stringify({ checkout: { delayMs: { min: 1000, max: 1000 } } }),
      SHUTDOWN_TIMEOUT: "20s",
    });
    await waitFor(async () => (await fetch(`${url}/health`)).ok, { what: "the storefront to start" });

    const inFlight = Array.from({ length: 20 }, () =>
      fetch(`${url}/api/checkout`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items: [{ productId: "notebook", quantity: 1 }] }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { total?: number } })),
    );
    // All twenty are inside the handler (waiting out the simulated delay) before the signal.
    await waitFor(async () => sample(await scrape(url), "app_requests_in_flight") === 20, {
      what: "20 checkouts in flight",
      intervalMs: 20,
    });
    proc.child.kill("SIGTERM");
    await waitFor(() => proc.output().includes("shutting down"), { what: "the shutdown to begin" });
    await expect(fetch(`${url}/health`)).rejects.toThrow();

    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(answers.every((a) => a.body.total === 19.99)).toBe(true);
    expect(await proc.exited).toBe(0);
    // "drained" means every connection closed before SHUTDOWN_TIMEOUT ran out.
    expect(proc.output()).toMatch(/"msg":"stopped".*"outcome":"drained"/);
  });

  // SHUTDOWN_TIMEOUT=30d once dropped a request in flight and exited 0.
  it("exits 1 when the shutdown ends by its timeout with a request still in flight", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = start({
      PORT: String(port),
      SIMULATION: JSON.stringify({ checkout: { delayMs: { min: 5000, max: 5000 } } }),
      SHUTDOWN_TIMEOUT: "300ms",
    });
    await waitFor(async () => (await fetch(`${url}/health`)).ok, { what: "the storefront to start" });
    const slow = fetch(`${url}/api/checkout`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ items: [{ productId: "notebook", quantity: 1 }] }),
    }).then(
      (res) => res.status,
      () => "cut off",
    );
    await waitFor(async () => sample(await scrape(url), "app_requests_in_flight") === 1, {
      what: "the checkout in flight",
      intervalMs: 20,
    });
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(1);
    expect(await slow).toBe("cut off");
    expect(proc.output()).toMatch(/"msg":"stopped".*"outcome":"timeout"/);
  });

  it("refuses to start with bad settings, naming each variable", async () => {
    const proc = start({ PORT: "abc", SIMULATION: "{bad", ADMIN_ENABLED: "perhaps" });
    expect(await proc.exited).not.toBe(0);
    expect(proc.output()).toContain(
      'PORT must be a whole number in decimal digits ≥ 0 and ≤ 65535 (got "abc")',
    );
    expect(proc.output()).toMatch(/SIMULATION must be JSON .*not valid JSON/);
    expect(proc.output()).toContain("ADMIN_ENABLED must be one of");
  });
});
