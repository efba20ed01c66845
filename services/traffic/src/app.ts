import {
  createServiceKit,
  formatDuration,
  HTTP_DURATION_BUCKETS,
  jsonError,
  type Logger,
  type ServiceKit,
  type ServiceMetrics,
  thisMachineOnly,
} from "@platform/service-kit";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { controlHint, parseControl } from "./control.js";
import { type RequestResult, startTraffic, type TrafficOptions, type TrafficRun } from "./engine.js";
import { formatMix, type Mix } from "./mix.js";
import { createPace, type Pace, type PaceSettings } from "./shape.js";

export interface TrafficServiceDeps {
  /** The engine's options; `mix` is the mix at start, which PUT /control changes while traffic runs. */
  traffic: Omit<TrafficOptions, "rate" | "mix"> & { mix: Mix };
  /** The base rate and shape at start; PUT /control changes them while traffic runs. */
  pace: PaceSettings;
  /** The most requests per second PUT /control may set. */
  maxRate: number;
  logger?: Logger;
  metrics?: ServiceMetrics;
  /** The clock the shapes follow (tests pass their own). */
  now?: () => number;
}

export interface TrafficService extends ServiceKit {
  /** Starts sending traffic (idempotent). */
  start(): void;
  /** Stops sending and waits for requests in flight. */
  stop(): Promise<void>;
  pace: Pace;
  /** The mix requests are drawn from now. */
  mix(): Mix;
}

/**
 * What `GET /control` shows: the pace's settings, the period as a duration, the rate now, and the mix in
 * the MIX setting's form.
 */
const controlJson = (pace: Pace, mix: Mix) => {
  const { rate, shape, periodMs } = pace.settings();
  return { rate, shape, period: formatDuration(periodMs), rateNow: pace.rateNow(), mix: formatMix(mix) };
};

/**
 * The generator's metrics: requests, latency, orders and revenue as it saw them, and the pace it follows; the
 * function it returns records one request's result.
 */
function recordTraffic(registry: Registry, pace: Pace): (result: RequestResult) => void {
  const registers = [registry];
  const requests = new Counter({
    name: "traffic_requests_total",
    help: "Requests the traffic generator sent, by kind (page, product, checkout) and status (or error).",
    labelNames: ["kind", "status"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "traffic_request_duration_seconds",
    help: "Latency the traffic generator observed, by kind.",
    labelNames: ["kind"] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });
  const orders = new Counter({
    name: "traffic_orders_total",
    help: "Checkouts the storefront accepted (201).",
    registers,
  });
  // Whole cents, turned into dollars at scrape time, for the same reason as the storefront's revenue.
  let revenueCents = 0;
  new Counter({
    name: "traffic_revenue_total",
    help: "Sum of accepted order totals the storefront answered, in US dollars.",
    registers,
    collect() {
      this.reset();
      this.inc(revenueCents / 100);
    },
  });

  new Gauge({
    name: "traffic_target_requests_per_second",
    help: "Requests per second the pace asks for now: the base rate times its shape (0: off).",
    registers,
    collect() {
      this.set(pace.rateNow());
    },
  });
  new Gauge({
    name: "traffic_shape_info",
    help: "Always 1: the shape the rate follows (steady, diurnal, dip, surge).",
    labelNames: ["shape"] as const,
    registers,
    collect() {
      this.reset();
      this.set({ shape: pace.settings().shape }, 1);
    },
  });

  return (result: RequestResult) => {
    requests.inc({ kind: result.kind, status: String(result.status) });
    duration.observe({ kind: result.kind }, result.durationMs / 1000);
    if (result.orderCents !== undefined) {
      orders.inc();
      revenueCents += result.orderCents;
    }
  };
}

/** The long-lived demo-traffic service: the shared engine, reporting to metrics instead of a summary. */
export function createApp({
  traffic,
  pace: initialPace,
  maxRate,
  logger,
  metrics,
  now = Date.now,
}: TrafficServiceDeps): TrafficService {
  const pace = createPace(initialPace, now);
  // Read by the engine before every request, so a mix changed by PUT /control applies to the next one.
  let mix = traffic.mix;
  const kit = createServiceKit({
    name: "traffic",
    summary: () => {
      const { rate, shape } = pace.settings();
      return rate > 0
        ? `→ ${traffic.target} at ${rate} requests/s, ${shape}`
        : `→ ${traffic.target}: off (RATE=0)`;
    },
    ...(logger ? { logger } : {}),
    ...(metrics ? { metrics } : {}),
  });
  const record = recordTraffic(kit.metrics.registry, pace);

  let run: TrafficRun | undefined;
  // Only Prometheus may reach this port in a cluster (its NetworkPolicy), and only this machine locally,
  // where a page that re-points its own name at 127.0.0.1 (DNS rebinding) is refused as well; the rate it
  // sets is bounded by MAX_RATE, so a request can change the demo but not run it past its bound.
  kit.app.use("/control", thisMachineOnly());
  kit.app.get("/control", (c) => c.json(controlJson(pace, mix)));
  kit.app.put("/control", async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return jsonError(c, 400, "malformed_json", "The request body is not valid JSON.");
    }
    const parsed = parseControl(body, maxRate);
    if (!parsed.ok) {
      return jsonError(c, 400, "invalid_control", controlHint(maxRate), { problems: parsed.problems });
    }
    pace.change(parsed.change.pace);
    if (parsed.change.mix) mix = parsed.change.mix;
    run?.retune();
    c.env.log.info("control changed", controlJson(pace, mix));
    return c.json(controlJson(pace, mix));
  });

  return {
    ...kit,
    pace,
    mix: () => mix,
    start() {
      if (run) return;
      kit.logger.info("sending traffic", {
        target: traffic.target,
        ...controlJson(pace, mix),
        concurrency: traffic.concurrency,
        seed: traffic.seed,
      });
      run = startTraffic({ ...traffic, rate: () => pace.rateNow(), mix: () => mix }, record);
    },
    async stop() {
      await run?.stop();
    },
  };
}
