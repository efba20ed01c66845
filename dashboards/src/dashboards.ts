/**
 * Which dashboard is which file. The committed `dashboards/*.json` are these dashboards built from the
 * default thresholds and the catalogue (`npm run generate:dashboards` writes them; a test fails when they
 * differ); the Pulumi program builds the same dashboards from a stack's thresholds for Grafana's sidecar.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { type Catalogue, catalogue as platformCatalogue, validateCatalogue } from "../../catalogue/services";
import { DASHBOARD_FILE_NAMES, type DashboardKey } from "../../thresholds/dashboards";
import type { Thresholds } from "../../thresholds/thresholds";
import { costDashboard } from "./cost";
import type { DashboardContext } from "./dashboard";
import { overviewDashboard } from "./overview";
import { serviceRedDashboard } from "./service-red";

const BUILDERS: Record<DashboardKey, (context: DashboardContext) => Dashboard> = {
  overview: overviewDashboard,
  red: serviceRedDashboard,
  cost: costDashboard,
};

/** File name → the function that builds that dashboard. */
export const DASHBOARD_FILES: Record<string, (context: DashboardContext) => Dashboard> = Object.fromEntries(
  (Object.keys(BUILDERS) as DashboardKey[]).map((key) => [DASHBOARD_FILE_NAMES[key], BUILDERS[key]]),
);

/** Every dashboard (file name → JSON object) for these thresholds and services. */
export function buildDashboards(
  thresholds: Thresholds,
  catalogue: Catalogue = platformCatalogue,
): Record<string, Dashboard> {
  const context = { thresholds, catalogue: validateCatalogue(catalogue) };
  return Object.fromEntries(Object.entries(DASHBOARD_FILES).map(([file, build]) => [file, build(context)]));
}

/** The exact text of a dashboard file, so the test compares bytes and the cluster gets the same bytes. */
export const dashboardText = (json: unknown) => `${JSON.stringify(json, null, 2)}\n`;

/** Every dashboard file's text (file name → JSON text). */
export function buildDashboardFiles(thresholds: Thresholds, catalogue?: Catalogue): Record<string, string> {
  return Object.fromEntries(
    Object.entries(buildDashboards(thresholds, catalogue)).map(([file, json]) => [file, dashboardText(json)]),
  );
}
