import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type HttpBindings, serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type BaseServiceConfig, ConfigError, parseDuration, SERVER_LIMIT_DEFAULTS } from "./config.js";
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

  // Requests are observed around the app's fetch rather than in a middleware: a Hono app whose route is
  // the only handler for a request calls it directly, while any middleware puts every request through
  // Hono's promise-based compose, which alone costs about a tenth of the throughput of a fast route
  // (`npm run bench` compares the storefront with a bare Hono app).
  /** Counts, times and (when due) logs one answered request; adds the headers the answer needs. */
  const observe = (
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

  // Requests are observed around the app's fetch rather than in a middleware: a Hono app whose route is the
  // only handler for a request calls it directly, while any middleware puts every request through Hono's
  // promise-based compose, which alone costs about a tenth of the throughput of a fast route (`npm run
  // bench` compares the storefront with a bare Hono app). The synchronous path creates no closure.
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

export interface RunningService {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  url: string;
  /**
   * Stops accepting, lets in-flight requests finish (up to the timeout), then runs the cleanup hooks.
   * Resolves "drained" when everything finished in time, "timeout" when connections were cut or the
   * cleanup did not finish.
   */
  shutdown(reason?: string): Promise<ShutdownOutcome>;
}

export type ShutdownOutcome = "drained" | "timeout";

type ServerLimits = "REQUEST_TIMEOUT" | "HEADERS_TIMEOUT" | "KEEP_ALIVE_TIMEOUT" | "MAX_CONNECTIONS";

export interface ServeOptions {
  /** The listen address and shutdown bound; the server limits default to SERVER_LIMIT_DEFAULTS. */
  config: Pick<BaseServiceConfig, "PORT" | "HOST" | "SHUTDOWN_TIMEOUT"> &
    Partial<Pick<BaseServiceConfig, ServerLimits>>;
  /** Run on shutdown after the server stopped (stop timers, flush, close clients). */
  onShutdown?: () => void | Promise<void>;
  /**
   * Exit the process after a graceful shutdown on SIGTERM/SIGINT, or when the process that started it
   * with a lifeline (an IPC channel, as @platform/supervisor does) has died: status 0 when it drained,
   * 1 when the shutdown ended by its timeout. Default true; tests that serve in-process pass false.
   */
  handleSignals?: boolean;
}

/** A start-up failure the operator can fix, said in one line naming the setting (printed without a stack). */
export class StartupError extends Error {
  override name = "StartupError";
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (err.code) {
    case "EADDRINUSE":
      return new StartupError(`Port ${port} on ${host} is already in use; set PORT to a free port.`);
    case "EACCES":
      return new StartupError(`Port ${port} on ${host} needs privileges; set PORT to a port from 1024 up.`);
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return new StartupError(
        `HOST ${host} is not an address of this machine; set HOST to one (127.0.0.1, 0.0.0.0 or ::).`,
      );
    default:
      return err;
  }
}

const durationOf = (text: string) => parseDuration(text) as number;

/**
 * Calls `onExit` once when the process that started this one with a lifeline (an IPC channel, as
 * @platform/supervisor's startProcess does) has ended, however it ended: the kernel closes the channel.
 * A lifeline that closed before this was called (the parent died while this process was loading or
 * starting) counts too. Without a channel (started from a shell, in a container) it does nothing.
 */
export function onParentExit(onExit: () => void): void {
  // Node keeps `process.send` of a process started with a channel, and no longer reports it connected
  // once the channel closed; the `disconnect` event is then past.
  if (process.send && !process.connected) {
    setImmediate(onExit);
    return;
  }
  if (!process.channel) return;
  process.once("disconnect", onExit);
  // Watching must not keep the process alive by itself.
  process.channel.unref();
}

/** Serves a kit's app over HTTP and wires graceful shutdown. */
export function serveService(kit: ServiceKit, { config, onShutdown, handleSignals = true }: ServeOptions) {
  const {
    REQUEST_TIMEOUT: requestTimeout = durationOf(SERVER_LIMIT_DEFAULTS.REQUEST_TIMEOUT),
    HEADERS_TIMEOUT: headersTimeout = durationOf(SERVER_LIMIT_DEFAULTS.HEADERS_TIMEOUT),
    KEEP_ALIVE_TIMEOUT: keepAliveTimeout = durationOf(SERVER_LIMIT_DEFAULTS.KEEP_ALIVE_TIMEOUT),
    MAX_CONNECTIONS: maxConnections = SERVER_LIMIT_DEFAULTS.MAX_CONNECTIONS,
  } = config;
  // Watched from the start, not from `listening`: a parent that dies while the server binds is noticed too.
  let parentExited = false;
  let whenParentExits = () => {
    parentExited = true;
  };
  if (handleSignals) onParentExit(() => whenParentExits());
  return new Promise<RunningService>((resolve, reject) => {
    const server = serve({
      fetch: kit.app.fetch,
      port: config.PORT,
      hostname: config.HOST,
      serverOptions: {
        requestTimeout,
        headersTimeout,
        keepAliveTimeout,
        // Node checks the two timeouts above only this often (30 s by default), so they would overrun.
        connectionsCheckingInterval: Math.min(1_000, headersTimeout),
      },
    }) as Server;
    server.maxConnections = maxConnections;
    server.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, config.PORT, config.HOST)));
    server.once("listening", () => {
      const { port } = server.address() as AddressInfo;
      const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      let stopping: Promise<ShutdownOutcome> | undefined;

      const shutdown = (reason = "shutdown requested") => {
        stopping ??= (async () => {
          kit.lifecycle.draining = true;
          kit.logger.info("shutting down: no new connections, finishing in-flight requests", {
            reason,
            timeoutMs: config.SHUTDOWN_TIMEOUT,
          });
          // One deadline for the whole shutdown: draining requests and the service's own cleanup share it,
          // so the process always exits within SHUTDOWN_TIMEOUT (plus a moment), whatever the cleanup does.
          const deadline = Date.now() + config.SHUTDOWN_TIMEOUT;
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          let outcome: ShutdownOutcome =
            (await beforeDeadline(closed, deadline)) === "done" ? "drained" : "timeout";
          if (outcome === "timeout") {
            kit.logger.warn("shutdown timeout reached; closing the remaining connections");
            server.closeAllConnections();
          }
          if (onShutdown) {
            const cleanup = Promise.resolve().then(onShutdown);
            if ((await beforeDeadline(cleanup, Math.max(deadline, Date.now() + 1000))) === "timeout") {
              kit.logger.warn("shutdown cleanup did not finish in time; exiting without it");
              outcome = "timeout";
            }
          }
          kit.logger[outcome === "drained" ? "info" : "warn"]("stopped", { outcome });
          return outcome;
        })();
        return stopping;
      };

      if (handleSignals) {
        // A shutdown cut short by its timeout dropped work: say so with the exit status.
        const stopAndExit = (reason: string) =>
          shutdown(reason).then(
            (outcome) => process.exit(outcome === "drained" ? 0 : 1),
            (err) => {
              kit.logger.error("shutdown failed", { err });
              process.exit(1);
            },
          );
        for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => stopAndExit(signal));
        whenParentExits = () => void stopAndExit("parent process exited");
      }
      kit.logger.info("listening", { url });
      resolve({ port, url, shutdown });
      // The parent died before the service listened: nobody is left to stop it, so it stops now.
      if (parentExited) whenParentExits();
    });
  });
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

/** Waits for `work` until the deadline (epoch ms); says which came first. */
async function beforeDeadline(work: Promise<unknown>, deadline: number): Promise<"done" | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((done) => {
    timer = setTimeout(() => done("timeout"), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work.then(() => "done" as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Prints why a service cannot start the way an operator wants to read it and exits with status 2: a bad
 * setting or a busy port as its message alone; anything unexpected with its stack, to be reported.
 */
export function exitOnStartupError(service: string, err: unknown): never {
  const expected = err instanceof ConfigError || err instanceof StartupError;
  const message = err instanceof Error ? (expected ? err.message : (err.stack ?? err.message)) : String(err);
  process.stderr.write(`${service}: cannot start.\n${message}\n`);
  process.exit(2);
}
