/**
 * Writes the dashboards `dashboards/*.json` from the default thresholds (alerts/settings.yaml) and the
 * catalogue. The JSON is what ships: Grafana's file provisioning and the kube-prometheus-stack sidecar
 * load it unchanged.
 *
 *   npm run generate:dashboards
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadDefaultThresholds } from "../../alerts/settings";
import { buildDashboardFiles } from "./dashboards";

/** The committed dashboards sit one level up, where Grafana and the tests find only dashboards. */
const DASHBOARDS_DIR = join(dirname(__filename), "..");

for (const [name, text] of Object.entries(buildDashboardFiles(loadDefaultThresholds()))) {
  writeFileSync(join(DASHBOARDS_DIR, name), text);
  console.log(`wrote dashboards/${name}`);
}
