import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { createLogger, type Logger } from "./logger.js";
import { createServiceMetrics, requestMethodLabel, routeTemplate, type ServiceMetrics } from "./metrics.js";

/** Incoming request ids are reused only when they look like ids, so logs cannot be forged with them. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request header, read from Node's raw header list when served by @hono/node-server: asking the Fetch
 * `Request` for any header makes the adapter build a full undici Headers object for every request.
 */
function incomingHeader(request: Request, incoming: IncomingMessage | undefined, lowerCaseName: string) {
  if (!incoming) return request.headers.get(lowerCaseName) ?? undefined;
  // rawHeaders is the list Node already has; `incoming.headers` would build an object from it first.
  const raw = incoming.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.length === lowerCaseName.length && raw[i]?.toLowerCase() === lowerCaseName) return raw[i + 1];
  }
  return undefined;
}

/**
 * What every handler finds in `c.env`: Node's request and response when served over HTTP (as
 * @hono/node-server's `HttpBindings`), and the request's id and logger. The id and the logger are made on
 * first use, so a fast request nobody logs about pays for neither.
 */
export class RequestBindings implements Partial<HttpBindings> {
  readonly incoming: IncomingMessage | undefined;
  readonly outgoing: ServerResponse | undefined;
  /** The X-Request-Id the client sent, when it is usable as one; it is then this request's id too. */
  readonly clientRequestId: string | undefined;
  #requestId: string | undefined;
  #log: Logger | undefined;

  constructor(
    request: Request,
    env: unknown,
    private readonly logger: Logger,
  ) {
    const node = env as Partial<HttpBindings> | undefined;
    this.incoming = node?.incoming;
    this.outgoing = node?.outgoing;
    const sent = incomingHeader(request, this.incoming, "x-request-id");
    this.clientRequestId = sent !== undefined && REQUEST_ID.test(sent) ? sent : undefined;
  }

  /** The client's id when it sent a usable one, otherwise a new UUID. */
  get requestId(): string {
    this.#requestId ??= this.clientRequestId ?? randomUUID();
    return this.#requestId;
  }

  /** The service's logger with this request's id on every line. */
  get log(): Logger {
    this.#log ??= this.logger.child({ requestId: this.requestId });
    return this.#log;
  }
}

export type ServiceEnv = { Bindings: RequestBindings };
export type ServiceApp = Hono<ServiceEnv>;

export interface Lifecycle {
  /** True once shutdown began: readiness fails so load balancers stop sending new requests. */
  draining: boolean;
}

export interface ServiceKit {
  name: string;
  app: ServiceApp;
  logger: Logger;
  metrics: ServiceMetrics;
  lifecycle: Lifecycle;
}

export interface ServiceKitOptions {
  name: string;
  logger?: Logger;
  metrics?: ServiceMetrics;
  /** Extra readiness condition (dependencies warmed up, first data loaded, …). */
  ready?: () => boolean | Promise<boolean>;
  /** Largest request body accepted, in bytes (default 64 KiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** Paths left out of the HTTP metrics and access log (default: /metrics, /health, /ready). */
  unmeteredPaths?: readonly string[];
  /** Requests slower than this are logged at info even when they succeed (default 1 s). */
  slowRequestSeconds?: number;
  /**
   * One line on what this instance does (e.g. where its data comes from), answered in `/ready` as
   * `detail`; the local runner shows it in its start-up table.
   */
  summary?: () => string;
}

/** A JSON error body, `{ "error": code, "message": text, ...details }`, keeping the request id header. */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
) {
  return c.json({ error, message, ...details }, status);
}

/** What observing a request reads: the app, its metrics and logger, whether it drains, when a request is slow. */
interface ObserverContext {
  app: ServiceApp;
  metrics: ServiceMetrics;
  logger: Logger;
  lifecycle: Lifecycle;
  slowRequestSeconds: number;
}

