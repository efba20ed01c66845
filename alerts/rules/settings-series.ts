import type { Thresholds } from "../settings";
import { num, type RuleGroupBuilder } from "./rule";

/**
 * The series each published threshold becomes. Dashboards draw against these names (budget line,
 * objectives), so they show the stack's values from Prometheus instead of holding copies.
 */
export const SETTINGS_SERIES = {
  availabilityObjective: "platform:settings_slo_availability:objective",
  latencyObjective: "platform:settings_slo_latency:objective",
  latencyThresholdSeconds: "platform:settings_slo_latency_threshold:seconds",
  monthlyBudgetUsd: "platform:settings_monthly_budget:usd",
  costPerRequestCeilingUsd: "platform:settings_cost_per_request_ceiling:usd",
} as const;

const publishedValues = ({ slo, cost }: Thresholds): Record<keyof typeof SETTINGS_SERIES, number> => ({
  availabilityObjective: slo.availabilityObjective,
  latencyObjective: slo.latencyObjective,
  latencyThresholdSeconds: slo.latencyThresholdSeconds,
  monthlyBudgetUsd: cost.monthlyBudgetUsd,
  costPerRequestCeilingUsd: cost.costPerRequestCeilingUsd,
});

export const settingsSeries: RuleGroupBuilder = ({ settings }) => {
  const values = publishedValues(settings);
  return {
    name: "platform-settings",
    rules: (Object.keys(SETTINGS_SERIES) as (keyof typeof SETTINGS_SERIES)[]).map((key) => ({
      record: SETTINGS_SERIES[key],
      expr: `vector(${num(values[key])})`,
    })),
  };
};
