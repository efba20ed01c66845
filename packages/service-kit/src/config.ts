import { isIP } from "node:net";
import { MAX_TIMER_MS, parseDecimal } from "@platform/numbers";
import { z } from "zod";

/** Thrown when the environment does not hold valid settings; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

// An unset variable and an empty one mean the same thing: "use the default".
const unsetIfEmpty = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const fromEnv = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema);

/** The port every service listens on unless PORT says otherwise; `npm start` and the cluster set PORT. */
export const DEFAULT_PORT = 8080;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses "250ms", "15s", "5m", "6h", "1d" or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? "s") as keyof typeof DURATION_UNITS_MS;
  return Number(match[1]) * DURATION_UNITS_MS[unit];
}

interface NumberRange {
  min?: number;
  max?: number;
  int?: boolean;
}

function numberSetting(fallback: number, { min = -Infinity, max = Infinity, int = false }: NumberRange = {}) {
  const bounds = [Number.isFinite(min) ? `≥ ${min}` : "", Number.isFinite(max) ? `≤ ${max}` : ""].filter(
    Boolean,
  );
  const kind = int ? "a whole number in decimal digits" : "a decimal number";
  const allowed = `must be ${kind}${bounds.length ? ` ${bounds.join(" and ")}` : ""}`;
  return fromEnv(
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return fallback;
        const n = parseDecimal(text, { int });
        if (n === undefined || n < min || n > max) {
          ctx.addIssue({ code: "custom", message: allowed });
          return z.NEVER;
        }
        return n;
      }),
  );
}

/** The shortest way to write a number of milliseconds as a duration, e.g. 86400000 → "1d". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function durationSetting(fallback: string, { minMs = 0, maxMs = MAX_TIMER_MS } = {}) {
  const longest = Math.min(maxMs, MAX_TIMER_MS);
  const range = `from ${formatDuration(minMs)} to ${longest === MAX_TIMER_MS ? `${longest}ms (about 24.8 days, the longest Node.js timer)` : formatDuration(longest)}`;
  const allowed = `must be a duration such as 500ms, 15s, 5m, 6h or 1d, ${range}`;
  return fromEnv(
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const ms = parseDuration(text);
        if (ms === undefined || ms < minMs || ms > longest) {
          ctx.addIssue({ code: "custom", message: allowed });
          return z.NEVER;
        }
        return ms;
      }),
  );
}

const HOST_RULE = "must be an IP address to listen on, such as 127.0.0.1, 0.0.0.0 or :: (or localhost)";

/** An address to listen on: an IP literal or localhost, so a typo fails here and not in a DNS lookup. */
function hostSetting(fallback: string) {
  return fromEnv(
    z
      .string()
      .default(fallback)
      .refine((text) => text === "localhost" || isIP(text) !== 0, { message: HOST_RULE }),
  );
}

const URL_RULE = "must be an absolute http(s) URL such as http://127.0.0.1:8080";

/** Schema builders for environment variables; each error message says what is allowed. */
export const env = {
  number: numberSetting,
  port: (fallback: number) => numberSetting(fallback, { min: 0, max: 65535, int: true }),
  string: (fallback: string) => fromEnv(z.string().default(fallback)),
  optionalString: () => fromEnv(z.string().optional()),
  url: (fallback: string) => fromEnv(z.url({ protocol: /^https?$/, error: URL_RULE }).default(fallback)),
  optionalUrl: () => fromEnv(z.url({ protocol: /^https?$/, error: URL_RULE }).optional()),
  boolean: (fallback: boolean) =>
    fromEnv(
      z
        .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], {
          error: "must be one of true, false, 1, 0, yes, no, on, off",
        })
        .optional()
        .transform((v) => (v === undefined ? fallback : ["true", "1", "yes", "on"].includes(v))),
    ),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
    fromEnv(
      z
        .enum(values, { error: `must be one of ${values.join(", ")}` })
        .optional()
        .transform((v): T[number] => v ?? fallback),
    ),
  /** A duration in milliseconds, written as 250ms, 15s, 5m, 6h, 1d or a number of seconds; at most MAX_TIMER_MS. */
  duration: durationSetting,
  host: hostSetting,
};

/**
 * Defaults of the HTTP server's limits, sized for a small service whose requests are a few kilobytes
 * answered in well under a second (Node's own defaults let a body trickle in for five minutes and take
 * any number of connections).
 */
export const SERVER_LIMIT_DEFAULTS = {
  /** Longest time to receive a whole request, headers and body. */
  REQUEST_TIMEOUT: "10s",
  /** Longest time to receive the request headers. */
  HEADERS_TIMEOUT: "5s",
  /** How long an idle keep-alive connection stays open. */
  KEEP_ALIVE_TIMEOUT: "5s",
  /** Most open connections; more are refused. */
  MAX_CONNECTIONS: 256,
} as const;

/** Settings every service shares. */
export const baseServiceEnv = {
  PORT: env.port(DEFAULT_PORT),
  /** 127.0.0.1 unless told otherwise; container images set HOST=0.0.0.0. */
  HOST: env.host("127.0.0.1"),
  LOG_LEVEL: env.oneOf(["debug", "info", "warn", "error", "silent"], "info"),
  /** How long in-flight requests may take to finish after SIGTERM before the process exits anyway. */
  SHUTDOWN_TIMEOUT: env.duration("10s"),
  REQUEST_TIMEOUT: env.duration(SERVER_LIMIT_DEFAULTS.REQUEST_TIMEOUT, { minMs: 100 }),
  HEADERS_TIMEOUT: env.duration(SERVER_LIMIT_DEFAULTS.HEADERS_TIMEOUT, { minMs: 100 }),
  KEEP_ALIVE_TIMEOUT: env.duration(SERVER_LIMIT_DEFAULTS.KEEP_ALIVE_TIMEOUT, { minMs: 100 }),
  MAX_CONNECTIONS: env.number(SERVER_LIMIT_DEFAULTS.MAX_CONNECTIONS, { min: 1, max: 100_000, int: true }),
};

export type BaseServiceConfig = z.infer<z.ZodObject<typeof baseServiceEnv>>;

/**
 * Validates the environment against a schema shape, once, at start-up.
 * Every problem is reported together, naming the variable, what is allowed and what was given.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  source: Record<string, string | undefined> = process.env,
  /** Rules across settings; each problem names the settings it is about. */
  check?: (config: z.infer<z.ZodObject<Shape>>) => string[],
): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(source);
  if (result.success) {
    const problems = [...baseServiceProblems(result.data), ...(check?.(result.data) ?? [])];
    if (problems.length > 0) throw new ConfigError(problems);
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "(settings)");
    const given = source[name];
    const rule = issue.message.startsWith("must") ? issue.message : `is invalid: ${issue.message}`;
    return `${name} ${rule}${given === undefined ? "" : ` (got ${JSON.stringify(given)})`}`;
  });
  throw new ConfigError(problems);
}

/** The cross-setting rules of the shared server settings, for any config that has them. */
function baseServiceProblems(config: Record<string, unknown>): string[] {
  const { HEADERS_TIMEOUT: headers, REQUEST_TIMEOUT: request } = config;
  // Node refuses a server whose headers may take longer than the whole request.
  if (typeof headers === "number" && typeof request === "number" && headers > request) {
    return [
      `HEADERS_TIMEOUT (${formatDuration(headers)}) must not be longer than REQUEST_TIMEOUT (${formatDuration(request)})`,
    ];
  }
  return [];
}

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
