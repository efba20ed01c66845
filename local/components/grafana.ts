/** Grafana on this machine, where installed: the dashboards of dashboards/ against the local Prometheus. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { installHint } from "@platform/supervisor";
import { DASHBOARD_FILE_NAMES } from "../../thresholds/dashboards.js";
import { DASHBOARDS_DIR, grafanaProvisioning } from "../configs.js";
import type { LocalContext, Row } from "./types.js";

export async function startGrafana(context: LocalContext, binary: string | undefined): Promise<Row> {
  if (!binary) {
    const why =
      context.settings.LOCAL_GRAFANA === "off"
        ? "LOCAL_GRAFANA=off"
        : `not on PATH (grafana / grafana-server); to install: ${installHint("grafana")}`;
    return {
      name: "grafana",
      status: "skipped",
      note: `${why}; the dashboards are served read-only below`,
    };
  }
  const dir = join(context.dataDir, "grafana");
  const provisioning = join(dir, "provisioning");
  for (const sub of ["datasources", "dashboards", "plugins", "alerting", "notifiers"]) {
    mkdirSync(join(provisioning, sub), { recursive: true });
  }
  const files = grafanaProvisioning(
    context.url("prometheus"),
    context.settings.SCRAPE_INTERVAL,
    context.url("long-term-store"),
  );
  writeFileSync(join(provisioning, "datasources", "platform.yml"), files.datasource);
  writeFileSync(join(provisioning, "dashboards", "platform.yml"), files.dashboards);
  const homepath = grafanaHome(binary);
  context.children.start(
    "grafana",
    binary,
    [...(binary.endsWith("grafana") ? ["server"] : []), ...(homepath ? [`--homepath=${homepath}`] : [])],
    {
      env: {
        GF_PATHS_DATA: join(dir, "data"),
        GF_PATHS_LOGS: join(dir, "logs"),
        GF_PATHS_PLUGINS: join(dir, "plugins"),
        GF_PATHS_PROVISIONING: provisioning,
        GF_SERVER_HTTP_ADDR: "127.0.0.1",
        GF_SERVER_HTTP_PORT: String(context.ports.grafana),
        GF_AUTH_ANONYMOUS_ENABLED: "true",
        GF_AUTH_ANONYMOUS_ORG_ROLE: "Viewer",
        GF_ANALYTICS_REPORTING_ENABLED: "false",
        GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: join(DASHBOARDS_DIR, DASHBOARD_FILE_NAMES.overview),
      },
    },
  );
  await context.children.waitReady("grafana", `${context.url("grafana")}/api/health`, 60_000);
  return {
    name: "grafana",
    url: context.url("grafana"),
    status: "running",
    note: "admin/admin; dashboards/ provisioned",
  };
}

/** Grafana needs its install directory (public/, conf/); packages put it in different places. */
function grafanaHome(binary: string): string | undefined {
  const candidates = [
    process.env.GRAFANA_HOME,
    "/usr/share/grafana",
    "/opt/homebrew/opt/grafana/share/grafana",
    "/usr/local/opt/grafana/share/grafana",
    resolve(binary, "..", "..", "share", "grafana"),
    resolve(binary, "..", ".."),
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, "conf", "defaults.ini")));
}
