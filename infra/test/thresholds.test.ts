import { beforeAll, describe, expect, it } from "vitest";
import { loadDefaultThresholds } from "../../thresholds/thresholds";
import type { MockedResource, ProgramRun } from "../under-mocks/mocks";
import { exampleStackRuns, ofType, type StackRuns } from "./stacks";

/**
 * One budget per stack: the AWS Budget, ForecastOverBudget in the PrometheusRule the cluster loads, and
 * the budget line of the dashboards the cluster loads are the same number, read from the stack's
 * `platform:thresholds` (or the default in thresholds/thresholds.yaml).
 */
let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
const rulesOf = (run: ProgramRun): Rule[] =>
  ofType(run.resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").flatMap((r: MockedResource) =>
    (r.inputs.spec.groups as { rules: Rule[] }[]).flatMap((g) => g.rules),
  );

/** The single number a rule compares with or publishes, e.g. `… > 300` or `vector(300)`. */
function numberIn(expr: string, pattern: RegExp): number {
  const match = pattern.exec(expr);
  if (!match?.[1]) throw new Error(`no number matching ${pattern} in ${expr}`);
  return Number(match[1]);
}

function awsBudget(run: ProgramRun): number | undefined {
  const budgets = ofType(run.resources, "aws:budgets/budget:Budget");
  expect(budgets.length).toBeLessThanOrEqual(1);
  return budgets[0] ? Number(budgets[0].inputs.limitAmount) : undefined;
}

function forecastOverBudgetThreshold(run: ProgramRun): number {
  const [alert, ...others] = rulesOf(run).filter((r) => r.alert === "ForecastOverBudget");
  expect(others).toEqual([]);
  if (!alert) throw new Error("no ForecastOverBudget in the PrometheusRules");
  return numberIn(alert.expr, /^platform:aws_cost_month_forecast:usd > ([\d.]+)$/);
}

/**
 * What the dashboards the cluster loads draw as the budget: every "budget" line is a series, resolved
 * through the recording rule (in the same stack's PrometheusRules) that publishes it.
 */
function dashboardBudgetLines(run: ProgramRun): number[] {
  const rules = rulesOf(run);
  const dashboards = ofType(run.resources, "kubernetes:core/v1:ConfigMap")
    .filter((c) => c.inputs.metadata?.labels?.grafana_dashboard === "1")
    .flatMap((c) => Object.values(c.inputs.data as Record<string, string>).map((text) => JSON.parse(text)));
  const lines = dashboards.flatMap(
    (d: { panels: { targets?: { expr: string; legendFormat?: string }[] }[] }) =>
      d.panels.flatMap((p) => (p.targets ?? []).filter((t) => t.legendFormat === "budget")),
  );
  expect(lines.length).toBeGreaterThanOrEqual(2);
  return lines.map(({ expr }) => {
    const published = rules.find((r) => r.record === expr);
    if (!published) throw new Error(`the budget line ${expr} is no series the stack's rules record`);
    return numberIn(published.expr, /^vector\(([\d.]+)\)$/);
  });
}

describe("the stack's monthly budget", () => {
  it.each(["dev", "prodLike", "local"] as const)(
    "%s: the AWS Budget, ForecastOverBudget and the dashboards' budget line are one number",
    (stack) => {
      const run = runs[stack];
      const budget = forecastOverBudgetThreshold(run);
      expect(dashboardBudgetLines(run)).toEqual(dashboardBudgetLines(run).map(() => budget));
      expect(run.outputs.monthlyBudgetUsd).toBe(budget);
      if (stack === "local") {
        // An existing cluster creates no AWS resource, so no AWS Budget either.
        expect(awsBudget(run)).toBeUndefined();
      } else {
        expect(awsBudget(run)).toBe(budget);
      }
    },
  );

  it("dev sets its own budget, so the check above compares a stack's number and not the default", () => {
    const defaults = loadDefaultThresholds();
    expect(forecastOverBudgetThreshold(runs.dev)).toBe(300);
    expect(defaults.cost.monthlyBudgetUsd).not.toBe(300);
    expect(forecastOverBudgetThreshold(runs.local)).toBe(defaults.cost.monthlyBudgetUsd);
  });
});
