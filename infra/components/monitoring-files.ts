import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { buildRuleFiles } from "../../alerts/rule-files";
import { buildDashboardFiles } from "../../dashboards/src/dashboards";
import { DEFAULT_COST_TAG_KEY } from "../../thresholds/cost-tag-key";
import type { Thresholds } from "../../thresholds/thresholds";

/** What the monitoring release loads from the repository: a stack's rule files and dashboards, Alertmanager's routing. */
export interface RepoFile {
  file: string;
  content: string;
}

const asRepoFiles = (files: Record<string, string>): RepoFile[] =>
  Object.entries(files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, content]) => ({ file, content }));

/**
 * The dashboards for a stack's thresholds, built by the same code as the committed dashboards/*.json (which
 * are these with the defaults).
 */
export const dashboardFiles = (thresholds: Thresholds) => asRepoFiles(buildDashboardFiles(thresholds));
/** The rule files for a stack's thresholds, built as the committed alerts/*.rules.yml are from the defaults. */
export const ruleFiles = (thresholds: Thresholds, costTagKey = DEFAULT_COST_TAG_KEY) =>
  asRepoFiles(buildRuleFiles(thresholds, { costTagKey }));

/** A Kubernetes object name from a file name: `cost-overview.json` → `cost-overview`. */
export const objectNameFor = (file: string, suffix: string) =>
  file
    .slice(0, -suffix.length)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);

/** `platform:telegramChatId` is unset until it names a chat: Telegram has no chat 0. */
export const telegramChatConfigured = (chatId: string) => chatId.trim() !== "" && Number(chatId) !== 0;

/**
 * alerts/alertmanager.yml with the chat id from settings in every Telegram receiver. The file keeps
 * `chat_id: 0` so no real chat id ever sits in git. Without a chat id the Telegram receivers keep their
 * names but lose their `telegram_configs` (alerts routed there are dropped): Alertmanager refuses a
 * whole configuration with `chat_id: 0` ("missing chat_id on telegram_config"), Watchdog and routing
 * included.
 */
export function alertmanagerConfig(root: string, chatId: string): Record<string, unknown> {
  const file = path.join(root, "alerts", "alertmanager.yml");
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: the Alertmanager configuration is loaded from the repository`);
  }
  const config = parseYaml(fs.readFileSync(file, "utf8")) as {
    receivers?: { telegram_configs?: Record<string, unknown>[] }[];
  };
  for (const receiver of config.receivers ?? []) {
    if (!receiver.telegram_configs) continue;
    if (!telegramChatConfigured(chatId)) {
      delete receiver.telegram_configs;
      continue;
    }
    for (const telegram of receiver.telegram_configs) telegram.chat_id = Number(chatId);
  }
  return config as Record<string, unknown>;
}
