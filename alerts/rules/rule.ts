/**
 * The shapes of Prometheus rule groups (as `groups:` in a rule file and `spec.groups` in a PrometheusRule)
 * and what every rule-group module receives.
 */
import type { Thresholds } from "../settings";

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string> & { severity: "critical" | "warning" | "info" | "none" };
  annotations: { summary: string; description: string; value: string; runbook_url: string } & Record<
    string,
    string
  >;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

/** What a rule-group module builds from: the thresholds, each alert's runbook address, the stack's cost tag. */
export interface RuleContext {
  settings: Thresholds;
  runbook(alert: string): string;
  /** The cost-allocation tag carrying the stack's name (`platform:costTagKey`, alerts/settings.ts). */
  costTagKey: string;
}

/** A rule-group module: one group of rules from the thresholds. */
export type RuleGroupBuilder = (context: RuleContext) => RuleGroup;

export const isAlertingRule = (rule: Rule): rule is AlertingRule => "alert" in rule;

/** A fraction as a percentage for people: 0.999 → "99.9%". */
export const percent = (fraction: number) => `${Number((fraction * 100).toPrecision(6))}%`;

/** A number as PromQL writes it, without floating-point noise such as 0.014400000000000001. */
export const num = (value: number) => String(Number(value.toPrecision(12)));
