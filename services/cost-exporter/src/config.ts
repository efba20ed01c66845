import { baseServiceEnv, env, loadConfig } from "@platform/service-kit";
import { COST_BASIS_NAMES } from "./requests.js";
import { stackSettings, stackSettingsProblems } from "./stack-settings.js";

/** The default DAILY_REQUEST_CAP: at most $0.24 of Cost Explorer requests a day per process. */
export const DEFAULT_DAILY_REQUEST_CAP = 24;

export const costExporterEnv = {
  ...baseServiceEnv,
  /** auto: aws when the default credential chain finds credentials, else demo (the simulator). */
  COST_EXPORTER_MODE: env.oneOf(["auto", "aws", "demo"], "auto"),
  /** Cost Explorer updates about three times a day; every refresh is paid, so refresh about as often. */
  REFRESH_INTERVAL: env.duration("8h", { minMs: 60_000 }),
  /** First wait after a failed refresh, doubling per further failure up to REFRESH_INTERVAL. */
  REFRESH_RETRY_INTERVAL: env.duration("15m", { minMs: 1_000 }),
  /**
   * Most paid requests per UTC day, pages and retries included (0 = no cap), counted in this process's
   * memory: every process, and every restart, has a cap of its own. Each costs $0.01, so the default
   * bounds one process at $0.24 a day: twice the 12 requests of a month-end day at the default interval,
   * which leaves room for a few restarts' refreshes (see README, "What it costs").
   */
  DAILY_REQUEST_CAP: env.number(DEFAULT_DAILY_REQUEST_CAP, { min: 0, int: true }),
  COST_TAG_KEY: env.optionalString(),
  COST_BASIS: env.oneOf(COST_BASIS_NAMES, "UnblendedCost"),
  HISTORY_DAYS: env.number(7, { min: 1, max: 90, int: true }),
  TOP_SERVICES: env.number(8, { min: 1, max: 50, int: true }),
  /** Attempts per Cost Explorer request (first try plus retries); every attempt is a paid request. */
  API_MAX_ATTEMPTS: env.number(4, { min: 1, max: 10, int: true }),
  /** Longest wait for one Cost Explorer answer. */
  API_TIMEOUT: env.duration("30s", { minMs: 100 }),
  // Read by the AWS SDK itself (and, in demo mode, naming an external simulator); checked here so a
  // typo stops the start instead of failing every refresh.
  AWS_ENDPOINT_URL_COST_EXPLORER: env.optionalUrl(),
  AWS_ENDPOINT_URL: env.optionalUrl(),
  // The prices and the stack's parts outside Kubernetes that the live-cost rules join with the inventory
  // (stack-settings.ts); the Pulumi program sets them from the stack's settings.
  ...stackSettings,
};

export type CostExporterConfig = ReturnType<typeof loadCostExporterConfig>;

export function loadCostExporterConfig(source: Record<string, string | undefined> = process.env) {
  return loadConfig(costExporterEnv, source, stackSettingsProblems);
}
