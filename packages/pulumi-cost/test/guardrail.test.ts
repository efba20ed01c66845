import { exact } from "@platform/prices";
import { describe, expect, it } from "vitest";
import { costConfig } from "../src/config.js";
import { evaluateGuardrail } from "../src/guardrail.js";
import { renderMarkdown } from "../src/markdown.js";
import { checkPreview, neverDeployed, type PreviewStep } from "../src/preview.js";
import { costOfPreview } from "../src/run.js";
import { DEC_1, estimateOf, NODE_GROUP, nodeGroup, preview, step, TABLE } from "./fixtures.js";

const ROLE = "aws:iam/role:Role";
/** The stack resource: a create only on a stack never deployed. */
const stackStep = (op: string): PreviewStep => ({
  op,
  urn: "urn:pulumi:dev::cost-aware-platform::pulumi:pulumi:Stack::cost-aware-platform-dev",
  ...(op === "create" ? {} : { oldState: { type: "pulumi:pulumi:Stack", inputs: {} } }),
  newState: { type: "pulumi:pulumi:Stack", inputs: {} },
});

// 2 → 3 t3.large nodes: before 2 × $60.74 + 2 × $1.60 = $124.67 (t3.large $60.736 → $60.74, 20 GiB $1.60),
// after $187.01: an increase of $62.34, 50.0 %.
const scaleUp = estimateOf([
  step("update", NODE_GROUP, "nodes", nodeGroup("t3.large", 2), nodeGroup("t3.large", 3)),
]);

/** A preview priced as the CLI prices it, with a guardrail of $50 or 20 % and a budget of $300. */
const run = (steps: PreviewStep[]) =>
  costOfPreview({
    preview: checkPreview(preview(steps)),
    config: costConfig({
      guardrail: { monthlyIncreaseUsd: 50, monthlyIncreasePercent: 20 },
      budget: { monthlyUsd: 300, source: "the project's settings" },
    }),
    table: TABLE,
    monthStart: DEC_1,
    format: "markdown",
  });

