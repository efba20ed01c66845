import {
  createServiceKit,
  HTTP_DURATION_BUCKETS,
  type Logger,
  type ServiceKit,
  type ServiceMetrics,
} from "@platform/service-kit";
import { Counter, Histogram } from "prom-client";
import { type RequestResult, startTraffic, type TrafficOptions, type TrafficRun } from "./engine.js";

export interface TrafficServiceDeps {
  traffic: TrafficOptions;
  logger?: Logger;
  metrics?: ServiceMetrics;
}

export interface TrafficService extends ServiceKit {
  /** Starts sending traffic (idempotent). */
  start(): void;
  /** Stops sending and waits for requests in flight. */
  stop(): Promise<void>;
}

/** The long-lived demo-traffic service: the shared engine, reporting to metrics instead of a summary. */
export function createApp({ traffic, logger, metrics }: TrafficServiceDeps): TrafficService {
  const kit = createServiceKit({
    name: "traffic",
    summary: () => `→ ${traffic.target} at ${traffic.rate} requests/s`,
    ...(logger ? { logger } : {}),
    ...(metrics ? { metrics } : {}),
  });
  const registers = [kit.metrics.registry];
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

  const record = (result: RequestResult) => {
    requests.inc({ kind: result.kind, status: String(result.status) });
    duration.observe({ kind: result.kind }, result.durationMs / 1000);
    if (result.orderCents !== undefined) {
      orders.inc();
      revenueCents += result.orderCents;
    }
  };

  let run: TrafficRun | undefined;
  return {
    ...kit,
    start() {
      if (run) return;
      kit.logger.info("sending traffic", {
        target: traffic.target,
        rate: traffic.rate,
        concurrency: traffic.concurrency,
        mix: traffic.mix,
        seed: traffic.seed,
      });
      run = startTraffic(traffic, record);
    },
    async stop() {
      await run?.stop();
    },
  };
}
