import { formatSignedUsd, formatUsd, type Money } from "@platform/prices";
import type { Budget, GuardrailThresholds } from "./config.js";
import type { CostEstimate } from "./estimate.js";

/**
 * A guardrail on what a change may add to the monthly bill: `monthlyIncreaseUsd` and/or
 * `monthlyIncreasePercent`. A change is over it when its increase of the fixed monthly total is above any
 * threshold that is set; the check then fails unless a maintainer approves it (the approval label).
 *
 * A stack never deployed (every step of its preview a `create`: its first preview counts the whole stack as
 * the increase) is judged against its monthly budget instead, when it has one: over only when the total after
 * is above it. A stack already deployed keeps the increase rule even when what it had cost nothing: a $0 total
 * before is not a first deploy.
 */
export interface GuardrailOutcome {
  stack: string;
  thresholds: GuardrailThresholds;
  /** the stack was never deployed (every step a create): judged against `budget`, not the increase thresholds */
  firstDeploy: boolean;
  /** the stack's monthly budget a first deploy was judged against */
  budget?: Budget;
  /** the total after, what a first deploy is judged by */
  totalAfter: Money;
  over: boolean;
  /** why it is over (empty when within) */
  reasons: string[];
  approvedBy?: string;
  /** within the guardrail, or over it and approved */
  passes: boolean;
}

export interface GuardrailContext {
  /** the login of the maintainer who added the approval label */
  approvedBy?: string;
  /** the stack's monthly budget, what a first deploy is judged against */
  budget?: Budget;
  /** the preview's stack was never deployed (`neverDeployed` in preview.ts): every step a create */
  neverDeployed?: boolean;
}

export function evaluateGuardrail(
  estimate: CostEstimate,
  thresholds: GuardrailThresholds,
  { approvedBy, budget, neverDeployed = false }: GuardrailContext = {},
): GuardrailOutcome {
  if (budget && neverDeployed) {
    const reasons = estimate.totalAfter.greaterThan(budget.monthlyUsd)
      ? [
          `the monthly total of ${formatUsd(estimate.totalAfter)} is above the stack's budget of ${formatUsd(budget.monthlyUsd)}`,
        ]
      : [];
    return outcome(estimate, thresholds, reasons, approvedBy, { firstDeploy: true, budget });
  }
  const reasons: string[] = [];
  const increase = estimate.change;
  const { monthlyIncreaseUsd, monthlyIncreasePercent } = thresholds;
  if (monthlyIncreaseUsd && increase.greaterThan(monthlyIncreaseUsd)) {
    reasons.push(
      `the monthly increase of ${formatSignedUsd(increase)} is above the stack's guardrail of ${formatUsd(monthlyIncreaseUsd)}`,
    );
  }
  if (monthlyIncreasePercent && increase.isPositive() && !increase.isZero()) {
    if (estimate.totalBefore.isZero()) {
      // A per cent of nothing is not a number; the dollar threshold (if any) still applies.
    } else {
      const percent = increase.dividedBy(estimate.totalBefore).times(100);
      if (percent.greaterThan(monthlyIncreasePercent)) {
        reasons.push(
          `the increase of ${percent.toDecimalPlaces(1).toFixed()}% is above the stack's guardrail of ${monthlyIncreasePercent.toFixed()}%`,
        );
      }
    }
  }
  return outcome(estimate, thresholds, reasons, approvedBy, { firstDeploy: false });
}

function outcome(
  estimate: CostEstimate,
  thresholds: GuardrailThresholds,
  reasons: string[],
  approvedBy: string | undefined,
  basis: { firstDeploy: boolean; budget?: Budget },
): GuardrailOutcome {
  const over = reasons.length > 0;
  const approver = approvedBy?.trim() || undefined;
  return {
    stack: estimate.stack,
    thresholds,
    ...basis,
    totalAfter: estimate.totalAfter,
    over,
    reasons,
    ...(over && approver ? { approvedBy: approver } : {}),
    passes: !over || approver !== undefined,
  };
}
