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

/** The next request: a listing until the catalog is known, then what the mix picks. */
function planRequest(
  mix: Mix,
  random: () => number,
  catalog: CatalogEntry[],
  badCheckoutRate: number,
): PlannedRequest {
  const kind = pickKind(mix, random);
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

interface Destination {
  base: string;
  /** Aborts every request in flight (the run's deadline). */
  deadline: AbortSignal;
  requestTimeoutMs: number;
  /** A listing's catalog, as soon as it is read. */
  onCatalog: (catalog: CatalogEntry[]) => void;
  onResult: (result: RequestResult) => void;
}

/** Sends one request and reports it; no answer is reported as status "error", never thrown. */
async function sendRequest(request: PlannedRequest, to: Destination): Promise<void> {
  const began = performance.now();
  const result: RequestResult = {
    kind: request.kind,
    method: request.method,
    path: request.path,
    status: "error",
    durationMs: 0,
  };
  try {
    const res = await fetch(to.base + request.path, {
      method: request.method,
      ...(request.body === undefined
        ? {}
        : { body: request.body, headers: { "Content-Type": "application/json" } }),
      signal: AbortSignal.any([to.deadline, AbortSignal.timeout(to.requestTimeoutMs)]),
    });
    const text = await res.text();
    result.status = res.status;
    if (res.ok && request.path === "/api/products") {
      const catalog = parseCatalog(text);
      if (catalog) to.onCatalog(catalog);
    }
    if (res.status === 201 && request.path === "/api/checkout") {
      const total = (JSON.parse(text) as { total?: unknown }).total;
      if (typeof total === "number") result.orderCents = Math.round(total * 100);
    }
  } catch {
    // No answer (or an unreadable one): reported as status "error", never thrown.
  }
  result.durationMs = performance.now() - began;
  to.onResult(result);
}

// The longest a wait lasts before the rate is read again, so a shape's change shows within a second.
const RETUNE_MS = 1000;

interface Pacing {
  rateNow: () => number;
  deadline: number;
  maxRequests: number | undefined;
  concurrency: number;
  stopped: () => boolean;
  /** A wait that a stop or a retune ends early. */
  sleep: (ms: number) => Promise<void>;
  /** Resolves when the run stops: no more waiting for a free slot. */
  slotWaitEnded: Promise<void>;
  /** Plans and sends the next request. */
  launch: () => Promise<void>;
}

/** Starts requests at the rate until stopped, the deadline or `maxRequests`, then waits for those in flight. */
async function pace(p: Pacing): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let started = 0;
  let next = performance.now();
  while (!p.stopped() && (p.maxRequests === undefined || started < p.maxRequests)) {
    const now = performance.now();
    if (now >= p.deadline) break;
    const current = p.rateNow();
    if (!(current > 0)) {
      // Off (RATE=0, or turned off while running): nothing to send until the rate rises.
      await p.sleep(Math.min(RETUNE_MS, p.deadline - now));
      next = performance.now();
      continue;
    }
    const interval = 1000 / current;
    // A rate raised while waiting out a long interval takes effect now, not after the old interval.
    next = Math.min(next, now + interval);
    if (next > now) {
      await p.sleep(Math.min(next - now, p.deadline - now, RETUNE_MS));
      if (performance.now() < next) continue;
    }
    if (p.stopped() || performance.now() >= p.deadline) break;
    while (inFlight.size >= p.concurrency && !p.stopped()) await Promise.race([...inFlight, p.slotWaitEnded]);
    if (p.stopped()) break;
    const request = p.launch().finally(() => inFlight.delete(request));
    inFlight.add(request);
    started++;
    // After a stall (all slots busy), resume the pace instead of bursting to catch up.
    next = Math.max(next + interval, performance.now() - interval);
  }
  await Promise.all(inFlight);
}

/**
 * The traffic engine shared by the CLI and the long-lived service: paces requests at `rate`, keeps at
 * most `concurrency` in flight, chooses what to do from a seeded PRNG, and reports every result.
 */
export function startTraffic(options: TrafficOptions, onResult: (result: RequestResult) => void): TrafficRun {
  const { target, rate, concurrency, mix, badCheckoutRate, maxRequests, durationMs } = options;
  const rateNow = typeof rate === "function" ? rate : () => rate;
  const mixNow = typeof mix === "function" ? mix : () => mix;
  const random = mulberry32(options.seed);
  const startedAt = performance.now();
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + durationMs;

  let catalog: CatalogEntry[] = [];
  let stopped = false;
  let wake: (() => void) | undefined;
  // The deadline ends waits and aborts requests in flight, so a target that never answers cannot keep a
  // bounded run going past its duration.
  const deadlineReached = new AbortController();
  let endSlotWait: () => void = () => {};
  const slotWaitEnded = new Promise<void>((resolve) => {
    endSlotWait = resolve;
  });
  const halt = () => {
    stopped = true;
    wake?.();
    endSlotWait();
  };
  const deadlineTimer =
    durationMs === undefined
      ? undefined
      : setTimeout(() => {
          halt();
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
  const destination: Destination = {
    base: target.replace(/\/+$/, ""),
    deadline: deadlineReached.signal,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    onCatalog: (read) => {
      catalog = read;
    },
    onResult,
  };

  const done = pace({
    rateNow,
    deadline,
    maxRequests,
    concurrency,
    stopped: () => stopped,
    sleep,
    slotWaitEnded,
    launch: () => sendRequest(planRequest(mixNow(), random, catalog, badCheckoutRate), destination),
  }).then(() => clearTimeout(deadlineTimer));
  return {
    done,
    stop() {
      halt();
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
