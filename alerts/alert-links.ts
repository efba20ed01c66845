/**
 * What every alert links to, added in one pass when the rule files are built (as the kubernetes-mixin adds
 * `runbook_url`): its runbook under the thresholds' `runbookBaseUrl`, and the dashboard that shows what it is
 * about (`dashboard_uid`, a Grafana link in the Telegram message). Rule modules write neither.
 */
import { DASHBOARD_UIDS, type DashboardKey } from "../thresholds/dashboards";
import type { AlertDefinition, AlertingRule, RecordingRule, RuleGroup } from "./rules/rule";

/** The dashboard each alert links to; null: none helps (Watchdog). */
const ALERT_DASHBOARDS: Record<string, DashboardKey | null> = {
  AvailabilityBudgetBurnFast: "red",
  AvailabilityBudgetBurnSlow: "red",
  LatencyBudgetBurnFast: "red",
  LatencyBudgetBurnSlow: "red",
  RevenueDropWhileHealthy: "overview",
  TargetDown: "red",
  Watchdog: null,
  CostExplorerNotEnabled: "cost",
  CostExporterStale: "cost",
  CostExporterRefreshFailing: "cost",
  CostExporterThrottled: "cost",
  DailySpendSpike: "cost",
  ForecastOverBudget: "cost",
  CostPerRequestOverCeiling: "overview",
  UnaccountedSpend: "cost",
};

function linked(alert: AlertDefinition, runbookBaseUrl: string): AlertingRule {
  const dashboard = ALERT_DASHBOARDS[alert.alert];
  if (dashboard === undefined) {
    throw new Error(`${alert.alert} has no entry in ALERT_DASHBOARDS (alerts/alert-links.ts); null for none`);
  }
  return {
    ...alert,
    annotations: {
      ...alert.annotations,
      runbook_url: `${runbookBaseUrl}/${alert.alert}.md`,
      ...(dashboard ? { dashboard_uid: DASHBOARD_UIDS[dashboard] } : {}),
    },
  };
}

/** A built group with every alert's runbook and dashboard links. */
export function withAlertLinks(
  group: RuleGroup<RecordingRule | AlertDefinition>,
  runbookBaseUrl: string,
): RuleGroup {
  return {
    ...group,
    rules: group.rules.map((rule) => ("alert" in rule ? linked(rule, runbookBaseUrl) : rule)),
  };
}
