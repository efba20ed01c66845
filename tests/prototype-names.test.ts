/**
 * Every route of every HTTP server in the repository, sent the names of the properties every object
 * inherits, in every place a request can carry a name: path parameters, the query, headers (X-Amz-Target)
 * and body fields (a product id, a mix's kinds, an alert's labels, a Cost Explorer metric…). A lookup in a
 * plain object would find `constructor` or `__proto__` there; each must be answered as any unknown name.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, createServiceMetrics } from "@platform/service-kit";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlertReceiver } from "../local/components/alert-receiver.js";
import { createDemoInventoryServer } from "../local/components/demo-inventory.js";
import { createDashboardViewer } from "../local/dashboard-viewer/app.js";
import { startTestbed, type Testbed } from "../services/cost-exporter/test/support.js";
import { createApp as createStorefront } from "../services/storefront/src/app.js";
import { FORM_TOKEN_COOKIE } from "../services/storefront/src/shop-form.js";
import { createApp as createTraffic } from "../services/traffic/src/app.js";
import { pausedTrafficDeps } from "../services/traffic/src/paused.js";

const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty"];
/** An unknown name of the same shape (letters and underscores): what each prototype name must be answered as. */
const UNKNOWN = "zzUnknown_";

const quiet = createLogger({ service: "prototype-names", level: "silent" });
const TOKEN = "d".repeat(32);
const SENT_HEADERS = {
  Host: "127.0.0.1",
  Cookie: `${FORM_TOKEN_COOKIE}=${TOKEN}`,
  "Sec-Fetch-Site": "same-origin",
};

/** Body fields that name something, each with the name in it. */
const jsonBodies = (name: string): unknown[] => [
  { [name]: name },
  { items: [{ productId: name, quantity: 1 }] },
  { mix: `${name}=1` },
  { shape: name, period: name },
  { [name]: { errorRate: 1 }, checkout: { [name]: 1 } },
  {
    status: "firing",
    alerts: [{ status: "firing", labels: { alertname: name, [name]: name }, annotations: { [name]: name } }],
  },
  {
    TimePeriod: { Start: "2099-01-01", End: "2099-02-01" },
    Granularity: "MONTHLY",
    Metric: name,
    Metrics: [name],
    GroupBy: [{ Type: "TAG", Key: name }],
  },
  {
    TimePeriod: { Start: "2099-01-01", End: "2099-02-01" },
    Granularity: "MONTHLY",
    Metrics: ["UnblendedCost"],
    GroupBy: [{ Type: "TAG", Key: name }],
  },
];
const TARGETS = (name: string) => [
  `AWSInsightsIndexService.${name}`,
  "AWSInsightsIndexService.GetCostForecast",
  "AWSInsightsIndexService.GetCostAndUsage",
];

