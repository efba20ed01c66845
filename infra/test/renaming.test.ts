import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStackConfig } from "../stack-config";
import { type ProgramRun, repoRoot, runProgram } from "../under-mocks/mocks";
import { ofType } from "./stacks";

/**
 * README "Renaming": `pulumi stack rename dev development` keeps the stack's settings file (renamed with it) but
 * changes `pulumi.getStack()`. Whatever the program names after the stack then changes; the EKS cluster's name
 * must not, because a new name replaces the cluster (and everything in it).
 */
let projectDir: string;
beforeAll(() => {
  projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "renamed-stack-"));
  fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
  for (const stack of ["dev", "prod"]) {
    fs.copyFileSync(
      path.join(repoRoot, `Pulumi.${stack}.yaml`),
      path.join(projectDir, `Pulumi.${stack}-renamed.yaml`),
    );
  }
});
afterAll(() => fs.rmSync(projectDir, { recursive: true, force: true }));

const clusterNames = (run: ProgramRun) =>
  ofType(run.resources, "aws:eks/cluster:Cluster").map((c) => c.inputs.name as string);
const vpcNames = (run: ProgramRun) =>
  ofType(run.resources, "aws:ec2/vpc:Vpc").map((v) => (v.inputs.tags as Record<string, string>).Name);

describe("renaming a stack keeps its cluster", () => {
  it.each(["dev", "prod"])("Pulumi.%s.yaml pins platform:clusterName", (stack) => {
    expect(readStackConfig(stack).config["platform:clusterName"]).toBe(`cost-aware-platform-${stack}`);
  });

  it.each(["dev", "prod"])(
    "%s renamed: the same EKS cluster and VPC names, only the stack tag follows the new name",
    async (stack) => {
      const before = await runProgram(stack);
      const after = await runProgram(`${stack}-renamed`, {}, { projectDir });
      expect(clusterNames(before)).toEqual([`cost-aware-platform-${stack}`]);
      expect(clusterNames(after)).toEqual(clusterNames(before));
      expect(vpcNames(after)).toEqual(vpcNames(before));
      // What does follow the stack's name (README "Renaming"): its tag, hence the budget's filter.
      const [budget] = ofType(after.resources, "aws:budgets/budget:Budget");
      expect(budget?.inputs.costFilters[0].values).toEqual([`user:stack$${stack}-renamed`]);
    },
  );
});
