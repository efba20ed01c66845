import { COST_ESTIMATE_SERIES } from "../../thresholds/series";
import type { RuleGroup } from "./rule";

/**
 * The stack's estimate as Prometheus reads it: `npm run cost`'s monthly total for the stack, recorded by the
 * deploy after `pulumi up` (.github/workflows/pulumi-up.yml, `npm run cost:record-estimate`) as a
 * PrometheusRule the program does not own, and by `npm start` for the dev stack. Not one of the committed
 * rule files: its value is a deploy's, not the repository's.
 *
 * Why outside the program: the estimate is priced on the day of the deploy (a month in which a Kubernetes
 * version leaves standard support prices differently), so a resource of the program holding it would change
 * under the daily drift check without anything having drifted. Applied after `up`, it also works on a
 * stack's first deploy, when the cluster and the PrometheusRule CRD exist only then.
 */
export const COST_ESTIMATE_RULE_NAME = "cost-estimate";

export interface RecordedEstimate {
  stack: string;
  /** Dollars a month, as the cost report writes money: a decimal string with two decimals. */
  monthlyUsd: string;
  /** The report's hours per month (730). */
  hoursPerMonth: number;
  /** The commit deployed (or "local"). */
  commit: string;
  /** The first day of the 730 hours priced (the report's monthStart, YYYY-MM-DD). */
  pricedOn: string;
}

const MONEY = /^\d+\.\d{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The rule group that publishes the estimate, monthly and hourly, labelled with the stack and commit. */
export function costEstimateGroup(estimate: RecordedEstimate): RuleGroup {
  if (!MONEY.test(estimate.monthlyUsd))
    throw new Error(`not a monthly total in dollars: ${estimate.monthlyUsd}`);
  if (!DAY.test(estimate.pricedOn)) throw new Error(`not a day: ${estimate.pricedOn}`);
  if (!Number.isInteger(estimate.hoursPerMonth) || estimate.hoursPerMonth <= 0) {
    throw new Error(`not a whole number of hours per month: ${estimate.hoursPerMonth}`);
  }
  const labels = { stack: estimate.stack, commit: estimate.commit, priced_on: estimate.pricedOn };
  return {
    name: COST_ESTIMATE_RULE_NAME,
    rules: [
      { record: COST_ESTIMATE_SERIES.monthly, expr: `vector(${estimate.monthlyUsd})`, labels },
      {
        record: COST_ESTIMATE_SERIES.hourly,
        expr: `vector(${estimate.monthlyUsd} / ${estimate.hoursPerMonth})`,
        labels,
      },
    ],
  };
}
