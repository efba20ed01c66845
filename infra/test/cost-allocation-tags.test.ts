import { describe, expect, it } from "vitest";
import { costAllocationTagKeys } from "../bootstrap/cost-allocation-tags";
import { readCiStacks } from "../ci-stacks";
import { runBootstrap } from "./bootstrap-run";
import { ofType } from "./stacks";

/** Cost-allocation tags activated by the bootstrap, when asked to (after the keys appear on billed usage). */
describe("cost-allocation tags by code", () => {
  it("are off by default: AWS refuses a key it has not seen on billed usage yet", async () => {
    const run = await runBootstrap();
    expect(ofType(run.resources, "aws:costexplorer/costAllocationTag:CostAllocationTag")).toEqual([]);
    expect(run.outputs.costAllocationTags).toEqual([]);
  });

  it("with activateCostAllocationTags, every key the platform tags with is activated, through the bootstrap's provider", async () => {
    const run = await runBootstrap({ activateCostAllocationTags: "true" });
    const tags = ofType(run.resources, "aws:costexplorer/costAllocationTag:CostAllocationTag");
    expect(tags.map((t) => t.inputs)).toEqual(
      ["project", "stack", "service", "managed-by"].map((tagKey) => ({ tagKey, status: "Active" })),
    );
    for (const tag of tags) expect(tag.provider).toMatch(/pulumi:providers:aws::aws-bootstrap::/);
    expect(run.outputs.costAllocationTags).toEqual(["project", "stack", "service", "managed-by"]);
  });

  it("a stack's own platform:costTagKey is activated too (the budget and the reconciliation read it)", () => {
    const settings: Record<string, Record<string, string>> = {
      dev: {},
      prod: { "platform:costTagKey": "cost-center" },
    };
    expect(costAllocationTagKeys(readCiStacks(), (stack) => settings[stack] ?? {})).toEqual([
      "project",
      "stack",
      "service",
      "managed-by",
      "cost-center",
    ]);
  });
});
