import { describe, expect, it } from "vitest";
import { callerPrincipalOf } from "../iam-arns";
import { callerAdminProblem } from "../preflight";
import { readStackConfig } from "../stack-config";
import { mockCallerOf } from "../under-mocks/mock-caller";
import { runProgram } from "../under-mocks/mocks";
import { ofType } from "./stacks";

const admin = "arn:aws:iam::123456789012:role/platform-deploy";

describe("what pulumi up checks before it creates anything", () => {
  it("reads the principal of an assumed-role session, a role ARN with a path and an IAM user", () => {
    expect(callerPrincipalOf("arn:aws:sts::123456789012:assumed-role/platform-deploy/deploy-42-dev")).toEqual(
      {
        kind: "role",
        partition: "aws",
        account: "123456789012",
        name: "platform-deploy",
      },
    );
    expect(
      callerPrincipalOf(
        "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1",
      ),
    ).toMatchObject({ kind: "role", account: "123456789012", name: "AWSReservedSSO_Admin_1" });
    expect(callerPrincipalOf("arn:aws:iam::123456789012:user/ops/alice")).toEqual({
      kind: "user",
      partition: "aws",
      account: "123456789012",
      name: "alice",
      path: "/ops/",
    });
    expect(callerPrincipalOf("arn:aws:iam::123456789012:root")).toBeUndefined();
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

  it("admits an IAM Identity Center session by its reserved role, path and all", () => {
    const ssoRole =
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789";
    const ssoSession =
      "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789/alice@example.com";
    expect(callerAdminProblem(ssoSession, [admin, ssoRole])).toBeUndefined();
    expect(callerAdminProblem(ssoSession, [admin])).toBeDefined();
  });

  it("admits an IAM user (a new account's access keys) exactly: account, path and name", () => {
    const alice = "arn:aws:iam::123456789012:user/ops/alice";
    expect(callerAdminProblem(alice, [admin, alice])).toBeUndefined();
    // Another path, another account, or a role of the same name is someone else.
    expect(callerAdminProblem(alice, ["arn:aws:iam::123456789012:user/alice"])).toBeDefined();
    expect(callerAdminProblem(alice, ["arn:aws:iam::210987654321:user/ops/alice"])).toBeDefined();
    expect(callerAdminProblem(alice, ["arn:aws:iam::123456789012:role/ops/alice"])).toBeDefined();
    expect(callerAdminProblem("arn:aws:sts::123456789012:assumed-role/alice/s", [alice])).toBeDefined();
    expect(callerAdminProblem("arn:aws:iam::123456789012:user/ops/bob", [alice])).toMatch(
      /user\/ops\/bob, which is not among/,
    );
  });

  it("pulumi up as an IAM user named in clusterAdminRoleArns: the preflight passes and the user gets the admin entry", async () => {
    const alice = "arn:aws:iam::210987654321:user/ops/alice";
    const run = await runProgram("dev", { clusterAdminRoleArns: JSON.stringify([alice]) });
    expect(run.caller.arn).toBe(alice);
    const [entry] = ofType(run.resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
    expect(entry?.inputs).toMatchObject({
      principalArn: alice,
      policyArn: expect.stringMatching(/AmazonEKSClusterAdminPolicy$/),
    });
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
