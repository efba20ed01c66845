import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type BaseServiceConfig, ConfigError, parseDuration, SERVER_LIMIT_DEFAULTS } from "./config.js";
import type { ServiceKit } from "./server.js";

/** Serving a kit's app: listening, the server's limits, and a graceful shutdown on signals or a lost parent. */
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
      const shutdown = gracefulShutdown(kit, server, config.SHUTDOWN_TIMEOUT, onShutdown);

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

/**
 * Stops accepting, lets in-flight requests finish until the deadline, then runs the service's cleanup within
 * the same deadline; called again, it answers the same shutdown.
 */
function gracefulShutdown(
  kit: ServiceKit,
  server: Server,
  shutdownTimeout: number,
  onShutdown: (() => void | Promise<void>) | undefined,
): (reason?: string) => Promise<ShutdownOutcome> {
  let stopping: Promise<ShutdownOutcome> | undefined;
  return (reason = "shutdown requested") => {
    stopping ??= (async () => {
      kit.lifecycle.draining = true;
      kit.logger.info("shutting down: no new connections, finishing in-flight requests", {
        reason,
        timeoutMs: shutdownTimeout,
      });
      // One deadline for the whole shutdown: draining requests and the service's own cleanup share it,
      // so the process always exits within SHUTDOWN_TIMEOUT (plus a moment), whatever the cleanup does.
      const deadline = Date.now() + shutdownTimeout;
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
