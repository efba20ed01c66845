/**
 * Which rule groups make up which rule file. The committed `alerts/*.rules.yml` are these files built from
 * the defaults (`npm run generate:alerts` writes them; a test fails when they are out of date); the
 * Pulumi program builds the same files from a stack's thresholds for its PrometheusRules.
 *
 * A new rule group is one module under rules/ and one entry below.
 */
import { parse, stringify } from "yaml";
import { DEFAULT_COST_TAG_KEY } from "../thresholds/cost-tag-key";
import type { Thresholds } from "../thresholds/thresholds";
import { withAlertLinks } from "./alert-links";
import { businessAlerts, businessRecording } from "./rules/business";
import { costAlerts, costRecording } from "./rules/cost";
import { liveCostRecording, reconciliationAlerts, reconciliationRecording } from "./rules/live-cost";
import { platformAlerts } from "./rules/platform";
import { rightsizeRecording } from "./rules/rightsize";
import { isAlertingRule, type RuleContext, type RuleGroup, type RuleGroupBuilder } from "./rules/rule";
import { sloAlerts, sloSli } from "./rules/slo";
import { thresholdSeries } from "./rules/threshold-series";

export interface RuleFileSpec {
  /** A one-line account of what the file holds, written into its header. */
  what: string;
  groups: RuleGroupBuilder[];
}

export const RULE_FILES: Record<string, RuleFileSpec> = {
  "settings.rules.yml": {
    what: "Settings published as series, for dashboards and ad-hoc queries.",
    groups: [thresholdSeries],
  },
  "slo.rules.yml": {
    what: "Availability and latency SLIs and their multiwindow, multi-burn-rate alerts.",
    groups: [sloSli, sloAlerts],
  },
  "business.rules.yml": {
    what: "Revenue, orders and checkout: what the shop earns.",
    groups: [businessRecording, businessAlerts],
  },
  "platform.rules.yml": {
    what: "Scrape health and the always-firing Watchdog.",
    groups: [platformAlerts],
  },
  "cost.rules.yml": {
    what: "AWS spend, the cost exporter's own health, unit economics.",
    groups: [costRecording, costAlerts],
  },
  "live-cost.rules.yml": {
    what: "What the running platform costs now (prices × inventory), per node, part, namespace, workload and unit.",
    groups: [liveCostRecording],
  },
  "reconciliation.rules.yml": {
    what: "The live cost of yesterday against what Cost Explorer billed for it, and spend nobody accounts for.",
    groups: [reconciliationRecording, reconciliationAlerts],
  },
  "rightsize.rules.yml": {
    what: "What each container uses, per namespace, workload and container, and the requests recommended from it (alerts/rightsize.yaml).",
    groups: [rightsizeRecording],
  },
};

const header = (what: string) =>
  `# Generated from thresholds/thresholds.yaml by alerts/rule-files.ts: edit those, then run \`npm run generate:alerts\`.\n# ${what}\n`;

/** What a stack sets besides its thresholds that its rules read. */
export interface StackRuleSettings {
  /** `platform:costTagKey`; the committed files use the default, `stack`. */
  costTagKey: string;
}

/** Every rule file's text (name → YAML) for these thresholds and stack settings. */
export function buildRuleFiles(
  thresholds: Thresholds,
  stack: StackRuleSettings = { costTagKey: DEFAULT_COST_TAG_KEY },
): Record<string, string> {
  const context: RuleContext = { thresholds, costTagKey: stack.costTagKey };
  const build = (group: RuleGroupBuilder) => withAlertLinks(group(context), thresholds.runbookBaseUrl);
  return Object.fromEntries(
    Object.entries(RULE_FILES).map(([file, { what, groups }]) => [
      file,
      header(what) + stringify({ groups: groups.map(build) }, { lineWidth: 0, aliasDuplicateObjects: false }),
    ]),
  );
}

/** Every alert name with its rule file, read from built files (for tests, runbooks and docs). */
export function alertNames(files: Record<string, string>): { alert: string; file: string }[] {
  return Object.entries(files).flatMap(([file, text]) =>
    (parse(text) as { groups: RuleGroup[] }).groups.flatMap((g) =>
      g.rules.filter(isAlertingRule).map((r) => ({ alert: r.alert, file })),
    ),
  );
}

/** Points the runbook links of the promtool test files at the configured base, so a fork's tests agree. */
export function retargetTestRunbooks(testText: string, runbookBaseUrl: string): string {
  return testText.replace(
    /(runbook_url:\s*["']?)\S+\/([A-Za-z0-9]+\.md)/g,
    (_all, prefix: string, page: string) => `${prefix}${runbookBaseUrl}/${page}`,
  );
}
