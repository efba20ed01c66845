/**
 * Where Grafana is not installed (or LOCAL_GRAFANA=off): the read-only view of the committed dashboards
 * (../dashboard-viewer/app.ts), served in the runner's own process on Grafana's port, so the address of
 * the single pane, the dashboards' links and the alerts' dashboard links stay the same either way.
 */
import { type RunningService, serveService } from "@platform/service-kit";
import { DASHBOARD_UIDS, LONG_TERM_DATASOURCE } from "../../thresholds/dashboards.js";
import { createDashboardViewer } from "../dashboard-viewer/app.js";
import type { LocalContext, Row } from "./types.js";

/** The dashboard the start-up table links to: the one pane. */
export const HOME_DASHBOARD_UID = DASHBOARD_UIDS.overview;

export async function startDashboardViewer(
  context: LocalContext,
): Promise<{ running: RunningService; row: Row }> {
  const viewer = createDashboardViewer({
    prometheusUrl: context.url("prometheus"),
    scrapeInterval: context.settings.SCRAPE_INTERVAL,
    datasources: { [LONG_TERM_DATASOURCE.uid]: context.url("long-term-store") },
  });
  const running = await serveService(viewer, {
    config: { PORT: context.ports.grafana as number, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 2000 },
    handleSignals: false,
  });
  return {
    running,
    row: {
      name: "dashboards",
      url: `${running.url}/d/${HOME_DASHBOARD_UID}`,
      status: "running",
      note: `dashboards/*.json drawn read-only from Prometheus, in Grafana's place (all: ${running.url}/)`,
    },
  };
}
