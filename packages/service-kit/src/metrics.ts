import type { Hono } from "hono";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";

/**
 * Request-duration buckets for a web service: fine resolution from 5 ms to 1 s, where a healthy
 * page or API call lives and where the latency objective (300 ms) sits, then coarse steps up to 10 s
 * so slow incidents still land in a bucket instead of only +Inf.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10];

/** The `endpoint` value every path that matched no route shares, so random URLs add no series. */
export const UNMATCHED_ENDPOINT = "unmatched";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** prom-client defaults whose names break Prometheus naming rules (gauges ending in `_total`). */
export const PROMTOOL_REJECTED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
] as const;

export interface ServiceMetrics {
  registry: Registry;
  /** A request arrived (`app_requests_in_flight` goes up). */
  requestStarted(): void;
  /** A request was answered: `app_requests_in_flight` goes down, `app_requests_total` and
   * `app_request_duration_seconds` record it. */
  requestFinished(method: string, endpoint: string, status: number, seconds: number): void;
}

export interface ServiceMetricsOptions {
  /** Collect prom-client's Node.js runtime and process metrics (default true). */
  collectDefaults?: boolean;
  registry?: Registry;
}

interface StatusSeries {
  labels: { method: string; endpoint: string; status: string };
  value: number;
}

/** Everything recorded for one method and route template: its duration histogram and its counts by status. */
interface RouteSeries {
  labels: { method: string; endpoint: string };
  buckets: Float64Array;
  sum: number;
  count: number;
  statuses: Map<number, StatusSeries>;
}

/**
 * The two HTTP metrics of the metric contract, kept in plain maps and rendered by prom-client's registry
 * at scrape time. Recording a request is three map lookups and a few additions, keyed by the route
 * template, the method and the status as they come (no key string is built per request): prom-client's
 * own Counter and Histogram validate and hash the label object on every call (its cost: README.md, "Benchmarks").
 */
class HttpRequestMetrics {
  /** Route template → method → series. */
  private readonly routes = new Map<string, Map<string, RouteSeries>>();

  constructor(registry: Registry) {
    const series = () => [...this.routes.values()].flatMap((byMethod) => [...byMethod.values()]);
    const reset = () => this.routes.clear();
    // The shape prom-client's registry renders: name, help, type and, at scrape time, the values.
    const register = (name: string, help: string, type: string, values: () => object[]) => {
      const info = { name, help, type, aggregator: "sum" };
      const metric = { ...info, get: async () => ({ ...info, values: values() }), reset };
      registry.registerMetric(metric as unknown as Parameters<Registry["registerMetric"]>[0]);
    };
    register(
      "app_requests_total",
      "HTTP requests handled, by method, route template and status code.",
      "counter",
      () => series().flatMap((route) => [...route.statuses.values()].map((s) => ({ ...s }))),
    );
    register(
      HISTOGRAM_NAME,
      "Time from receiving an HTTP request to its response, by method and route template.",
      "histogram",
      () => series().flatMap(histogramValues),
    );
  }

  record(method: string, endpoint: string, status: number, seconds: number) {
    let byMethod = this.routes.get(endpoint);
    if (!byMethod) {
      byMethod = new Map();
      this.routes.set(endpoint, byMethod);
    }
    let route = byMethod.get(method);
    if (!route) {
      route = {
        labels: { method, endpoint },
        buckets: new Float64Array(HTTP_DURATION_BUCKETS.length),
        sum: 0,
        count: 0,
        statuses: new Map(),
      };
      byMethod.set(method, route);
    }
    const counted = route.statuses.get(status);
    if (counted) counted.value++;
    else route.statuses.set(status, { labels: { method, endpoint, status: String(status) }, value: 1 });

    for (let i = 0; i < HTTP_DURATION_BUCKETS.length; i++) {
      if (seconds <= (HTTP_DURATION_BUCKETS[i] as number)) {
        route.buckets[i] = (route.buckets[i] as number) + 1;
        break;
      }
    }
    route.sum += seconds;
    route.count++;
  }
}

const HISTOGRAM_NAME = "app_request_duration_seconds";

function histogramValues({ labels, buckets, sum, count }: RouteSeries) {
  let cumulative = 0;
  const values = HTTP_DURATION_BUCKETS.map((bound, i) => {
    cumulative += buckets[i] ?? 0;
    return { labels: { le: bound, ...labels }, value: cumulative, metricName: `${HISTOGRAM_NAME}_bucket` };
  });
  values.push({
    labels: { le: "+Inf" as unknown as number, ...labels },
    value: count,
    metricName: `${HISTOGRAM_NAME}_bucket`,
  });
  return [
    ...values,
    { labels, value: sum, metricName: `${HISTOGRAM_NAME}_sum` },
    { labels, value: count, metricName: `${HISTOGRAM_NAME}_count` },
  ];
}

/** The metric contract's HTTP metrics plus the Node.js defaults, in a registry of the service's own. */
export function createServiceMetrics({
  collectDefaults = true,
  registry = new Registry(),
}: ServiceMetricsOptions = {}): ServiceMetrics {
  if (collectDefaults) {
    collectDefaultMetrics({ register: registry });
    // prom-client also exports these three gauges with a `_total` suffix, which Prometheus naming rules
    // (and `promtool check metrics`) reserve for counters; the per-type `nodejs_active_*` gauges carry
    // the same numbers, so dropping them loses nothing.
    for (const name of PROMTOOL_REJECTED_DEFAULTS) registry.removeSingleMetric(name);
  }
  const http = new HttpRequestMetrics(registry);
  // A plain number read at scrape time, like the two metrics above: a prom-client Gauge hashes its labels
  // on every inc() and dec().
  let inFlight = 0;
  new Gauge({
    name: "app_requests_in_flight",
    help: "HTTP requests being handled right now.",
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  return {
    registry,
    requestStarted: () => {
      inFlight++;
    },
    requestFinished: (method, endpoint, status, seconds) => {
      inFlight--;
      http.record(method, endpoint, status, seconds);
    },
  };
}

/**
 * The route template that answers `method path` in this app, e.g. `/api/products/:id`; never the raw
 * path. Middleware mounted on `*` does not count as a match, so a path no route knows gets
 * {@link UNMATCHED_ENDPOINT}. Asks the app's router the same question Hono asked it (HEAD is routed as
 * GET), which for a registered route is a lookup in the router's prebuilt table.
 */
// biome-ignore lint/suspicious/noExplicitAny: any app's router answers with the routes it was given.
export function routeTemplate(app: Hono<any>, method: string, path: string): string {
  const [matched] = app.router.match(method === "HEAD" ? "GET" : method, path);
  for (let i = matched.length - 1; i >= 0; i--) {
    const route = matched[i]?.[0][1];
    if (route && route.path !== "*" && route.path !== "/*") return route.path;
  }
  return UNMATCHED_ENDPOINT;
}

/** Unknown and custom methods share one label value, so they cannot add series. */
export function requestMethodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : "OTHER";
}
