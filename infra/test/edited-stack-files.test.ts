import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { estimateOfStack } from "../cost/stack-estimate";
import { repoRoot, runProgram, runProgramUnderMocks } from "../under-mocks/mocks";
import { ofType } from "./stacks";

/**
 * The README has a user put their own role ARNs into Pulumi.dev.yaml and Pulumi.prod.yaml and commit them.
 * The tests, `npm run cost` and `npm start` run the program from those same files under mocks, as `pulumi up`
 * (preflight included): a user's ARNs must not turn them red. Here the repository's stack files are copied with
 * another account, role paths and an IAM Identity Center role, as a new account's bootstrap would name them.
 */
const account = "210987654321";
const edited = {
  clusterAdminRoleArns: [
    `arn:aws:iam::${account}:role/ci/cost-aware-platform-ci-deploy-3f9a2b1`,
    `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef`,
  ],
  clusterViewerRoleArns: [
    `arn:aws:iam::${account}:role/ci/cost-aware-platform-ci-preview-1a2b3c4`,
    `arn:aws:iam::${account}:role/ci/cost-aware-platform-ci-drift-9z8y7x6`,
  ],
};

let projectDir: string;
beforeAll(() => {
  projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "edited-stacks-"));
  fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
  for (const stack of ["dev", "prod"]) {
    const document = parseDocument(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8"));
    document.setIn(["config", "platform:clusterAdminRoleArns"], edited.clusterAdminRoleArns);
    document.setIn(["config", "platform:clusterViewerRoleArns"], edited.clusterViewerRoleArns);
    fs.writeFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), document.toString());
  }
});
afterAll(() => fs.rmSync(projectDir, { recursive: true, force: true }));

describe("stack files with a user's own role ARNs", () => {
  it.each(["dev", "prod"])(
    "%s: pulumi up under mocks passes the preflight and grants exactly those ARNs",
    async (stack) => {
      const run = await runProgram(stack, {}, { projectDir });
      expect(run.caller.arn).toBe(
        `arn:aws:sts::${account}:assumed-role/cost-aware-platform-ci-deploy-3f9a2b1/mock-session`,
      );
      const associations = ofType(run.resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
      expect(associations.map((a) => [a.inputs.principalArn, a.inputs.policyArn.split("/").pop()])).toEqual([
        ...edited.clusterAdminRoleArns.map((arn) => [arn, "AmazonEKSClusterAdminPolicy"]),
        ...edited.clusterViewerRoleArns.map((arn) => [arn, "AmazonEKSViewPolicy"]),
      ]);
      // The images come from that account's registry, and the preflight looked every one of them up there.
      const images = ofType(run.resources, "kubernetes:apps/v1:Deployment").flatMap((d) =>
        d.inputs.spec.template.spec.containers.map((c: { image: string }) => c.image),
      );
      expect(images.length).toBeGreaterThan(0);
      for (const image of images)
        expect(image.startsWith(`${account}.dkr.ecr.us-east-1.amazonaws.com/`)).toBe(true);
      expect(run.invokes.filter((i) => i.token === "aws:ecr/getImage:getImage")).toHaveLength(images.length);
    },
  );

  // What `npm run cost -- --stack dev` does without --preview (infra/cost/run-program.ts, cli.ts).
  it("npm run cost's whole-stack estimate prices them as it prices the repository's own dev stack", async () => {
    const ours = await runProgramUnderMocks("dev", {}, { projectDir });
    const repository = await runProgramUnderMocks("dev");
    expect(ofType(ours, "aws:eks/accessEntry:AccessEntry").map((entry) => entry.inputs.principalArn)).toEqual(
      [...edited.clusterAdminRoleArns, ...edited.clusterViewerRoleArns],
    );
    const estimate = estimateOfStack("dev", ours);
    expect(estimate.totalAfter.toFixed(2)).toBe(estimateOfStack("dev", repository).totalAfter.toFixed(2));
    // Access entries are free: one more admin and the same viewers change no priced line.
    expect(estimate.counts.priced).toBe(estimateOfStack("dev", repository).counts.priced);
    expect(estimate.totalAfter.toNumber()).toBeGreaterThan(0);
  });
});
