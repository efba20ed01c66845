import { THRESHOLD_SERIES } from "../../thresholds/series";
import type { Thresholds } from "../../thresholds/thresholds";
import { num } from "../../thresholds/units";
import type { RuleGroupBuilder } from "./rule";

const publishedValues = ({ slo, cost }: Thresholds): Record<keyof typeof THRESHOLD_SERIES, number> => ({
  availabilityObjective: slo.availabilityObjective,
  latencyObjective: slo.latencyObjective,
  latencyThresholdSeconds: slo.latencyThresholdSeconds,
  monthlyBudgetUsd: cost.monthlyBudgetUsd,
  costPerRequestCeilingUsd: cost.costPerRequestCeilingUsd,
});

/** Each published threshold as a series (THRESHOLD_SERIES), which the dashboards draw. */
export const thresholdSeries: RuleGroupBuilder = ({ thresholds }) => {
  const values = publishedValues(thresholds);
  return {
    name: "platform-settings",
    rules: (Object.keys(THRESHOLD_SERIES) as (keyof typeof THRESHOLD_SERIES)[]).map((key) => ({
      record: THRESHOLD_SERIES[key],
      expr: `vector(${num(values[key])})`,
    })),
  };
};
