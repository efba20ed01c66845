import type { RequestResult } from "./engine.js";
import { TRAFFIC_KINDS, type TrafficKind } from "./mix.js";

export interface TrafficSummary {
  seed: number;
  elapsedSeconds: number;
  requests: number;
  /** Requests by HTTP status ("error" = no answer). */
  byStatus: Record<string, number>;
  byKind: Record<TrafficKind, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Accepted checkouts (201). */
  orders: number;
  /** Sum of accepted order totals in US dollars, added up in whole cents. */
  revenue: number;
  stoppedEarly: boolean;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Collects the results of a bounded run (the CLI); the service reports to metrics instead. */
export function createSummaryCollector(seed: number) {
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  const byKind: Record<TrafficKind, number> = { page: 0, product: 0, checkout: 0 };
  let orders = 0;
  let revenueCents = 0;
  return {
    record(result: RequestResult) {
      latencies.push(result.durationMs);
      byStatus[String(result.status)] = (byStatus[String(result.status)] ?? 0) + 1;
      byKind[result.kind]++;
      if (result.orderCents !== undefined) {
        orders++;
        revenueCents += result.orderCents;
      }
    },
    summary(elapsedMs: number, stoppedEarly = false): TrafficSummary {
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        seed,
        elapsedSeconds: round2(elapsedMs / 1000),
        requests: latencies.length,
        byStatus: Object.fromEntries(Object.entries(byStatus).sort(([a], [b]) => a.localeCompare(b))),
        byKind,
        latencyMs: {
          p50: round2(percentile(sorted, 50)),
          p90: round2(percentile(sorted, 90)),
          p99: round2(percentile(sorted, 99)),
          max: round2(sorted.at(-1) ?? 0),
        },
        orders,
        revenue: revenueCents / 100,
        stoppedEarly,
      };
    },
  };
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** One line for the progress display. */
export function progressLine(s: TrafficSummary): string {
  const classes: Record<string, number> = {};
  for (const [status, n] of Object.entries(s.byStatus)) {
    const key = status === "error" ? "err" : `${status[0]}xx`;
    classes[key] = (classes[key] ?? 0) + n;
  }
  const statuses = Object.entries(classes)
    .map(([k, n]) => `${k} ${n}`)
    .join(" · ");
  return `traffic ${s.elapsedSeconds.toFixed(0).padStart(4)}s  ${s.requests} requests${statuses ? ` (${statuses})` : ""}  ${s.orders} orders  ${usd.format(s.revenue)}`;
}

/** The human-readable summary printed at the end of a CLI run. */
export function formatSummary(s: TrafficSummary): string {
  const rate = s.elapsedSeconds > 0 ? s.requests / s.elapsedSeconds : 0;
  const lines = [
    `Traffic summary${s.stoppedEarly ? " (stopped early)" : ""} — seed ${s.seed}`,
    `  duration        ${s.elapsedSeconds.toFixed(2)} s`,
    `  requests        ${s.requests} (${rate.toFixed(1)}/s)`,
    `  by kind         ${TRAFFIC_KINDS.map((k) => `${k} ${s.byKind[k]}`).join(", ")}`,
    "  by status",
    ...Object.entries(s.byStatus).map(([status, n]) => `    ${status.padEnd(6)} ${String(n).padStart(8)}`),
    `  latency (ms)    p50 ${s.latencyMs.p50}  p90 ${s.latencyMs.p90}  p99 ${s.latencyMs.p99}  max ${s.latencyMs.max}`,
    `  orders          ${s.orders}`,
    `  revenue         ${usd.format(s.revenue)}`,
  ];
  return `${lines.join("\n")}\n`;
}
