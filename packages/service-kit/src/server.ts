import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { BaseServiceConfig } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { createServiceMetrics, httpMetrics, type ServiceMetrics } from "./metrics.js";

export type ServiceEnv = { Variables: { requestId: string; log: Logger } };
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
  /** Paths left out of the HTTP metrics (default: /metrics, /health, /ready). */
  unmeteredPaths?: readonly string[];
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
  unmeteredPaths,
}: ServiceKitOptions): ServiceKit {
  const lifecycle: Lifecycle = { draining: false };
  const app: ServiceApp = new Hono<ServiceEnv>();

  app.use("*", requestId());
  app.use("*", async (c, next) => {
    const log = logger.child({ requestId: c.get("requestId") });
    c.set("log", log);
    const started = performance.now();
    await next();
    // While draining, ask keep-alive clients to reconnect elsewhere so the server can close promptly.
    if (lifecycle.draining) c.header("Connection", "close");
    if (c.req.path === "/metrics" || c.req.path === "/health" || c.req.path === "/ready") return;
    log.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  });
  app.use("*", httpMetrics(metrics, unmeteredPaths ? { ignorePaths: unmeteredPaths } : {}));
  app.use(
    "*",
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        jsonError(c, 413, "payload_too_large", `Request bodies are limited to ${maxBodyBytes} bytes.`),
    }),
  );

  app.get("/health", (c) => c.json({ status: "ok", service: name }));
  app.get("/ready", async (c) => {
    if (lifecycle.draining) return c.json({ status: "draining", service: name }, 503);
    if (ready && !(await ready())) return c.json({ status: "not_ready", service: name }, 503);
    return c.json({ status: "ready", service: name });
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
    c.get("log")?.error("unhandled error", { err });
    return jsonError(c, 500, "internal_error", "Something went wrong; see the logs for this request id.", {
      requestId: c.get("requestId"),
    });
  });

  return { name, app, logger, metrics, lifecycle };
}

export interface RunningService {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then runs the cleanup hooks. */
  shutdown(reason?: string): Promise<void>;
}

export interface ServeOptions {
  config: Pick<BaseServiceConfig, "PORT" | "HOST" | "SHUTDOWN_TIMEOUT">;
  /** Run on shutdown after the server stopped (stop timers, flush, close clients). */
  onShutdown?: () => void | Promise<void>;
  /** Exit the process on SIGTERM/SIGINT after a graceful shutdown (default true; tests pass false). */
  handleSignals?: boolean;
}

/** Serves a kit's app over HTTP and wires graceful shutdown. */
export function serveService(kit: ServiceKit, { config, onShutdown, handleSignals = true }: ServeOptions) {
  return new Promise<RunningService>((resolve, reject) => {
    const server = serve({ fetch: kit.app.fetch, port: config.PORT, hostname: config.HOST });
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new Error(`Port ${config.PORT} on ${config.HOST} is already in use; set PORT to a free port.`),
        );
      } else reject(err);
    });
    server.once("listening", () => {
      const { port } = server.address() as AddressInfo;
      const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      let stopping: Promise<void> | undefined;

      const shutdown = (reason = "shutdown requested") => {
        stopping ??= (async () => {
          kit.lifecycle.draining = true;
          kit.logger.info("shutting down: no new connections, finishing in-flight requests", {
            reason,
            timeoutMs: config.SHUTDOWN_TIMEOUT,
          });
          const closed = new Promise<void>((done) => server.close(() => done()));
          if ("closeIdleConnections" in server) server.closeIdleConnections();
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<"timeout">((done) => {
            timer = setTimeout(() => done("timeout"), config.SHUTDOWN_TIMEOUT);
          });
          const outcome = await Promise.race([closed.then(() => "drained" as const), timedOut]);
          clearTimeout(timer);
          if (outcome === "timeout") {
            kit.logger.warn("shutdown timeout reached; closing the remaining connections");
            if ("closeAllConnections" in server) server.closeAllConnections();
          }
          await onShutdown?.();
          kit.logger.info("stopped", { outcome });
        })();
        return stopping;
      };

      if (handleSignals) {
        for (const signal of ["SIGTERM", "SIGINT"] as const) {
          process.once(signal, () => {
            shutdown(signal).then(
              () => process.exit(0),
              (err) => {
                kit.logger.error("shutdown failed", { err });
                process.exit(1);
              },
            );
          });
        }
      }
      kit.logger.info("listening", { url });
      resolve({ port, url, shutdown });
    });
  });
}

/** Prints a configuration error the way an operator wants to read it and exits with status 2. */
export function exitOnStartupError(service: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${service}: cannot start.\n${message}\n`);
  process.exit(2);
}
