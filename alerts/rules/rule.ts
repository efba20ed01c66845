/**
 * The shapes of Prometheus rule groups (as `groups:` in a rule file and `spec.groups` in a PrometheusRule)
 * and what every rule-group module receives.
 */
import type { Thresholds } from "../../thresholds/thresholds";

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/** An alert as a rule module writes it; its `runbook_url` and `dashboard_uid` are added when the file is built. */
export interface AlertDefinition {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string> & { severity: "critical" | "warning" | "info" | "none" };
  annotations: { summary: string; description: string; value: string } & Record<string, string>;
}

/** An alert as the rule file holds it. */
export interface AlertingRule extends AlertDefinition {
  annotations: AlertDefinition["annotations"] & { runbook_url: string };
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup<R = Rule> {
  name: string;
  interval?: string;
  rules: R[];
}

/** What a rule-group module builds from: the thresholds and the stack's cost tag. */
export interface RuleContext {
  thresholds: Thresholds;
  /** The cost-allocation tag carrying the stack's name (`platform:costTagKey`, thresholds/cost-tag-key.ts). */
  costTagKey: string;
}

/** A rule-group module: one group of rules from the thresholds. */
export type RuleGroupBuilder = (context: RuleContext) => RuleGroup<RecordingRule | AlertDefinition>;

export const isAlertingRule = (rule: Rule): rule is AlertingRule => "alert" in rule;
