import { pickBasket } from "./basket.js";
import { type Mix, pickKind, type TrafficKind } from "./mix.js";
import { mulberry32, pick } from "./random.js";

export interface TrafficOptions {
  /** Base URL of the storefront, e.g. http://127.0.0.1:8080. */
  target: string;
  /**
   * Requests started per second (the pace; fewer when all `concurrency` slots are busy), or a function read
   * before every request (a shape, a rate changed while running). 0 sends nothing until it rises.
   */
  rate: number | (() => number);
  /** Most requests in flight at once. */
  concurrency: number;
  /** The share of each kind of request, or a function read before every request (a mix changed while running). */
  mix: Mix | (() => Mix);
  seed: number;
  /** Share of checkouts sent with a deliberately bad body, so error paths show up in dashboards. */
  badCheckoutRate: number;
  /** Stop after this many requests (unbounded when omitted: the long-lived service). */
  maxRequests?: number;
  /** Stop after this long (unbounded when omitted). */
  durationMs?: number;
  requestTimeoutMs?: number;
}

export interface RequestResult {
  kind: TrafficKind;
  method: "GET" | "POST";
  path: string;
  /** HTTP status, or "error" when no answer arrived (refused, reset, timed out). */
  status: number | "error";
  durationMs: number;
  /** Set for accepted checkouts: the order total the storefront answered, in whole cents. */
  orderCents?: number;
}

export interface TrafficRun {
  /**
   * Resolves when the run ended and every request finished. At `durationMs` it ends on time: waiting for a
   * free slot stops and requests still in flight are aborted (reported as status "error").
   */
  done: Promise<void>;
  /** Stops starting requests and waits for those in flight. */
  stop(): Promise<void>;
  /** Reads the rate again now (after it was changed), instead of at the next request. */
  retune(): void;
}

interface CatalogEntry {
  id: string;
  price: number;
}

interface PlannedRequest {
  kind: TrafficKind;
  method: "GET" | "POST";
  path: string;
  body?: string;
}

// Bodies the storefront must reject with a 4xx; each exercises a different validation path.
const BAD_CHECKOUT_BODIES = [
  '{"items":[',
  '{"items":[]}',
  '{"items":[{"productId":"no-such-product","quantity":1}]}',
  '{"items":[{"productId":"%ID%","quantity":0}]}',
  '{"items":[{"productId":"%ID%","quantity":"2"}]}',
  '{"items":[{"productId":"%ID%","quantity":1.5}]}',
];

/**
 * The traffic engine shared by the CLI and the long-lived service: paces requests at `rate`, keeps at
 * most `concurrency` in flight, chooses what to do from a seeded PRNG, and reports every result.
 */
export function startTraffic(options: TrafficOptions, onResult: (result: RequestResult) => void): TrafficRun {
  const { target, rate, concurrency, mix, badCheckoutRate, maxRequests, durationMs } = options;
  const rateNow = typeof rate === "function" ? rate : () => rate;
  const mixNow = typeof mix === "function" ? mix : () => mix;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const base = target.replace(/\/+$/, "");
  const random = mulberry32(options.seed);
  const startedAt = performance.now();
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + durationMs;

  let catalog: CatalogEntry[] = [];
  let stopped = false;
  let started = 0;
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  // The deadline ends waits and aborts requests in flight, so a target that never answers cannot keep a
  // bounded run going past its duration.
  const deadlineReached = new AbortController();
  let endSlotWait: () => void = () => {};
  const slotWaitEnded = new Promise<void>((resolve) => {
    endSlotWait = resolve;
  });
  const deadlineTimer =
    durationMs === undefined
      ? undefined
      : setTimeout(() => {
          stopped = true;
          wake?.();
          endSlotWait();
          deadlineReached.abort();
        }, durationMs);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  function plan(): PlannedRequest {
    const kind = pickKind(mixNow(), random);
    // Nothing but listings can be planned until the catalog is known, so fetch it first.
    if (catalog.length === 0) return { kind: "page", method: "GET", path: "/api/products" };
    if (kind === "page") return { kind, method: "GET", path: random() < 0.5 ? "/" : "/api/products" };
    if (kind === "product") {
      const id = encodeURIComponent(pick(random, catalog).id);
      return { kind, method: "GET", path: random() < 0.5 ? `/products/${id}` : `/api/products/${id}` };
    }
    if (random() < badCheckoutRate) {
      const body = pick(random, BAD_CHECKOUT_BODIES).replace("%ID%", pick(random, catalog).id);
      return { kind, method: "POST", path: "/api/checkout", body };
    }
    const items = pickBasket(random, catalog);
    return { kind, method: "POST", path: "/api/checkout", body: JSON.stringify({ items }) };
  }

  async function send(request: PlannedRequest): Promise<void> {
    const began = performance.now();
    const result: RequestResult = {
      kind: request.kind,
      method: request.method,
      path: request.path,
      status: "error",
      durationMs: 0,
    };
    try {
      const res = await fetch(base + request.path, {
        method: request.method,
        ...(request.body === undefined
          ? {}
          : { body: request.body, headers: { "Content-Type": "application/json" } }),
        signal: AbortSignal.any([deadlineReached.signal, AbortSignal.timeout(requestTimeoutMs)]),
      });
      const text = await res.text();
      result.status = res.status;
      if (res.ok && request.path === "/api/products") catalog = parseCatalog(text) ?? catalog;
      if (res.status === 201 && request.path === "/api/checkout") {
        const total = (JSON.parse(text) as { total?: unknown }).total;
        if (typeof total === "number") result.orderCents = Math.round(total * 100);
      }
    } catch {
      // No answer (or an unreadable one): reported as status "error", never thrown.
    }
    result.durationMs = performance.now() - began;
    onResult(result);
  }

  // The longest a wait lasts before the rate is read again, so a shape's change shows within a second.
  const RETUNE_MS = 1000;

  async function pace(): Promise<void> {
    let next = performance.now();
    while (!stopped && (maxRequests === undefined || started < maxRequests)) {
      const now = performance.now();
      if (now >= deadline) break;
      const current = rateNow();
      if (!(current > 0)) {
        // Off (RATE=0, or turned off while running): nothing to send until the rate rises.
        await sleep(Math.min(RETUNE_MS, deadline - now));
        next = performance.now();
        continue;
      }
      const interval = 1000 / current;
      // A rate raised while waiting out a long interval takes effect now, not after the old interval.
      next = Math.min(next, now + interval);
      if (next > now) {
        await sleep(Math.min(next - now, deadline - now, RETUNE_MS));
        if (performance.now() < next) continue;
      }
      if (stopped || performance.now() >= deadline) break;
      while (inFlight.size >= concurrency && !stopped) await Promise.race([...inFlight, slotWaitEnded]);
      if (stopped) break;
      const request = send(plan()).finally(() => inFlight.delete(request));
      inFlight.add(request);
      started++;
      // After a stall (all slots busy), resume the pace instead of bursting to catch up.
      next = Math.max(next + interval, performance.now() - interval);
    }
    await Promise.all(inFlight);
    clearTimeout(deadlineTimer);
  }

  const done = pace();
  return {
    done,
    stop() {
      stopped = true;
      wake?.();
      endSlotWait();
      return done;
    },
    retune() {
      wake?.();
    },
  };
}

function parseCatalog(text: string): CatalogEntry[] | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) return undefined;
    const entries = value.filter(
      (p): p is CatalogEntry => typeof p?.id === "string" && typeof p?.price === "number",
    );
    return entries.length > 0 ? entries : undefined;
  } catch {
    return undefined;
  }
}
