import { baseServiceEnv, env, loadConfig } from "@platform/service-kit";
import { DEFAULT_TARGET } from "./cli-options.js";
import { DEFAULT_MIX_TEXT, MIX_RULE, parseMix } from "./mix.js";

export const trafficEnv = {
  ...baseServiceEnv,
  /** The storefront to send traffic to (`npm start` and the cluster set it from the catalogue). */
  TARGET_URL: env.url(DEFAULT_TARGET),
  /** Requests started per second. */
  RATE: env.number(5, { min: 0.01, max: 5000 }),
  CONCURRENCY: env.number(4, { min: 1, max: 1000, int: true }),
  MIX: env.string(DEFAULT_MIX_TEXT).transform((text, ctx) => {
    const mix = parseMix(text);
    if (!mix) ctx.addIssue({ code: "custom", message: MIX_RULE });
    return mix ?? { page: 1, product: 0, checkout: 0 };
  }),
  /** PRNG seed; random when unset (logged at start so a run can be repeated). */
  SEED: env.number(Number.NaN, { min: 0, max: 2 ** 32 - 1, int: true }),
  BAD_CHECKOUT_RATE: env.number(0.03, { min: 0, max: 1 }),
};

export type TrafficConfig = ReturnType<typeof loadTrafficConfig>;

export function loadTrafficConfig(source: Record<string, string | undefined> = process.env) {
  const config = loadConfig(trafficEnv, source);
  return { ...config, SEED: Number.isNaN(config.SEED) ? Math.floor(Math.random() * 2 ** 32) : config.SEED };
}
