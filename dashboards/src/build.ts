/**
 * Writes the dashboards `dashboards/*.json` from the default thresholds (thresholds/thresholds.yaml) and the
 * catalogue. The JSON is what ships: Grafana's file provisioning and the kube-prometheus-stack sidecar
 * load it unchanged.
 *
 *   npm run generate:dashboards
 */
import { writeFileSync } from "node:fs";
import { repositoryPath } from "@platform/repository";
import { loadDefaultThresholds } from "../../thresholds/thresholds";
import { buildDashboardFiles } from "./dashboards";

// The committed dashboards sit one level above their code, where Grafana and the tests find only dashboards.
for (const [name, text] of Object.entries(buildDashboardFiles(loadDefaultThresholds()))) {
  writeFileSync(repositoryPath("dashboards", name), text);
  console.log(`wrote dashboards/${name}`);
}
