import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PRICE_TABLE, exact, loadPriceTable } from "@platform/prices";
import { afterAll, describe, expect, it } from "vitest";
import { costFromArgs } from "./cli";
import { estimateChanges } from "./estimate";
import { NODE_GROUP, nodeGroup, preview, step } from "./fixtures";
import { evaluateGuardrail, guardrailFor } from "./guardrail";
import { renderMarkdown } from "./markdown";
import { changesFromPreview, neverDeployed, type PreviewStep } from "./preview";
import { listStacks, stackConfig, stackMonthlyBudget } from "./stack-files";
import { loadUsage } from "./usage-file";

const table = loadPriceTable(AWS_PRICE_TABLE);
const ROLE = "aws:iam/role:Role";
/** The stack resource: a create only on a stack never deployed. */
const stackStep = (op: string): PreviewStep => ({
  op,
  urn: "urn:pulumi:dev::cost-aware-platform::pulumi:pulumi:Stack::cost-aware-platform-dev",
  ...(op === "create" ? {} : { oldState: { type: "pulumi:pulumi:Stack", inputs: {} } }),
  newState: { type: "pulumi:pulumi:Stack", inputs: {} },
});
const scratch = mkdtempSync(join(tmpdir(), "cost-guardrail-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// 2 → 3 t3.large nodes: before 2 × $60.74 + 2 × $1.60 = $124.67 (t3.large $60.736 → $60.74, 20 GiB $1.60),
// after $187.01: an increase of $62.34, 50.0 %.
const scaleUp = estimateChanges(
  changesFromPreview(
    preview([step("update", NODE_GROUP, "nodes", nodeGroup("t3.large", 2), nodeGroup("t3.large", 3))]),
  ),
  table,
  { stack: "dev", region: "us-east-1", usage: {}, monthStart: new Date("2026-12-01T00:00:00Z") },
);

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
    const fresh = estimateChanges(
      changesFromPreview(preview([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2))])),
      table,
      { stack: "dev", region: "us-east-1", usage: {}, monthStart: new Date("2026-12-01T00:00:00Z") },
    );
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
    const firstDeploy = estimateChanges(changesFromPreview(firstDigest), table, {
      stack: "dev",
      region: "us-east-1",
      usage: {},
      monthStart: new Date("2026-12-01T00:00:00Z"),
    });
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

    it("fails above $50 without the cost-approved label, though nothing was billed before", async () => {
      const file = join(scratch, "existing-to-eks.json");
      writeFileSync(file, JSON.stringify(digest));
      const run = await costFromArgs(["--preview", file, "--stack", "dev", "--at", "2026-12-01"]);
      expect(run.estimate.totalBefore.toFixed(2)).toBe("0.00");
      expect(run.estimate.totalAfter.toFixed(2)).toBe("124.67");
      expect(run.guardrail).toMatchObject({ firstDeploy: false, over: true, passes: false });
      expect(run.guardrail?.reasons).toContain(
        "the monthly increase of +$124.67 is above the stack's guardrail of $50.00",
      );
      expect(run.exitCode).toBe(3);
      expect(run.output).not.toContain("First deploy");
    });

    it("the same stack never deployed (every step a create) takes the first-deploy path", async () => {
      const file = join(scratch, "never-deployed.json");
      writeFileSync(
        file,
        JSON.stringify(
          preview([
            stackStep("create"),
            step("create", ROLE, "nodes-role", undefined, { assumeRolePolicy: "{}" }),
            step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2)),
          ]),
        ),
      );
      const run = await costFromArgs(["--preview", file, "--stack", "dev", "--at", "2026-12-01"]);
      // Judged by dev's budget as Pulumi.dev.yaml sets it, whatever a user set there.
      const over = run.estimate.totalAfter.greaterThan(stackMonthlyBudget("dev").monthlyUsd);
      expect(run.guardrail).toMatchObject({ firstDeploy: true, over });
      expect(run.output).toContain("First deploy of stack `dev`: the increase guardrail does not apply");
    });
  });

  it("reads each stack's guardrail from .github/stacks.json", () => {
    expect(guardrailFor("dev")).toEqual({ monthlyIncreaseUsd: exact(50), monthlyIncreasePercent: exact(20) });
    expect(guardrailFor("prod")).toEqual({
      monthlyIncreaseUsd: exact(100),
      monthlyIncreasePercent: exact(10),
    });
    expect(guardrailFor("local")).toBeUndefined();
  });

  it("names a malformed guardrail", () => {
    const file = join(scratch, "stacks.json");
    writeFileSync(
      file,
      JSON.stringify({ stacks: [{ name: "dev", costGuardrail: { monthlyIncreaseUsd: "lots" } }] }),
    );
    expect(() => guardrailFor("dev", file)).toThrow(/stacks.0.costGuardrail.monthlyIncreaseUsd/);
    writeFileSync(file, JSON.stringify({ stacks: [{ name: "dev", costGuardrail: {} }] }));
    expect(() => guardrailFor("dev", file)).toThrow(/set monthlyIncreaseUsd, monthlyIncreasePercent or both/);
  });
});

