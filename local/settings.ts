/**
 * The local platform's settings: the fixed ones below, and one port per component, derived from the
 * component's name (STOREFRONT_PORT, PROMETHEUS_PORT, …) with the catalogue's port (or the tool's usual
 * one) as default, so a port that something else uses can be moved and a new catalogue entry needs no
 * setting of its own.
 */
import { env, loadConfig } from "@platform/service-kit";
import type { z } from "zod";
import { type Catalogue, catalogue, servicesIn, validateCatalogue } from "../catalogue/services.js";

/** What runs beside the catalogue's services, with the port each usually has. */
export const TOOL_PORTS = {
  "alert-receiver": 8083,
  "demo-inventory": 8084,
  prometheus: 9090,
  /** The second Prometheus that keeps the cost history (Pushgateway's usual port; no Pushgateway runs here). */
  "long-term-store": 9091,
  alertmanager: 9093,
  grafana: 3000,
} as const;

/** What the local alert receiver keeps for `GET /alerts` by default (a notification is a few kilobytes). */
export const ALERT_RECEIVER_KEEP = { maxEntries: 500, maxBytes: 4 * 1024 * 1024 } as const;
/** A notification may be as large as a request body the service kit takes (64 KiB): one always fits. */
const MIN_ALERT_RECEIVER_BYTES = 64 * 1024;

const fixedSettings = {
  /** Where Prometheus, Alertmanager and Grafana keep data and the components their logs (git-ignored). */
  LOCAL_DATA_DIR: env.string(".local"),
  /** Scrape and rule-evaluation interval of the local Prometheus. */
  SCRAPE_INTERVAL: env.oneOf(["1s", "2s", "5s", "10s", "15s"], "5s"),
  /**
   * The right-sizing window of the local demo (alerts/rightsize.yaml has the cluster's week): a few minutes of
   * demo traffic, recorded every 3 scrapes, are enough for a recommendation on this machine.
   */
  RIGHTSIZE_WINDOW: env.oneOf(["2m", "3m", "5m", "10m", "15m", "30m", "1h"], "3m"),
  /** Longest `for:` of any alert locally (the cluster keeps the values in alerts/). */
  LOCAL_MAX_FOR: env.duration("30s", { minMs: 1_000 }),
  TELEGRAM_BOT_TOKEN: env.optionalString(),
  TELEGRAM_CHAT_ID: env.number(Number.NaN, { int: true }),
  TELEGRAM_API_URL: env.optionalUrl(),
  /** Where the Telegram message's dashboard links point (the local Grafana by default). */
  GRAFANA_URL: env.optionalUrl(),
  /** `auto`: Grafana where installed, else the read-only dashboards on its port; `off`: never Grafana. */
  LOCAL_GRAFANA: env.oneOf(["auto", "off"], "auto"),
  /** Most notifications the alert receiver keeps for `GET /alerts`; the oldest are dropped first. */
  ALERT_RECEIVER_MAX_ALERTS: env.number(ALERT_RECEIVER_KEEP.maxEntries, { min: 1, max: 100_000, int: true }),
  /** Most bytes of notifications (as they arrived) it keeps; the oldest are dropped first. */
  ALERT_RECEIVER_MAX_BYTES: env.number(ALERT_RECEIVER_KEEP.maxBytes, {
    min: MIN_ALERT_RECEIVER_BYTES,
    max: 1024 * 1024 * 1024,
    int: true,
  }),
};

export type LocalSettings = z.infer<z.ZodObject<typeof fixedSettings>> & {
  /** Port of every component by name (0: pick a free one at start). */
  ports: Record<string, number>;
};

/** The setting that moves a component's port: `cost-exporter` → `COST_EXPORTER_PORT`. */
export function portSettingName(component: string): string {
  return `${component.toUpperCase().replace(/-/g, "_")}_PORT`;
}

/** Every component that gets a port: the catalogue's local services, then the tools. */
export function localComponents(from: Catalogue): { name: string; defaultPort: number }[] {
  const services = servicesIn("local", from).map((s) => ({ name: s.name, defaultPort: s.port }));
  for (const service of services) {
    if (service.name in TOOL_PORTS) {
      throw new Error(`The catalogue's service "${service.name}" has the name of a local tool; rename it.`);
    }
  }
  const tools = Object.entries(TOOL_PORTS).map(([name, defaultPort]) => ({ name, defaultPort }));
  return [...services, ...tools];
}

export function loadLocalSettings(
  source: Record<string, string | undefined> = process.env,
  from: Catalogue = catalogue,
): LocalSettings {
  const components = localComponents(validateCatalogue(from));
  const portSettings = Object.fromEntries(
    components.map(({ name, defaultPort }) => [portSettingName(name), env.port(defaultPort)]),
  );
  const loaded = loadConfig({ ...fixedSettings, ...portSettings }, source, (config) => {
    const byPort = new Map<number, string>();
    const problems: string[] = [];
    for (const { name } of components) {
      const setting = portSettingName(name);
      const port = (config as Record<string, unknown>)[setting] as number;
      if (port === 0) continue;
      const other = byPort.get(port);
      if (other) problems.push(`${setting} and ${other} are both ${port}; give each component its own port`);
      byPort.set(port, setting);
    }
    return problems;
  });
  const values = loaded as unknown as Record<string, unknown>;
  const ports = Object.fromEntries(
    components.map(({ name }) => [name, values[portSettingName(name)] as number]),
  );
  const fixed = Object.fromEntries(Object.keys(fixedSettings).map((key) => [key, values[key]]));
  return { ...(fixed as z.infer<z.ZodObject<typeof fixedSettings>>), ports };
}