/** Counts, times and (when due) logs one answered request; adds the headers the answer needs. */
function requestObserver({ app, metrics, logger, lifecycle, slowRequestSeconds }: ObserverContext): Observe {
  return (
    request: Request,
    bindings: RequestBindings,
    path: string,
    started: number | undefined,
    res: Response | undefined,
  ): Response | undefined => {
    const status = res?.status ?? 500;
    if (started !== undefined) {
      const seconds = (performance.now() - started) / 1000;
      const endpoint = routeTemplate(app, request.method, path);
      metrics.requestFinished(requestMethodLabel(request.method), endpoint, status, seconds);
      // Every request is already counted and timed in the metrics; the access log keeps the ones a person
      // needs to read (client and server errors, slow answers) at info and the rest at debug.
      const level =
        status >= 500 ? "warn" : status >= 400 || seconds >= slowRequestSeconds ? "info" : "debug";
      if (logger.enabled(level)) {
        bindings.log[level]("request", {
          method: request.method,
          path,
          endpoint,
          status,
          durationMs: Math.round(seconds * 100_000) / 100,
        });
      }
    }
    if (!res) return res;
    // The id goes back to the client when it sent one (tracing across services) and on every error, where
    // someone needs it to find the log lines; adding a header to every fast answer costs throughput.
    const echoId = bindings.clientRequestId !== undefined || status >= 400;
    // While draining, keep-alive clients are asked to reconnect elsewhere so the server can close promptly.
    if (!echoId && !lifecycle.draining) return res;
    const headers: [string, string][] = [];
    if (echoId) headers.push(["X-Request-Id", bindings.requestId]);
    if (lifecycle.draining) headers.push(["Connection", "close"]);
    return withHeaders(res, headers);
  };
}

type Observe = (
  request: Request,
  bindings: RequestBindings,
  path: string,
  started: number | undefined,
  res: Response | undefined,
) => Response | undefined;

/**
 * Observes every request around the app's fetch rather than in a middleware: a Hono app whose route is the
 * only handler for a request calls it directly, while any middleware puts every request through Hono's
 * promise-based compose (its cost: README.md, "Benchmarks"). The synchronous path creates no closure.
 */
function meterFetch(
  app: ServiceApp,
  logger: Logger,
  metrics: ServiceMetrics,
  unmetered: ReadonlySet<string>,
  observe: Observe,
): void {
  const dispatch = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    const bindings = new RequestBindings(request, env, logger);
    const path = app.getPath(request, { env: bindings });
    let started: number | undefined;
    if (!unmetered.has(path)) {
      started = performance.now();
      metrics.requestStarted();
    }
    let answer: Response | Promise<Response>;
    try {
      answer = dispatch(request, bindings, executionCtx);
    } catch (err) {
      observe(request, bindings, path, started, undefined);
      throw err;
    }
    if (!(answer instanceof Promise)) return observe(request, bindings, path, started, answer) as Response;
    return answer.then(
      (res) => observe(request, bindings, path, started, res) as Response,
      (err: unknown) => {
        observe(request, bindings, path, started, undefined);
        throw err;
      },
    );
  };
}

/**
 * The Hono app every service starts from: request ids, JSON access logs, the metric contract's HTTP
 * metrics, `/health`, `/ready`, `/metrics`, a body-size limit and JSON errors. The service adds its
 * own routes to `kit.app`.
 */
export function createServiceKit({
  name,
  logger = createLogger({ service: name }),
  metrics = createServiceMetrics(),
  ready,
  maxBodyBytes = 64 * 1024,
  unmeteredPaths = ["/metrics", "/health", "/ready"],
  slowRequestSeconds = 1,
  summary,
}: ServiceKitOptions): ServiceKit {
  const lifecycle: Lifecycle = { draining: false };
  const app: ServiceApp = new Hono<ServiceEnv>();

  const unmetered = new Set(unmeteredPaths);
  // Only requests that can carry a body pay for the limit: reading the body stream of a GET would turn
  // the node adapter's lightweight request into a full Fetch Request for nothing.
  app.on(
    ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    "*",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        jsonError(c, 413, "payload_too_large", `Request bodies are limited to ${maxBodyBytes} bytes.`),
    }),
  );

  const observe = requestObserver({ app, metrics, logger, lifecycle, slowRequestSeconds });
  meterFetch(app, logger, metrics, unmetered, observe);

  app.get("/health", (c) => c.json({ status: "ok", service: name }));
  app.get("/ready", async (c) => {
    if (lifecycle.draining) return c.json({ status: "draining", service: name }, 503);
    if (ready && !(await ready())) return c.json({ status: "not_ready", service: name }, 503);
    return c.json({ status: "ready", service: name, ...(summary ? { detail: summary() } : {}) });
  });
  app.get("/metrics", async (c) => {
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { "Content-Type": metrics.registry.contentType });
  });

  app.notFound((c) => jsonError(c, 404, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      return jsonError(c, err.status as ContentfulStatusCode, "http_error", err.message || "Request failed.");
    }
    c.env.log.error("unhandled error", { err });
    return jsonError(c, 500, "internal_error", "Something went wrong; see the logs for this request id.", {
      requestId: c.env.requestId,
    });
  });

  return { name, app, logger, metrics, lifecycle };
}

/** The response with these headers set; a copy when the response's own headers are immutable. */
function withHeaders(res: Response, headers: [string, string][]): Response {
  try {
    for (const [name, value] of headers) res.headers.set(name, value);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    for (const [name, value] of headers) copy.headers.set(name, value);
    return copy;
  }
}
