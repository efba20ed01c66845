import { baseServiceEnv, DEFAULT_PORT, env, formatDuration, loadConfig } from "@platform/service-kit";
import { DEFAULT_MIX_TEXT, mixFromText } from "./mix.js";
import { DEFAULT_PERIOD_MS, MAX_PERIOD_MS, MIN_PERIOD_MS, SHAPES, type Shape } from "./shape.js";

// The defaults and bounds below are the service's settings and the CLI's options alike (cli-options.ts).

/** Where a storefront listens on this machine unless told otherwise: the kit's default port. */
export const DEFAULT_TARGET = `http://127.0.0.1:${DEFAULT_PORT}`;
/** The most requests per second anything may ask for, RATE, MAX_RATE or --rate. */
export const RATE_LIMIT = 5000;
/**
 * The demo shop's requests per second (RATE and --rate): about 17 orders a minute at the default mix
 * (README, "The demo shop in numbers"), busy enough that a full stop of orders is told from a chance
 * silence within 90 s locally (thresholds/thresholds.yaml, business.minPredictedOrdersForFullStop). A stack that
 * runs demo traffic and sets no `platform:demoTrafficRate` gets this one.
 */
export const DEFAULT_RATE = 10;
/** The most RATE or PUT /control may set (5× the default, room for a surge's doubling and more). */
export const DEFAULT_MAX_RATE = 50;
export const DEFAULT_SHAPE: Shape = "steady";
/** Most requests in flight. */
export const CONCURRENCY = { default: 4, min: 1, max: 1000 } as const;
/** Share of checkouts sent with an invalid body. */
export const DEFAULT_BAD_CHECKOUT_RATE = 0.03;
export const MAX_SEED = 2 ** 32 - 1;
/** A seed for a run nobody asked to repeat (it is printed or logged, so it still can be). */
export const randomSeed = () => Math.floor(Math.random() * (MAX_SEED + 1));

export const trafficEnv = {
  ...baseServiceEnv,
  /** The storefront to send traffic to (`npm start` and the cluster set it from the catalogue). */
  TARGET_URL: env.url(DEFAULT_TARGET),
  /** Requests started per second before the shape; 0 turns demo traffic off (PUT /control turns it on). */
  RATE: env.number(DEFAULT_RATE, { min: 0, max: RATE_LIMIT }),
  /** The most RATE or PUT /control may set: the bound on what demo traffic can cost. */
  MAX_RATE: env.number(DEFAULT_MAX_RATE, { min: 0, max: RATE_LIMIT }),
  /** How the rate moves: steady, diurnal (by the clock), dip (halves), surge (doubles). */
  SHAPE: env.oneOf(SHAPES, DEFAULT_SHAPE),
  /** The shape's period; unset: a day for diurnal, 10 minutes for dip and surge. */
  SHAPE_PERIOD: env.duration("0", { minMs: 0, maxMs: MAX_PERIOD_MS }),
  CONCURRENCY: env.number(CONCURRENCY.default, { min: CONCURRENCY.min, max: CONCURRENCY.max, int: true }),
  MIX: env.string(DEFAULT_MIX_TEXT).transform(mixFromText),
  /** PRNG seed; random when unset (logged at start so a run can be repeated). */
  SEED: env.number(Number.NaN, { min: 0, max: MAX_SEED, int: true }),
  BAD_CHECKOUT_RATE: env.number(DEFAULT_BAD_CHECKOUT_RATE, { min: 0, max: 1 }),
};

export type TrafficConfig = ReturnType<typeof loadTrafficConfig>;

export function loadTrafficConfig(source: Record<string, string | undefined> = process.env) {
  const config = loadConfig(trafficEnv, source, (c) => [
    ...(c.RATE > c.MAX_RATE ? [`RATE (${c.RATE}) must not be above MAX_RATE (${c.MAX_RATE})`] : []),
    ...(c.SHAPE_PERIOD !== 0 && c.SHAPE_PERIOD < MIN_PERIOD_MS
      ? [`SHAPE_PERIOD must be at least ${formatDuration(MIN_PERIOD_MS)} (or unset for the shape's default)`]
      : []),
  ]);
  return {
    ...config,
    SHAPE_PERIOD: config.SHAPE_PERIOD || DEFAULT_PERIOD_MS[config.SHAPE],
    SEED: Number.isNaN(config.SEED) ? randomSeed() : config.SEED,
  };
}
