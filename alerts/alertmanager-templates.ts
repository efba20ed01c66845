import { readdirSync, readFileSync } from "node:fs";
import { repositoryPath } from "@platform/repository";

/**
 * The Alertmanager message templates (templates/*.tmpl) with the Grafana address their "Dashboard" links use:
 * the one `platform.grafana_url` definition is set to where this platform's Grafana is (the local runner's
 * address; in a cluster, the stack's Grafana URL). The committed file keeps http://localhost:3000, the address
 * `kubectl port-forward` gives.
 */
const GRAFANA_URL_DEFINITION = /(\{\{ define "platform\.grafana_url" \}\})[^{]*(\{\{ end \}\})/;

/** Only a plain http(s) address may land inside a Go template and an HTML link: no quotes, braces or spaces. */
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;

export function alertmanagerTemplates(grafanaUrl: string): Record<string, string> {
  if (!SAFE_URL.test(grafanaUrl)) {
    throw new Error(
      `the Grafana URL for alert links must be a plain http(s) address, not ${JSON.stringify(grafanaUrl)}`,
    );
  }
  const dir = repositoryPath("alerts", "templates");
  return Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith(".tmpl"))
      .sort()
      .map((file) => {
        const text = readFileSync(`${dir}/${file}`, "utf8");
        if (file === "telegram.tmpl" && !GRAFANA_URL_DEFINITION.test(text)) {
          throw new Error(
            `${file} no longer defines platform.grafana_url: the dashboard links have no address`,
          );
        }
        return [file, text.replace(GRAFANA_URL_DEFINITION, `$1${grafanaUrl.replace(/\/$/, "")}$2`)];
      }),
  );
}
