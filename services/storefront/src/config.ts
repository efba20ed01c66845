import { baseServiceEnv, env, isLoopbackHost, loadConfig } from "@platform/service-kit";
import { parseSimulation } from "./simulation.js";

const SIMULATION_RULE =
  'must be JSON such as {"checkout":{"delayMs":{"min":50,"max":200},"errorRate":0.01,"outOfStockRate":0}}';

export const storefrontEnv = {
  ...baseServiceEnv,
  /** Simulated delays and failures at start-up (see README); off when unset. */
  SIMULATION: env.string("{}").transform((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: `${SIMULATION_RULE}; it is not valid JSON` });
      return {};
    }
    const parsed = parseSimulation(value);
    if (!parsed.ok)
      ctx.addIssue({ code: "custom", message: `${SIMULATION_RULE}; ${parsed.problems.join("; ")}` });
    return parsed.ok ? parsed.settings : {};
  }),
  /** Serves GET/PUT /admin/simulation, so demos and alert tests can cause incidents on purpose. */
  ADMIN_ENABLED: env.boolean(false),
  /** When set, the admin endpoints require `Authorization: Bearer <ADMIN_TOKEN>`. */
  ADMIN_TOKEN: env.optionalString(),
};

export type StorefrontConfig = ReturnType<typeof loadStorefrontConfig>;

export function loadStorefrontConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(storefrontEnv, source, (config) =>
    // An admin endpoint without a token is open to whoever reaches the port: only this machine may.
    config.ADMIN_ENABLED && !config.ADMIN_TOKEN && !isLoopbackHost(config.HOST)
      ? [
          `ADMIN_TOKEN must be set when ADMIN_ENABLED is true and HOST (${config.HOST}) accepts connections from other machines; set ADMIN_TOKEN, or HOST=127.0.0.1`,
        ]
      : [],
  );
}
