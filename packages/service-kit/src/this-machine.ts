/**
 * Answers only for requests addressed to this machine: the defence against DNS rebinding for a server
 * that listens on a loopback address without asking who calls. A page on another site can re-point its
 * own name at 127.0.0.1 and then reach such a server from a visitor's browser as if it were its own
 * origin (no CORS check applies), but the browser still sends the page's name in `Host`, which no script
 * can change. So a request whose `Host` is not 127.0.0.1, localhost or [::1] at the port it arrived on is
 * refused before any route registered after this middleware runs (the kit's own `/health`, `/ready` and
 * `/metrics` come first and answer any `Host`).
 */
import type { MiddlewareHandler } from "hono";
import { jsonError, type ServiceEnv } from "./server.js";

/** The names a browser on this machine uses for it. */
export const THIS_MACHINE_NAMES = ["127.0.0.1", "localhost", "[::1]"] as const;

/** A Host header's name (an IPv6 address in brackets, lower case) and port, or undefined if it is not one. */
function parseHostHeader(host: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^[\]:]+)(?::(\d{1,5}))?$/i.exec(host);
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), port: match[2] === undefined ? undefined : Number(match[2]) };
}

/**
 * Whether a Host header names this machine: 127.0.0.1, localhost or [::1], and, when `port` is given, at
 * that port (a Host without a port means 80, HTTP's default).
 */
export function addressesThisMachine(host: string | undefined, port?: number): boolean {
  const parsed = host === undefined ? undefined : parseHostHeader(host);
  if (!parsed || !(THIS_MACHINE_NAMES as readonly string[]).includes(parsed.name)) return false;
  return port === undefined || (parsed.port ?? 80) === port;
}

/**
 * Middleware: a 421 JSON error for a request not addressed to this machine, at the port its connection
 * came in on. Served in process (`app.request()`, no socket) only the name is checked; without a `Host`
 * header the request URL's host counts (what @hono/node-server builds from the listen address).
 */
export function thisMachineOnly(): MiddlewareHandler<ServiceEnv> {
  return async (c, next) => {
    const host = c.req.header("Host") ?? new URL(c.req.url).host;
    const port = c.env?.incoming?.socket?.localPort;
    if (!addressesThisMachine(host, port)) {
      return jsonError(
        c,
        421,
        "not_this_machine",
        `This server answers only requests addressed to ${THIS_MACHINE_NAMES.join(", ")}${port ? ` at port ${port}` : ""}, not ${host}.`,
      );
    }
    return next();
  };
}
