/**
 * The local platform's Prometheus, Alertmanager and Grafana configuration, generated from the same
 * sources the cluster uses: the rule files and the Alertmanager configuration in alerts/ and the
 * dashboards in dashboards/. Only what a laptop needs differs (addresses, short `for:`, fast grouping,
 * Alertmanager 0.25's Telegram fields); see local/README.md. Pure functions: the component modules in
 * components/ write their output and start the tools.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDuration } from "@platform/service-kit";
import { parse, stringify } from "yaml";
import { alertmanagerTemplates } from "../alerts/alertmanager-templates.js";
import { KEEP_REGEX } from "../alerts/long-term-store.js";
import { LONG_TERM_DATASOURCE } from "../thresholds/dashboards.js";

export const REPO_ROOT = join(import.meta.dirname, "..");
export const ALERTS_DIR = join(REPO_ROOT, "alerts");
export const DASHBOARDS_DIR = join(REPO_ROOT, "dashboards");

export interface ScrapeTarget {
  job: string;
  address: string;
  /** Default: Prometheus's /metrics. */
  metricsPath?: string;
}

export function prometheusConfig({
  targets,
  alertmanager,
  ruleGlob,
  interval,
  longTermStore,
}: {
  targets: ScrapeTarget[];
  alertmanager: string;
  ruleGlob: string;
  interval: string;
  /** The remote-write address of the long-term store, which gets the kept series only (KEEP_REGEX). */
  longTermStore?: string;
}): string {
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: [ruleGlob],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager] }] }] },
    ...(longTermStore
      ? {
          remote_write: [
            {
              url: longTermStore,
              write_relabel_configs: [{ source_labels: ["__name__"], regex: KEEP_REGEX, action: "keep" }],
            },
          ],
        }
      : {}),
    scrape_configs: targets.map((t) => ({
      job_name: t.job,
      ...(t.metricsPath && t.metricsPath !== "/metrics" ? { metrics_path: t.metricsPath } : {}),
      static_configs: [{ targets: [t.address] }],
    })),
  });
}

/** The rule files of alerts/ by name. */
export function ruleFiles(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(ALERTS_DIR)
      .filter((f) => f.endsWith(".rules.yml"))
      .sort()
      .map((f) => [f, readFileSync(join(ALERTS_DIR, f), "utf8")]),
  );
}

/**
 * A rule file with every `for:` capped at `maxFor`, so an incident on a laptop is noticed in seconds,
 * not after the hour a cost alert waits in the cluster. Expressions and windows stay as they are.
 */
export function withShorterFor(ruleText: string, maxFor: string): string {
  const cap = parseDuration(maxFor);
  if (cap === undefined) throw new Error(`not a duration: ${maxFor}`);
  const doc = parse(ruleText) as { groups: { rules: { for?: string }[] }[] };
  for (const group of doc.groups) {
    for (const rule of group.rules) {
      if (rule.for !== undefined && (parseDuration(rule.for) ?? 0) > cap) rule.for = maxFor;
    }
  }
  return stringify(doc, { lineWidth: 0 });
}

/**
 * A rule file whose runbook links open on this machine: every `runbook_url` under the configured
 * `runbookBaseUrl` (thresholds/thresholds.yaml) points at the same page served by the local platform
 * (`localBase`), which shows the runbook of this checkout. The cluster keeps the configured address.
 */
export function withLocalRunbooks(ruleText: string, configuredBase: string, localBase: string): string {
  const doc = parse(ruleText) as { groups: { rules: { annotations?: Record<string, string> }[] }[] };
  const prefix = `${configuredBase.replace(/\/+$/, "")}/`;
  for (const group of doc.groups) {
    for (const rule of group.rules) {
      const url = rule.annotations?.runbook_url;
      if (rule.annotations && url?.startsWith(prefix)) {
        rule.annotations.runbook_url = `${localBase.replace(/\/+$/, "")}/${url.slice(prefix.length)}`;
      }
    }
  }
  return stringify(doc, { lineWidth: 0 });
}

