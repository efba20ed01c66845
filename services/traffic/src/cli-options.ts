import { parseArgs } from "node:util";
import { parseDecimal } from "@platform/numbers";
import { formatDuration, parseDuration } from "@platform/service-kit";
import {
  CONCURRENCY,
  DEFAULT_BAD_CHECKOUT_RATE,
  DEFAULT_RATE,
  DEFAULT_SHAPE,
  DEFAULT_TARGET,
  MAX_SEED,
  RATE_LIMIT,
  randomSeed,
} from "./config.js";
import type { TrafficOptions } from "./engine.js";
import { DEFAULT_MIX_TEXT, MIX_RULE, parseMix } from "./mix.js";
import { createPace, DEFAULT_PERIOD_MS, MAX_PERIOD_MS, MIN_PERIOD_MS, SHAPES, type Shape } from "./shape.js";

/** Hard caps: a CLI run always ends by itself, whatever it is asked. */
export const MAX_DURATION_MS = 60 * 60 * 1000;
export const MAX_REQUESTS = 1_000_000;
export const DEFAULT_DURATION = "30s";
const PERIOD_RANGE = `from ${formatDuration(MIN_PERIOD_MS)} to ${formatDuration(MAX_PERIOD_MS)}`;
const DEFAULT_PERIODS = (["diurnal", "dip", "surge"] as const)
  .map((shape) => `${formatDuration(DEFAULT_PERIOD_MS[shape])} ${shape}`)
  .join(", ");

export const USAGE = `Usage: traffic [options]

Sends a realistic mix of page views, product views and checkouts to a storefront, then prints a summary.
Always stops by itself: after --duration or --requests (default ${DEFAULT_DURATION}; at most 1h or ${MAX_REQUESTS} requests).

  --target URL           storefront base URL (default ${DEFAULT_TARGET})
  --rate N               requests started per second (default ${DEFAULT_RATE}, at most ${RATE_LIMIT})
  --shape S              how the rate moves: ${SHAPES.join(", ")} (default ${DEFAULT_SHAPE})
  --period D             the shape's period, e.g. 90s (default: ${DEFAULT_PERIODS})
  --duration D           run time, e.g. 30s, 5m (default ${DEFAULT_DURATION} unless --requests is given)
  --requests N           stop after N requests
  --concurrency N        most requests in flight (default ${CONCURRENCY.default}, at most ${CONCURRENCY.max})
  --mix M                kind weights (default ${DEFAULT_MIX_TEXT})
  --bad-checkouts R      share of checkouts sent with an invalid body, 0..1 (default ${DEFAULT_BAD_CHECKOUT_RATE})
  --seed N               PRNG seed, to repeat a run exactly (default: random, printed in the summary)
  --json                 print the summary as JSON on stdout
  --quiet                no progress line on stderr
  --help                 this text
`;

export class UsageError extends Error {
  override name = "UsageError";
}

export interface CliOptions {
  traffic: TrafficOptions & { durationMs?: number; maxRequests?: number };
  json: boolean;
  quiet: boolean;
  help: boolean;
}

function numberOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
  int: boolean,
) {
  if (text === undefined) return fallback;
  const n = parseDecimal(text, { int });
  if (n === undefined || n < min || n > max) {
    throw new UsageError(
      `--${name} must be ${int ? "a whole number" : "a number"} in decimal digits from ${min} to ${max} (got ${JSON.stringify(text)})`,
    );
  }
  return n;
}

/** Parses and validates CLI arguments; every problem is a UsageError naming the option. */
export function parseCliArgs(argv: string[]): CliOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const target = values.target ?? DEFAULT_TARGET;
  if (!/^https?:\/\/[^/]+/.test(target) || !URL.canParse(target)) {
    throw new UsageError(
      `--target must be an http(s) URL such as http://127.0.0.1:8080 (got ${JSON.stringify(target)})`,
    );
  }
  const mix = parseMix(values.mix ?? DEFAULT_MIX_TEXT);
  if (!mix) throw new UsageError(`--mix ${MIX_RULE} (got ${JSON.stringify(values.mix)})`);

  let durationMs: number | undefined;
  if (values.duration !== undefined) {
    durationMs = parseDuration(values.duration);
    if (durationMs === undefined || durationMs <= 0 || durationMs > MAX_DURATION_MS) {
      throw new UsageError(
        `--duration must be a duration from 1ms to 1h such as 30s or 5m (got ${JSON.stringify(values.duration)})`,
      );
    }
  }
  const maxRequests =
    values.requests === undefined
      ? undefined
      : numberOption("requests", values.requests, 0, 1, MAX_REQUESTS, true);
  if (durationMs === undefined && maxRequests === undefined) durationMs = parseDuration(DEFAULT_DURATION);
  // With only --requests, a hard time cap still applies so a dead target cannot keep the run alive.
  durationMs ??= MAX_DURATION_MS;

  const shape = (values.shape ?? DEFAULT_SHAPE) as Shape;
  if (!SHAPES.includes(shape)) {
    throw new UsageError(`--shape must be one of ${SHAPES.join(", ")} (got ${JSON.stringify(values.shape)})`);
  }
  let periodMs = DEFAULT_PERIOD_MS[shape];
  if (values.period !== undefined) {
    const period = parseDuration(values.period);
    if (period === undefined || period < MIN_PERIOD_MS || period > MAX_PERIOD_MS) {
      throw new UsageError(
        `--period must be a duration ${PERIOD_RANGE} such as 90s or 10m (got ${JSON.stringify(values.period)})`,
      );
    }
    periodMs = period;
  }
  const rate = numberOption("rate", values.rate, DEFAULT_RATE, 0.01, RATE_LIMIT, false);
  const pace = createPace({ rate, shape, periodMs });

  return {
    traffic: {
      target,
      rate: shape === "steady" ? rate : () => pace.rateNow(),
      concurrency: numberOption(
        "concurrency",
        values.concurrency,
        CONCURRENCY.default,
        CONCURRENCY.min,
        CONCURRENCY.max,
        true,
      ),
      mix,
      badCheckoutRate: numberOption(
        "bad-checkouts",
        values["bad-checkouts"],
        DEFAULT_BAD_CHECKOUT_RATE,
        0,
        1,
        false,
      ),
      seed: numberOption("seed", values.seed, randomSeed(), 0, MAX_SEED, true),
      durationMs,
      ...(maxRequests === undefined ? {} : { maxRequests }),
    },
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      target: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      requests: { type: "string" },
      concurrency: { type: "string" },
      mix: { type: "string" },
      "bad-checkouts": { type: "string" },
      seed: { type: "string" },
      shape: { type: "string" },
      period: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
