import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

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
  requests: Counter<"method" | "endpoint" | "status">;
  duration: Histogram<"method" | "endpoint">;
  inFlight: Gauge;
}

export interface ServiceMetricsOptions {
  /** Collect prom-client's Node.js runtime and process metrics (default true). */
  collectDefaults?: boolean;
  registry?: Registry;
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
  return {
    registry,
    requests: new Counter({
      name: "app_requests_total",
      help: "HTTP requests handled, by method, route template and status code.",
      labelNames: ["method", "endpoint", "status"] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "app_request_duration_seconds",
      help: "Time from receiving an HTTP request to its response, by method and route template.",
      labelNames: ["method", "endpoint"] as const,
      buckets: HTTP_DURATION_BUCKETS,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: "app_requests_in_flight",
      help: "HTTP requests being handled right now.",
      registers: [registry],
    }),
  };
}

/**
 * The route template that answered, e.g. `/api/products/:id`; never the raw path. Middleware mounted
 * on `*` does not count as a match, so a path no route knows gets {@link UNMATCHED_ENDPOINT}.
 */
export function endpointOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && route.path !== "*" && route.path !== "/*") return route.path;
  }
  return UNMATCHED_ENDPOINT;
}

export interface HttpMetricsOptions {
  /** Paths not recorded: probes and scrapes would otherwise dilute traffic and error ratios. */
  ignorePaths?: readonly string[];
}

/** Records `app_requests_total`, `app_request_duration_seconds` and `app_requests_in_flight`. */
export function httpMetrics(
  metrics: ServiceMetrics,
  { ignorePaths = ["/metrics", "/health", "/ready"] }: HttpMetricsOptions = {},
): MiddlewareHandler {
  const ignored = new Set(ignorePaths);
  return createMiddleware(async (c, next) => {
    if (ignored.has(c.req.path)) return next();
    const started = performance.now();
    metrics.inFlight.inc();
    try {
      await next();
    } finally {
      metrics.inFlight.dec();
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : "OTHER";
      const endpoint = endpointOf(c);
      metrics.requests.inc({ method, endpoint, status: String(c.res.status) });
      metrics.duration.observe({ method, endpoint }, (performance.now() - started) / 1000);
    }
  });
}
