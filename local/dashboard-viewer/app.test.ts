import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARDS_DIR } from "../configs.js";
import { createDashboardViewer } from "./app.js";

/** A stand-in for Prometheus's HTTP API that records what reached it. */
let upstream: Server;
let upstreamUrl: string;
const reached: string[] = [];
beforeAll(async () => {
  upstream = createServer((req, res) => {
    reached.push(req.url ?? "");
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => upstream.close(resolve)));

const viewer = () => createDashboardViewer({ prometheusUrl: upstreamUrl, scrapeInterval: "5s" }).app;
const get = (path: string, host = "127.0.0.1:3000") => viewer().request(path, { headers: { Host: host } });

describe("the read-only dashboard viewer", () => {
  it("serves each committed dashboard file as it is, under Grafana's API path", async () => {
    for (const file of ["platform-overview.json", "service-red.json", "cost.json"]) {
      const committed = JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), "utf8"));
      const res = await get(`/api/dashboards/uid/${committed.uid}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ dashboard: committed, meta: { file: `dashboards/${file}` } });
    }
    expect((await get("/api/dashboards/uid/nope")).status).toBe(404);
  });

  it("answers Grafana's dashboard address with a page that loads nothing from elsewhere", async () => {
    const res = await get("/d/platform-overview/platform-overview?from=now-5m");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<title>Platform overview · local dashboards</title>");
    expect(html).toContain('{"imports":{"uplot":"/assets/uplot.esm.js"}}');
    expect(html).toContain('"scrapeIntervalMs":5000');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect((await get("/d/nope")).status).toBe(404);
    const index = await (await get("/")).text();
    expect(index).toContain('href="/d/platform-cost"');
  });

  it("serves uPlot from node_modules and the page's own TypeScript as JavaScript, nothing else", async () => {
    const uplotDir = dirname(createRequire(import.meta.url).resolve("uplot/package.json"));
    const esm = await get("/assets/uplot.esm.js");
    expect(esm.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect(await esm.text()).toBe(readFileSync(join(uplotDir, "dist", "uPlot.esm.js"), "utf8"));
    const script = await (await get("/assets/app/browser/viewer.js")).text();
    expect(script).toContain('from "../grafana.js"');
    expect(script).not.toMatch(/\binterface\s+\w+|:\s*Promise<|import type/);
    expect(await (await get("/assets/app/grafana.js")).text()).toContain("export function queryTiming");
    for (const path of ["/assets/app/app.js", "/assets/app/../app.js", "/assets/app/browser/tsconfig.json"]) {
      expect((await get(path)).status, path).toBe(404);
    }
  }, 30_000);

  it("passes on Prometheus reads with their parameters, and nothing that writes", async () => {
    reached.length = 0;
    const res = await get("/api/prometheus/api/v1/query_range?query=up&start=1&end=2&step=1");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "success" });
    expect((await get("/api/prometheus/api/v1/label/job/values?match%5B%5D=app_revenue_total")).status).toBe(
      200,
    );
    expect(reached).toEqual([
      "/api/v1/query_range?query=up&start=1&end=2&step=1",
      "/api/v1/label/job/values?match%5B%5D=app_revenue_total",
    ]);
    for (const path of [
      "/api/prometheus/-/quit",
      "/api/prometheus/api/v1/admin/tsdb/delete_series?match[]=up",
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect(reached).toHaveLength(2);
  });

  it("answers only for this machine's names (no DNS rebinding)", async () => {
    expect((await get("/d/platform-overview", "localhost:3000")).status).toBe(200);
    expect((await get("/d/platform-overview", "[::1]:3000")).status).toBe(200);
    expect((await get("/api/prometheus/api/v1/query?query=up", "evil.example:3000")).status).toBe(421);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "answers 404 for an asset named like a prototype property, %s, as for any unknown name",
    async (name) => {
      const res = await get(`/assets/${name}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_found" });
    },
  );

  it.each([
    ["the index", "/"],
    ["a dashboard", "/d/platform-overview"],
    ["an unknown dashboard (404)", "/d/nope"],
  ])("sends the security headers with every HTML answer: %s", async (_what, path) => {
    const res = await get(path);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});