describe("the cost guardrail", () => {
  it("passes an increase within every threshold", () => {
    const outcome = evaluateGuardrail(scaleUp, {
      monthlyIncreaseUsd: exact(100),
      monthlyIncreasePercent: exact(60),
    });
    expect(outcome).toMatchObject({ over: false, passes: true, reasons: [] });
    expect(renderMarkdown(scaleUp, undefined, { guardrail: outcome })).toContain(
      "✅ Within stack `dev`'s cost guardrail (an increase of at most $100.00 a month or 60%).",
    );
  });

  it("fails an increase above the dollar threshold, and says why and how to approve it", () => {
    const outcome = evaluateGuardrail(scaleUp, { monthlyIncreaseUsd: exact(50) });
    expect(outcome.reasons).toEqual([
      "the monthly increase of +$62.34 is above the stack's guardrail of $50.00",
    ]);
    expect(outcome.passes).toBe(false);
    expect(renderMarkdown(scaleUp, undefined, { guardrail: outcome })).toContain(
      "❌ Over stack `dev`'s cost guardrail: the monthly increase of +$62.34 is above the stack's guardrail of $50.00. The preview check fails until a maintainer adds the `cost-approved` label.",
    );
  });

  it("fails an increase above the per-cent threshold alone", () => {
    const outcome = evaluateGuardrail(scaleUp, {
      monthlyIncreaseUsd: exact(100),
      monthlyIncreasePercent: exact(20),
    });
    // $62.34 / $124.67 = 50.0 %
    expect(outcome.reasons).toEqual(["the increase of 50% is above the stack's guardrail of 20%"]);
  });

  it("passes when a maintainer approved, and the comment says who", () => {
    const outcome = evaluateGuardrail(scaleUp, { monthlyIncreaseUsd: exact(50) }, { approvedBy: "octocat" });
    expect(outcome).toMatchObject({ over: true, passes: true, approvedBy: "octocat" });
    expect(renderMarkdown(scaleUp, undefined, { guardrail: outcome })).toContain(
      "approved by @octocat with the `cost-approved` label",
    );
  });

  it("does not apply a per cent to a stack that had nothing before; a fall is always within", () => {
    const fresh = estimateOf([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2))]);
    expect(evaluateGuardrail(fresh, { monthlyIncreasePercent: exact(10) }).over).toBe(false);
    expect(evaluateGuardrail(fresh, { monthlyIncreaseUsd: exact(100) }).over).toBe(true);
  });

  describe("a stack never deployed (every step a create) is judged against its monthly budget", () => {
    // 2 new t3.large nodes: 2 × 730 h × $0.0832 = $121.472 → $121.47, 2 × 20 GiB × $0.08 = $3.20: $124.67 after,
    // $0 before. By the increase rule +$124.67 is over $50; the first deploy of a stack is its budget's business.
    // Never deployed: every step a create, the stack resource's too.
    const firstDigest = preview([
      stackStep("create"),
      step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2)),
    ]);
    const firstDeploy = estimateOf(firstDigest.steps);
    const asFirstDeploy = (monthlyUsd: string, approvedBy?: string) => ({
      budget: budget(monthlyUsd),
      neverDeployed: neverDeployed(firstDigest),
      ...(approvedBy ? { approvedBy } : {}),
    });
    const thresholds = { monthlyIncreaseUsd: exact(50), monthlyIncreasePercent: exact(20) };
    const budget = (usd: string) => ({
      monthlyUsd: exact(usd),
      source: "Pulumi.dev.yaml platform:thresholds",
    });

    it("within the budget it passes, and the comment says the increase guardrail does not apply", () => {
      expect(firstDeploy.totalBefore.toFixed(2)).toBe("0.00");
      expect(firstDeploy.totalAfter.toFixed(2)).toBe("124.67");
      const outcome = evaluateGuardrail(firstDeploy, thresholds, asFirstDeploy("300"));
      expect(outcome).toMatchObject({ firstDeploy: true, over: false, passes: true, reasons: [] });
      const comment = renderMarkdown(firstDeploy, undefined, { guardrail: outcome, budget: budget("300") });
      expect(comment).toContain(
        "✅ First deploy of stack `dev`: the increase guardrail does not apply; $124.67 of budget $300.00 (Pulumi.dev.yaml platform:thresholds).",
      );
      expect(comment).not.toContain("Over stack");
    });

    it("at exactly the budget it passes; a cent above fails, saying so, until approved", () => {
      expect(evaluateGuardrail(firstDeploy, thresholds, asFirstDeploy("124.67")).over).toBe(false);
      const over = evaluateGuardrail(firstDeploy, thresholds, asFirstDeploy("124.66"));
      expect(over).toMatchObject({ firstDeploy: true, over: true, passes: false });
      expect(over.reasons).toEqual(["the monthly total of $124.67 is above the stack's budget of $124.66"]);
      const comment = renderMarkdown(firstDeploy, undefined, { guardrail: over, budget: budget("124.66") });
      expect(comment).toContain(
        "❌ First deploy of stack `dev`: the increase guardrail does not apply; $124.67 of budget $124.66 (Pulumi.dev.yaml platform:thresholds): the monthly total of $124.67 is above the stack's budget of $124.66. The preview check fails until a maintainer adds the `cost-approved` label.",
      );
      // Said once: no separate budget warning beside it.
      expect(comment).not.toContain("⚠️ $124.67 is above the stack's monthly budget");
      expect(evaluateGuardrail(firstDeploy, thresholds, asFirstDeploy("124.66", "octocat"))).toMatchObject({
        over: true,
        passes: true,
        approvedBy: "octocat",
      });
    });

    it("a stack that already costs something keeps the increase rule, whatever its budget", () => {
      const outcome = evaluateGuardrail(
        scaleUp,
        { monthlyIncreaseUsd: exact(50) },
        { budget: budget("1000"), neverDeployed: false },
      );
      expect(outcome).toMatchObject({ firstDeploy: false, over: true });
      expect(outcome.reasons).toEqual([
        "the monthly increase of +$62.34 is above the stack's guardrail of $50.00",
      ]);
    });
  });

  describe("a stack already deployed whose resources cost nothing keeps the increase rule", () => {
    // An existing cluster's stack moving to `eks`: its stack resource and an IAM role are unchanged and free,
    // the node group is new: $0 before, $124.67 after, +$124.67 over dev's $50, within dev's budget.
    const digest = preview([
      stackStep("same"),
      step("same", ROLE, "nodes-role", { assumeRolePolicy: "{}" }, { assumeRolePolicy: "{}" }),
      step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2)),
    ]);

    it("is not a first deploy: it has steps other than create", () => {
      expect(neverDeployed(digest)).toBe(false);
      expect(neverDeployed(preview([stackStep("create"), step("create", ROLE, "r", undefined, {})]))).toBe(
        true,
      );
      expect(neverDeployed(preview([]))).toBe(false);
    });

    it("fails above $50 without the cost-approved label, though nothing was billed before", () => {
      const result = run(digest.steps);
      expect(result.estimate.totalBefore.toFixed(2)).toBe("0.00");
      expect(result.estimate.totalAfter.toFixed(2)).toBe("124.67");
      expect(result.guardrail).toMatchObject({ firstDeploy: false, over: true, passes: false });
      expect(result.guardrail?.reasons).toContain(
        "the monthly increase of +$124.67 is above the stack's guardrail of $50.00",
      );
      expect(result.exitCode).toBe(3);
      expect(result.output).not.toContain("First deploy");
    });

    it("the same stack never deployed (every step a create) takes the first-deploy path", () => {
      const result = run([
        stackStep("create"),
        step("create", ROLE, "nodes-role", undefined, { assumeRolePolicy: "{}" }),
        step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2)),
      ]);
      expect(result.guardrail).toMatchObject({ firstDeploy: true, over: false, passes: true });
      expect(result.output).toContain(
        "✅ First deploy of stack `dev`: the increase guardrail does not apply; $124.67 of budget $300.00 (the project's settings).",
      );
    });
  });
});