export interface Telegram {
  botToken: string;
  chatId: number;
  apiUrl?: string | undefined;
}

export interface AlertTiming {
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

type Receiver = { name: string; [kind: string]: unknown };
interface RouteNode {
  receiver?: string;
  routes?: RouteNode[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  [key: string]: unknown;
}

/**
 * alerts/alertmanager.yml made runnable by Alertmanager 0.25 on this machine: the Telegram receiver gets
 * an inline bot token, the chat id and optional API address, or, without Telegram settings, becomes a
 * webhook to the local receiver. Grouping is made fast so a demo incident arrives in seconds.
 */
export function localAlertmanagerConfig({
  telegram,
  webhookUrl,
  templateGlob,
  timing,
}: {
  telegram?: Telegram | undefined;
  webhookUrl: string;
  templateGlob: string;
  timing: AlertTiming;
}): string {
  const config = parse(readFileSync(join(ALERTS_DIR, "alertmanager.yml"), "utf8")) as {
    templates: string[];
    route: RouteNode;
    receivers: Receiver[];
  };
  config.templates = [templateGlob];
  const fastest = (current: string | undefined, wanted: string) =>
    current !== undefined && (parseDuration(current) ?? 0) < (parseDuration(wanted) ?? 0) ? current : wanted;
  const retime = (node: RouteNode) => {
    if (node.group_wait !== undefined || node === config.route)
      node.group_wait = fastest(node.group_wait, timing.groupWait);
    if (node.group_interval !== undefined || node === config.route)
      node.group_interval = fastest(node.group_interval, timing.groupInterval);
    if (node.repeat_interval !== undefined || node === config.route)
      node.repeat_interval = fastest(node.repeat_interval, timing.repeatInterval);
    for (const child of node.routes ?? []) retime(child);
  };
  retime(config.route);

  config.receivers = config.receivers.map((receiver) => {
    if (receiver.name !== "telegram") return receiver;
    const template = (receiver.telegram_configs as Record<string, unknown>[] | undefined)?.[0] ?? {};
    if (!telegram) {
      return { name: "telegram", webhook_configs: [{ url: webhookUrl, send_resolved: true }] };
    }
    const { bot_token_file: _file, chat_id: _chat, ...rest } = template;
    return {
      name: "telegram",
      telegram_configs: [
        {
          ...rest,
          bot_token: telegram.botToken,
          chat_id: telegram.chatId,
          ...(telegram.apiUrl ? { api_url: telegram.apiUrl } : {}),
        },
      ],
    };
  });
  return stringify(config, { lineWidth: 0 });
}

/** The message templates with the Grafana address this machine uses for dashboard links. */
export function localTemplates(grafanaUrl: string): Record<string, string> {
  return alertmanagerTemplates(grafanaUrl);
}

/** Grafana's data source (its scrape interval is the local one, as `$__rate_interval` needs) and dashboards. */
export function grafanaProvisioning(
  prometheusUrl: string,
  scrapeInterval: string,
  longTermStoreUrl: string,
): { datasource: string; dashboards: string } {
  return {
    datasource: stringify({
      apiVersion: 1,
      datasources: [
        {
          name: "Prometheus",
          type: "prometheus",
          access: "proxy",
          url: prometheusUrl,
          isDefault: true,
          jsonData: { timeInterval: scrapeInterval },
        },
        // The cost-history panels name it by its uid, as they name Amazon Managed Service for Prometheus in a cluster.
        {
          name: LONG_TERM_DATASOURCE.name,
          uid: LONG_TERM_DATASOURCE.uid,
          type: "prometheus",
          access: "proxy",
          url: longTermStoreUrl,
          jsonData: { timeInterval: scrapeInterval },
        },
      ],
    }),
    dashboards: stringify({
      apiVersion: 1,
      providers: [
        {
          name: "platform",
          type: "file",
          disableDeletion: true,
          updateIntervalSeconds: 10,
          options: { path: DASHBOARDS_DIR, foldersFromFilesStructure: false },
        },
      ],
    }),
  };
}
