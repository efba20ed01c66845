import { describe, expect, it } from "vitest";
import { loadDefaultThresholds, resolveThresholds } from "./thresholds.js";

describe("thresholds", () => {
  const defaults = loadDefaultThresholds();

  it("defaults come from thresholds/thresholds.yaml", () => {
    expect(defaults.cost.monthlyBudgetUsd).toBe(1500);
    expect(defaults.slo.latencyThresholdSeconds).toBe(0.3);
    expect(defaults.runbookBaseUrl).not.toMatch(/\/$/);
  });

  it("a stack's override replaces only what it names", () => {
    const { thresholds, problems } = resolveThresholds({ cost: { monthlyBudgetUsd: 300 } });
    expect(problems).toEqual([]);
    expect(thresholds).toEqual({ ...defaults, cost: { ...defaults.cost, monthlyBudgetUsd: 300 } });
    expect(resolveThresholds(undefined).thresholds).toEqual(defaults);
  });

  it("accepts numbers written as text, as `pulumi config set --path` may store them", () => {
    expect(resolveThresholds({ slo: { availabilityObjective: "0.995" } }).thresholds?.slo).toMatchObject({
      availabilityObjective: 0.995,
    });
  });

  it.each([
    [{ cost: { monthlyBudgetUsd: -5 } }, "cost.monthlyBudgetUsd", "Too small"],
    [{ cost: { monthlyBudgetUsd: "lots" } }, "cost.monthlyBudgetUsd", "expected number"],
    [{ slo: { availabilityObjective: 1.2 } }, "slo.availabilityObjective", "Too big"],
    [{ cost: { monthlyBudget: 300 } }, "cost.monthlyBudget", "not a threshold"],
    [{ budget: 300 }, "budget", "not a threshold"],
    [{ cost: 300 }, "cost", "expected object"],
    [
      { business: { minPredictedOrdersForFullStop: 0 } },
      "business.minPredictedOrdersForFullStop",
      "Too small",
    ],
    [{ runbookBaseUrl: "not a url" }, "runbookBaseUrl", "Invalid URL"],
    [[1, 2], "(root)", "expected an object"],
  ])("names the path of a bad value: %j", (override, path, message) => {
    const { thresholds, problems } = resolveThresholds(override);
    expect(thresholds).toBeUndefined();
    expect(problems).toEqual([{ path, message: expect.stringContaining(message) }]);
  });
});
