import { baseServiceEnv, env, loadConfig } from "@platform/service-kit";
import { COST_BASIS_NAMES } from "./requests.js";

export const costExporterEnv = {
  ...baseServiceEnv,
  PORT: env.port(8081),
  /** auto: aws when the default credential chain finds credentials, else demo (the simulator). */
  COST_EXPORTER_MODE: env.oneOf(["auto", "aws", "demo"], "auto"),
  /** Cost Explorer updates about three times a day; every refresh is paid, so refresh about as often. */
  REFRESH_INTERVAL: env.duration("8h", { minMs: 60_000 }),
  /** First wait after a failed refresh, doubling per further failure up to REFRESH_INTERVAL. */
  REFRESH_RETRY_INTERVAL: env.duration("15m", { minMs: 1_000 }),
  /** Most paid requests per UTC day, pages and retries included (0 = no cap). */
  DAILY_REQUEST_CAP: env.number(0, { min: 0, int: true }),
  COST_TAG_KEY: env.optionalString(),
  COST_BASIS: env.oneOf(COST_BASIS_NAMES, "UnblendedCost"),
  HISTORY_DAYS: env.number(7, { min: 1, max: 90, int: true }),
  TOP_SERVICES: env.number(8, { min: 1, max: 50, int: true }),
  /** Attempts per Cost Explorer request (first try plus retries); every attempt is a paid request. */
  API_MAX_ATTEMPTS: env.number(4, { min: 1, max: 10, int: true }),
  /** Longest wait for one Cost Explorer answer. */
  API_TIMEOUT: env.duration("30s", { minMs: 100 }),
};

export type CostExporterConfig = ReturnType<typeof loadCostExporterConfig>;

export function loadCostExporterConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(costExporterEnv, source);
}
