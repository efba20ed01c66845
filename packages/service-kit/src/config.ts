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
  const allowed = `must be ${int ? "a whole number" : "a number"}${bounds.length ? ` ${bounds.join(" and ")}` : ""}`;
  return fromEnv(
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return fallback;
        const n = Number(text);
        if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
          ctx.addIssue({ code: "custom", message: allowed });
          return z.NEVER;
        }
        return n;
      }),
  );
}

function durationSetting(fallback: string, { minMs = 0 } = {}) {
  const allowed = `must be a duration such as 500ms, 15s, 5m, 6h or 1d${minMs ? ` (at least ${minMs} ms)` : ""}`;
  return fromEnv(
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const ms = parseDuration(text);
        if (ms === undefined || ms < minMs) {
          ctx.addIssue({ code: "custom", message: allowed });
          return z.NEVER;
        }
        return ms;
      }),
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
  /** A duration in milliseconds, written as 250ms, 15s, 5m, 6h, 1d or a number of seconds. */
  duration: durationSetting,
};

/** Settings every service shares. */
export const baseServiceEnv = {
  PORT: env.port(8080),
  /** 127.0.0.1 unless told otherwise; container images set HOST=0.0.0.0. */
  HOST: env.string("127.0.0.1"),
  LOG_LEVEL: env.oneOf(["debug", "info", "warn", "error", "silent"], "info"),
  /** How long in-flight requests may take to finish after SIGTERM before the process exits anyway. */
  SHUTDOWN_TIMEOUT: env.duration("10s"),
};

export type BaseServiceConfig = z.infer<z.ZodObject<typeof baseServiceEnv>>;

/**
 * Validates the environment against a schema shape, once, at start-up.
 * Every problem is reported together, naming the variable, what is allowed and what was given.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  source: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "(settings)");
    const given = source[name];
    const rule = issue.message.startsWith("must") ? issue.message : `is invalid: ${issue.message}`;
    return `${name} ${rule}${given === undefined ? "" : ` (got ${JSON.stringify(given)})`}`;
  });
  throw new ConfigError(problems);
}
