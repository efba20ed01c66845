import { describe, expect, it } from "vitest";
import { callerAdminProblem, roleOf } from "../preflight";
import { readStackConfig } from "../stack-config";
import { mockCallerOf } from "../testing/mock-caller";
import { runProgram } from "../testing/mocks";

const admin = "arn:aws:iam::123456789012:role/platform-deploy";

describe("what pulumi up checks before it creates anything", () => {
  it("reads the role of an assumed-role session and of a role ARN with a path", () => {
    expect(roleOf("arn:aws:sts::123456789012:assumed-role/platform-deploy/deploy-42-dev")).toEqual({
      account: "123456789012",
      name: "platform-deploy",
    });
    expect(
      roleOf("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1"),
    ).toEqual({ account: "123456789012", name: "AWSReservedSSO_Admin_1" });
    expect(roleOf("arn:aws:iam::123456789012:user/alice")).toBeUndefined();
  });

  it("admits only a caller whose role (account and name) is a cluster admin", () => {
    const session = "arn:aws:sts::123456789012:assumed-role/platform-deploy/s";
    expect(callerAdminProblem(session, [admin])).toBeUndefined();
    expect(callerAdminProblem(session, ["arn:aws:iam::210987654321:role/platform-deploy"])).toMatch(
      /^platform:clusterAdminRoleArns: pulumi up runs as .*platform-deploy\/s, which is not among/,
    );
    expect(
      callerAdminProblem("arn:aws:sts::123456789012:assumed-role/ci-deploy-1a2b/s", [admin]),
    ).toBeDefined();
    expect(callerAdminProblem("arn:aws:iam::123456789012:user/alice", [admin])).toBeDefined();
  });

  it("stops pulumi up before any AWS resource when the caller is no cluster admin", async () => {
    const error = await runProgram(
      "dev",
      {},
      {
        invoke: (token) =>
          token === "aws:index/getCallerIdentity:getCallerIdentity"
            ? { accountId: "123456789012", arn: "arn:aws:sts::123456789012:assumed-role/someone-else/s" }
            : undefined,
      },
    ).then(
      () => undefined,
      (failure: Error & { registeredResources?: { type: string }[] }) => failure,
    );
    expect(String(error?.message)).toContain("platform:clusterAdminRoleArns: pulumi up runs as");
    // Only the checks' own provider was registered: nothing in the cloud.
    expect(error?.registeredResources?.map((r) => r.type)).toEqual(["pulumi:providers:aws"]);
  });

  it("stops pulumi up when an image the Deployments name is not in ECR, saying how to push it", async () => {
    const error = await runProgram(
      "dev",
      {},
      {
        invoke: (token, inputs) => {
          if (
            token === "aws:ecr/getImage:getImage" &&
            inputs.repositoryName === "cost-aware-platform/traffic"
          ) {
            throw new Error("ImageNotFoundException");
          }
          return undefined;
        },
      },
    ).then(
      () => undefined,
      (failure: Error) => failure,
    );
    // The registry of the account the mocks run in: the stack file's first cluster admin's.
    const { accountId } = mockCallerOf(readStackConfig("dev").config);
    const registry = `${accountId}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com`;
    expect(String(error?.message)).toMatch(
      new RegExp(`images not in ECR: (${registry})/cost-aware-platform/traffic:src-[0-9a-f]+\\.`),
    );
    const [, pushedTo] = /images not in ECR: ([^/]+)\//.exec(String(error?.message)) ?? [];
    expect(String(error?.message)).toContain(`bash .github/scripts/push-images.sh ${pushedTo}`);
  });

  it("checks every image of the stack on up, and nothing on preview", async () => {
    const up = await runProgram("dev");
    const checked = up.invokes
      .filter((i) => i.token === "aws:ecr/getImage:getImage")
      .map((i) => i.inputs.repositoryName);
    expect(checked.sort()).toEqual([
      "cost-aware-platform/cost-exporter",
      "cost-aware-platform/storefront",
      "cost-aware-platform/traffic",
    ]);
    const preview = await runProgram("dev", {}, { dryRun: true });
    expect(preview.invokes.filter((i) => i.token === "aws:ecr/getImage:getImage")).toEqual([]);
  });
});
