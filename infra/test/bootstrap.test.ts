import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import { platformRolePath } from "../components/iam";
import { platformPolicies } from "../policy/policies";
import { type ProgramRun, repoRoot, runProgram } from "../testing/mocks";
import { violations } from "../testing/policy-args";
import { countByType, exampleStackRuns, ofType } from "./stacks";

const bootstrapDir = path.join(repoRoot, "infra", "bootstrap");

async function runBootstrap(overrides: Record<string, string> = {}): Promise<ProgramRun> {
  return runProgram("ci", overrides, {
    projectDir: bootstrapDir,
    configNamespace: "bootstrap",
    entry: async () => {
      const { defineBootstrap, loadBootstrapSettings } = await import("../bootstrap/bootstrap");
      const settings = loadBootstrapSettings();
      return async () => defineBootstrap(settings);
    },
  });
}

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const roleNamed = (run: ProgramRun, name: string) =>
  ofType(run.resources, "aws:iam/role:Role").find((r) => r.name === name);
const statementsOf = (run: ProgramRun, name: string): PolicyStatement[] =>
  (
    JSON.parse(
      ofType(run.resources, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === name)?.inputs.policy,
    ) as PolicyDocument
  ).Statement;
const trustOf = (run: ProgramRun, name: string) =>
  (JSON.parse(roleNamed(run, name)?.inputs.assumeRolePolicy) as PolicyDocument)
    .Statement[0] as PolicyStatement;

let ci: ProgramRun;
beforeAll(async () => {
  ci = await runBootstrap();
});

