/**
 * Prometheus on this machine: the rule files of alerts/ with every `for:` capped at LOCAL_MAX_FOR and
 * their runbook links pointed at the alert receiver's runbook pages, the catalogue's services and the
 * tools as scrape targets, every SCRAPE_INTERVAL.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDuration } from "@platform/service-kit";
import { retentionForRules } from "../../alerts/retention.js";
import { loadDefaultThresholds } from "../../thresholds/thresholds.js";
import {
  prometheusConfig,
  ruleFiles,
  type ScrapeTarget,
  withLocalRunbooks,
  withShorterFor,
} from "../configs.js";
import { RUNBOOK_PATH } from "./alert-receiver.js";
import { REMOTE_WRITE_PATH } from "./long-term-store.js";
import type { LocalContext, Row } from "./types.js";

export async function startPrometheus(
  context: LocalContext,
  {
    binary,
    services,
    extraRuleFiles = {},
  }: {
    binary: string;
    services: ScrapeTarget[];
    /** Rule files of this machine only (the dev stack's estimate), by name. */
    extraRuleFiles?: Record<string, string>;
  },
): Promise<Row> {
  const { settings, ports } = context;
  const maxFor = formatDuration(settings.LOCAL_MAX_FOR);
  const dir = join(context.dataDir, "prometheus");
  const rulesDir = join(dir, "rules");
  mkdirSync(rulesDir, { recursive: true });
  const { runbookBaseUrl } = loadDefaultThresholds();
  const localRunbooks = `${context.url("alert-receiver")}${RUNBOOK_PATH}`;
  const loaded = { ...ruleFiles(), ...extraRuleFiles };
  for (const [file, text] of Object.entries(loaded)) {
    writeFileSync(
      join(rulesDir, file),
      withLocalRunbooks(withShorterFor(text, maxFor), runbookBaseUrl, localRunbooks),
    );
  }
  writeFileSync(
    join(dir, "prometheus.yml"),
    prometheusConfig({
      interval: settings.SCRAPE_INTERVAL,
      ruleGlob: join(rulesDir, "*.rules.yml"),
      alertmanager: `127.0.0.1:${ports.alertmanager}`,
      longTermStore: `${context.url("long-term-store")}${REMOTE_WRITE_PATH}`,
      targets: [
        ...services,
        { job: "prometheus", address: `127.0.0.1:${ports.prometheus}` },
        { job: "alertmanager", address: `127.0.0.1:${ports.alertmanager}` },
      ],
    }),
  );
  context.children.start("prometheus", binary, [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    // What the rules loaded here read back (the local right-sizing window is minutes); the history is the
    // long-term store's.
    `--storage.tsdb.retention.time=${retentionForRules(loaded)}`,
    // No --web.enable-lifecycle: nothing here reloads or quits it over HTTP, and with it any local
    // process could POST /-/quit. The config is written before the start; a change means a new start.
    `--web.listen-address=127.0.0.1:${ports.prometheus}`,
  ]);
  await context.children.waitReady("prometheus", `${context.url("prometheus")}/-/ready`, 30_000);
  return {
    name: "prometheus",
    url: context.url("prometheus"),
    status: "running",
    note: `scrape/eval every ${settings.SCRAPE_INTERVAL}; alert for: ≤ ${maxFor}`,
  };
}
