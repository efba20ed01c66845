import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exact, formatSignedUsd, formatUsd, type Money } from "@platform/prices";
import { z } from "zod";
import type { CostEstimate } from "./estimate";
import { REPO_ROOT } from "./stack-files";

/**
 * Per-stack guardrails on what a pull request may add to the monthly bill, in `.github/stacks.json` under
 * each stack's `costGuardrail`: `monthlyIncreaseUsd` and/or `monthlyIncreasePercent`. A change is over the
 * guardrail when its increase of the fixed monthly total is above any threshold that is set; the preview
 * check then fails unless a maintainer approves it (the `cost-approved` label).
 */
export const STACKS_FILE = join(REPO_ROOT, ".github", "stacks.json");

const guardrailSchema = z
  .object({
    monthlyIncreaseUsd: z.number().nonnegative().optional(),
    monthlyIncreasePercent: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((g) => g.monthlyIncreaseUsd !== undefined || g.monthlyIncreasePercent !== undefined, {
    message: "set monthlyIncreaseUsd, monthlyIncreasePercent or both",
  });

const stacksFile = z.object({
  stacks: z.array(z.looseObject({ name: z.string(), costGuardrail: guardrailSchema.optional() })),
});

export interface GuardrailThresholds {
  monthlyIncreaseUsd?: Money;
  monthlyIncreasePercent?: Money;
}

export interface GuardrailOutcome {
  stack: string;
  thresholds: GuardrailThresholds;
  over: boolean;
  /** why it is over (empty when within) */
  reasons: string[];
  approvedBy?: string;
  /** within the guardrail, or over it and approved */
  passes: boolean;
}

/** The stack's guardrail, undefined when the stack has none; a malformed entry is an error naming it. */
export function guardrailFor(stack: string, path: string = STACKS_FILE): GuardrailThresholds | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = stacksFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`${path}: ${problems.join("; ")}`);
  }
  const entry = parsed.data.stacks.find((s) => s.name === stack)?.costGuardrail;
  if (!entry) return undefined;
  return {
    ...(entry.monthlyIncreaseUsd !== undefined
      ? { monthlyIncreaseUsd: exact(String(entry.monthlyIncreaseUsd)) }
      : {}),
    ...(entry.monthlyIncreasePercent !== undefined
      ? { monthlyIncreasePercent: exact(String(entry.monthlyIncreasePercent)) }
      : {}),
  };
}

export function evaluateGuardrail(
  estimate: CostEstimate,
  thresholds: GuardrailThresholds,
  approvedBy?: string,
): GuardrailOutcome {
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
  const over = reasons.length > 0;
  const approver = approvedBy?.trim() || undefined;
  return {
    stack: estimate.stack,
    thresholds,
    over,
    reasons,
    ...(over && approver ? { approvedBy: approver } : {}),
    passes: !over || approver !== undefined,
  };
}