describe("CI bootstrap program", () => {
  it("inventory: OIDC provider, two roles with inline policies, a versioned encrypted private state bucket", () => {
    expect(countByType(ci.resources)).toEqual({
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1,
      "aws:iam/role:Role": 2,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "aws:kms/alias:Alias": 1,
      "aws:kms/key:Key": 1,
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
      "aws:s3/bucketPolicy:BucketPolicy": 1,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
      "aws:s3/bucketVersioning:BucketVersioning": 1,
      "pulumi:providers:aws": 1,
    });
    const [oidc] = ofType(ci.resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(oidc?.inputs).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  it("the state bucket is versioned, KMS-encrypted, blocks public access and refuses plain HTTP", () => {
    const one = (type: string) => ofType(ci.resources, type)[0]?.inputs;
    expect(one("aws:s3/bucketVersioning:BucketVersioning")?.versioningConfiguration.status).toBe("Enabled");
    expect(
      one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")?.rules[0]
        .applyServerSideEncryptionByDefault.sseAlgorithm,
    ).toBe("aws:kms");
    expect(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const policy = JSON.parse(one("aws:s3/bucketPolicy:BucketPolicy")?.policy);
    expect(policy.Statement[0]).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(one("aws:kms/key:Key")?.enableKeyRotation).toBe(true);
  });

  it("preview trusts pull requests and the drift check of one repository; deploy its environments", () => {
    const preview = trustOf(ci, "ci-preview");
    expect(preview.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(preview.Condition?.StringEquals).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": [
        "repo:your-org/cost-aware-platform:pull_request",
        "repo:your-org/cost-aware-platform:ref:refs/heads/main",
      ],
    });
    expect(trustOf(ci, "ci-deploy").Condition?.StringEquals).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": [
        "repo:your-org/cost-aware-platform:environment:dev",
        "repo:your-org/cost-aware-platform:environment:production",
      ],
      "token.actions.githubusercontent.com:job_workflow_ref":
        "your-org/cost-aware-platform/.github/workflows/pulumi-up.yml@refs/heads/main",
    });
    // Pull requests run preview.yml and drift.yml: no workflow pin on the read-only role.
    expect(preview.Condition?.StringEquals).not.toHaveProperty(
      "token.actions.githubusercontent.com:job_workflow_ref",
    );
  });

  it("deploy trusts only the deploy workflow that deploy.yml calls, as merged on the deploy branch", async () => {
    const deployYml = readFileSync(path.join(repoRoot, ".github/workflows/deploy.yml"), "utf8");
    const pinned = trustOf(ci, "ci-deploy").Condition?.StringEquals?.[
      "token.actions.githubusercontent.com:job_workflow_ref"
    ] as string;
    const workflowPath = pinned.split("@")[0]?.replace("your-org/cost-aware-platform/", "");
    expect(deployYml).toContain(`uses: ./${workflowPath}`);
    const run = await runBootstrap({ deployBranch: "release", stateBackend: "false" });
    expect(
      trustOf(run, "ci-deploy").Condition?.StringEquals?.[
        "token.actions.githubusercontent.com:job_workflow_ref"
      ],
    ).toBe("your-org/cost-aware-platform/.github/workflows/pulumi-up.yml@refs/heads/release");
  });

  it("trusts every subject the workflows present, for every stack in .github/stacks.json", () => {
    const { stacks } = JSON.parse(readFileSync(path.join(repoRoot, ".github/stacks.json"), "utf8")) as {
      stacks: { environment: string }[];
    };
    const deploySubjects = trustOf(ci, "ci-deploy").Condition?.StringEquals?.[
      "token.actions.githubusercontent.com:sub"
    ];
    for (const { environment } of stacks) {
      expect(deploySubjects).toContain(`repo:your-org/cost-aware-platform:environment:${environment}`);
    }
  });

  it("without environments, deploy trusts the main branch only", async () => {
    const run = await runBootstrap({ "bootstrap:deployEnvironments": "none", stateBackend: "false" });
    expect(
      trustOf(run, "ci-deploy").Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"],
    ).toBe("repo:your-org/cost-aware-platform:ref:refs/heads/main");
    expect(ofType(run.resources, "aws:s3/bucket:Bucket")).toEqual([]);
  });

  it("the preview role only reads (plus the state lock) and names every action", () => {
    for (const statement of statementsOf(ci, "ci-preview")) {
      for (const action of list(statement.Action)) {
        expect(action).not.toContain("*");
        const isStateKey = statement.Sid === "StateAndSecretsKey";
        const isRead =
          /^[a-z0-9-]+:(Get|List|Describe|View)[A-Za-z]*$/.test(action) ||
          (isStateKey && action === "kms:Decrypt");
        const isLock =
          ["s3:PutObject", "s3:DeleteObject"].includes(action) &&
          list(statement.Resource)[0]?.endsWith("/.pulumi/locks/*");
        // GenerateDataKey: the lock file is written to an SSE-KMS bucket (checked below to the state key).
        const isLockKey = isStateKey && action === "kms:GenerateDataKey";
        expect(isRead || isLock || isLockKey, `${statement.Sid}: ${action}`).toBe(true);
      }
    }
  });

  it("the preview role may use the state key to write its lock file, and only that key", () => {
    const keyArn = "arn:aws:kms:us-east-1:123456789012:key/state-mock";
    const keyStatements = statementsOf(ci, "ci-preview").filter((s) =>
      list(s.Action).some((a) => a.startsWith("kms:") && !/^kms:(Describe|Get|List)/.test(a)),
    );
    expect(keyStatements).toHaveLength(1);
    expect(list(keyStatements[0]?.Action).sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(list(keyStatements[0]?.Resource)).toEqual([keyArn]);
    const [encryption] = ofType(
      ci.resources,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    expect(encryption?.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(keyArn);
  });

  it("both roles may make the reads a deploy and a refresh make; account-less reads on Resource *", () => {
    for (const roleName of ["ci-preview", "ci-deploy"]) {
      const statements = statementsOf(ci, roleName);
      const grants = (action: string, resource?: string) =>
        statements.some(
          (s) =>
            s.Effect === "Allow" &&
            list(s.Action).includes(action) &&
            (resource === undefined || list(s.Resource).includes(resource)),
        );
      for (const action of [
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeNetworkInterfaces",
        "eks:DescribeAddonVersions",
      ]) {
        expect(grants(action, "*"), `${roleName}: ${action} on *`).toBe(true);
      }
      expect(grants("eks:DescribeUpdate", "arn:aws:eks:us-east-1:123456789012:cluster/*"), roleName).toBe(
        true,
      );
      // DescribeAddonVersions on an ARN is never authorised; no statement should pretend otherwise.
      const scopedAddonVersions = statements.filter(
        (s) =>
          list(s.Action).includes("eks:DescribeAddonVersions") && list(s.Resource).some((r) => r !== "*"),
      );
      expect(scopedAddonVersions).toEqual([]);
    }
  });

  it("the deploy role's IAM writes reach only the platform's role path and its managed policies", () => {
    const statements = statementsOf(ci, "ci-deploy");
    const iamWrites = statements.filter((s) =>
      list(s.Action).some((a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a)),
    );
    for (const statement of iamWrites) {
      const resources = list(statement.Resource);
      if (list(statement.Action).includes("iam:CreateServiceLinkedRole")) {
        expect(statement.Condition?.StringEquals?.["iam:AWSServiceName"]).toEqual([
          "eks.amazonaws.com",
          "eks-nodegroup.amazonaws.com",
        ]);
        continue;
      }
      expect(resources).toEqual([`arn:aws:iam::123456789012:role${platformRolePath}*`]);
    }
    const attach = statements.find((s) => list(s.Action).includes("iam:AttachRolePolicy"));
    expect(attach?.Condition?.ArnEquals?.["iam:PolicyARN"]).toHaveLength(5);
    const passRole = statements.find((s) => list(s.Action).includes("iam:PassRole"));
    expect(passRole?.Condition?.StringEquals?.["iam:PassedToService"]).toEqual([
      "eks.amazonaws.com",
      "pods.eks.amazonaws.com",
    ]);
    for (const statement of statements) {
      for (const action of list(statement.Action)) expect(action).not.toContain("*");
    }
  });

  it("every role and managed policy of the platform program is within the deploy role's reach", async () => {
    const { dev } = await exampleStackRuns();
    for (const role of ofType(dev.resources, "aws:iam/role:Role"))
      expect(role.inputs.path, role.name).toBe(platformRolePath);
    const allowed = statementsOf(ci, "ci-deploy").find((s) => list(s.Action).includes("iam:AttachRolePolicy"))
      ?.Condition?.ArnEquals?.["iam:PolicyARN"];
    for (const attachment of ofType(dev.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
      expect(allowed).toContain(attachment.inputs.policyArn);
    }
  });

  it("passes the policy pack", async () => {
    for (const policy of platformPolicies)
      expect(await violations(policy, ci.resources), policy.name).toEqual([]);
  });

  it("names the bad setting", async () => {
    await expect(runBootstrap({ githubRepository: "not a repo" })).rejects.toThrow(
      "bootstrap:githubRepository: the repository as owner/name",
    );
  });
});