/** The requests that put `name` everywhere a request to this route can carry one. */
function requestsFor(method: string, path: string, name: string): { url: string; init: RequestInit }[] {
  const filled = path.replace(/:[A-Za-z]+/g, name).replace(/\*$/, name);
  const paths = [filled, ...(path.endsWith("*") ? [path.replace(/\*$/, `api/v1/label/${name}/values`)] : [])];
  const query = `?${name}=${name}&var-${name}=${name}&match[]=${name}`;
  if (method === "GET") {
    return paths.map((p) => ({
      url: `${p}${query}`,
      init: { headers: { ...SENT_HEADERS, "X-Amz-Target": name } },
    }));
  }
  const out: { url: string; init: RequestInit }[] = [];
  for (const target of TARGETS(name)) {
    const headers = { ...SENT_HEADERS, "X-Amz-Target": target };
    for (const body of jsonBodies(name)) {
      out.push({
        url: `${filled}${query}`,
        init: {
          method,
          body: JSON.stringify(body),
          headers: { ...headers, "Content-Type": "application/json" },
        },
      });
    }
    out.push({
      url: `${filled}${query}`,
      init: {
        method,
        body: new URLSearchParams({ token: TOKEN, productId: name, quantity: "1", [name]: name }).toString(),
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      },
    });
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: every server's app, whatever its bindings.
type AnyApp = Hono<any>;
let testbed: Testbed;
let servers: { name: string; app: AnyApp }[];
let traffic: ReturnType<typeof createTraffic>;
/** A stand-in for Prometheus's HTTP API behind the dashboard viewer: every read succeeds, empty. */
let prometheus: Server;

beforeAll(async () => {
  prometheus = createServer((_req, res) => {
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ status: "success", data: [] }));
  });
  await new Promise<void>((resolve) => prometheus.listen(0, "127.0.0.1", resolve));
  const prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  testbed = await startTestbed({ now: Date.parse("2099-01-15T10:00:00Z") });
  traffic = createTraffic(pausedTrafficDeps({ logger: quiet }));
  servers = [
    {
      name: "storefront",
      app: createStorefront({
        logger: quiet,
        metrics: createServiceMetrics({ collectDefaults: false }),
        admin: { enabled: true },
      }).app,
    },
    { name: "traffic", app: traffic.app },
    { name: "cost exporter", app: testbed.exporter.app },
    { name: "Cost Explorer simulator", app: testbed.simulator.kit.app },
    { name: "alert receiver", app: createAlertReceiver({ print: () => {} }).app },
    {
      name: "dashboard viewer",
      app: createDashboardViewer({ prometheusUrl, scrapeInterval: "5s", logger: quiet }).app,
    },
    {
      name: "demo inventory",
      app: createDemoInventoryServer({
        stack: "dev",
        nodes: [],
        pods: [],
        volumes: [],
        loadBalancers: [],
        notes: [],
        stackEnv: {},
      }).app,
    },
  ];
});
afterAll(async () => {
  await traffic?.stop();
  await testbed?.close();
  await new Promise((resolve) => prometheus?.close(resolve));
});

/** Each server's routes (method and path), middleware left out. */
const routesOf = (app: AnyApp) => [
  ...new Map(
    app.routes.filter((r) => r.method !== "ALL").map((r) => [`${r.method} ${r.path}`, r] as const),
  ).values(),
];

describe("the prototype names sent to every route of every server", () => {
  it("reach every route that looks something up", () => {
    const routes = servers.flatMap(({ app }) => routesOf(app).map((r) => `${r.method} ${r.path}`));
    for (const route of [
      "GET /products/:id",
      "GET /api/products/:id",
      "POST /api/checkout",
      "POST /checkout",
      "PUT /admin/simulation",
      "PUT /control",
      "POST /",
      "PUT /_simulator/faults",
      "POST /alerts",
      "GET /runbooks/:file",
      "GET /d/:uid",
      "GET /api/dashboards/uid/:uid",
      "GET /assets/:file",
      "GET /assets/app/*",
      "GET /api/prometheus/*",
    ]) {
      expect(routes).toContain(route);
    }
  });

  it.each(PROTOTYPE_NAMES)(
    "are answered as any unknown name, never with a 5xx: %s",
    async (name) => {
      const differences: string[] = [];
      let sent = 0;
      for (const server of servers) {
        for (const route of routesOf(server.app)) {
          const known = requestsFor(route.method, route.path, UNKNOWN);
          const probes = requestsFor(route.method, route.path, name);
          for (const [i, probe] of probes.entries()) {
            const control = known[i] as (typeof known)[number];
            const [got, expected] = [
              await server.app.request(probe.url, probe.init),
              await server.app.request(control.url, control.init),
            ];
            sent++;
            if (got.status !== expected.status || got.status >= 500) {
              differences.push(
                `${server.name} ${route.method} ${probe.url} (${String(probe.init.body ?? "").slice(0, 60)}): ${got.status} ${(await got.text()).slice(0, 200)}, as ${UNKNOWN}: ${expected.status}`,
              );
            }
          }
        }
      }
      expect(differences).toEqual([]);
      expect(sent).toBeGreaterThan(200);
    },
    120_000,
  );
});