describe("stack files", () => {
  it("says which Pulumi.<stack>.yaml is missing and which stacks there are", () => {
    expect(listStacks()).toEqual(["dev", "local", "prod"]);
    expect(() => stackConfig("nope")).toThrow(
      "Pulumi.nope.yaml does not exist at the repository root; the stacks there are: dev, local, prod",
    );
  });

  it("reads the monthly budget where the program reads it", () => {
    expect(stackMonthlyBudget("dev").monthlyUsd.toFixed(2)).toBe("300.00");
    expect(stackMonthlyBudget("prod").monthlyUsd.toFixed(2)).toBe("1500.00");
    // local sets none: the program's default
    expect(stackMonthlyBudget("local")).toMatchObject({
      source: "cost.monthlyBudgetUsd default (alerts/settings.yaml)",
    });
  });

  it("warns when the after-cost is above the budget", () => {
    const budget = {
      monthlyUsd: exact(150),
      source: "Pulumi.dev.yaml platform:thresholds.cost.monthlyBudgetUsd",
    };
    expect(renderMarkdown(scaleUp, undefined, { budget })).toContain(
      "⚠️ $187.01 is above the stack's monthly budget of $150.00 (Pulumi.dev.yaml platform:thresholds.cost.monthlyBudgetUsd).",
    );
  });
});

describe("the usage file", () => {
  it("applies the defaults and a stack's own figures over them", () => {
    const file = join(scratch, "usage.yaml");
    writeFileSync(
      file,
      "defaults:\n  natGateway: { dataProcessedGb: 50 }\n  kms: { requestsPerKey: 1000 }\nstacks:\n  prod:\n    natGateway: { dataProcessedGb: 200.5 }\n",
    );
    expect(loadUsage("dev", file).natGatewayDataProcessedGb?.toFixed()).toBe("50");
    expect(loadUsage("prod", file).natGatewayDataProcessedGb?.toFixed()).toBe("200.5");
    expect(loadUsage("prod", file).kmsRequestsPerKey?.toFixed()).toBe("1000");
  });

  it("names a key it does not know and a bad amount", () => {
    const file = join(scratch, "bad-usage.yaml");
    writeFileSync(file, "defaults:\n  natGateway: { dataGb: 50 }\n  kms: { requestsPerKey: -1 }\n");
    expect(() => loadUsage("dev", file)).toThrow(
      /defaults.natGateway[\s\S]*dataGb[\s\S]*defaults.kms.requestsPerKey/,
    );
  });

  it("checks the checked-in usage file", () => {
    expect(loadUsage("prod").natGatewayDataProcessedGb?.toFixed()).toBe("200");
  });
});
