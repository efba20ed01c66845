import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type CiStack, readCiStacks } from "../ci-stacks";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import { platformProject } from "../images";
import {
  deploySessionSeconds,
  deployWorkflowPath,
  driftEnvironment,
  driftWorkflowPath,
  type GitHubRepository,
  githubOidcHost,
  githubTrust,
  previewEnvironment,
  rightsizeWorkflowPath,
  workflowRef,
} from "./github-trust";

export { deploySessionSeconds, deployWorkflowPath, driftEnvironment, driftWorkflowPath, previewEnvironment };

import { deployStatements, previewStatements, type Scope, stateStatements } from "./permissions";
import type { BootstrapSettings } from "./settings";
import { StateBackend, secretsKeyAlias } from "./state-backend";

/**
 * The one-time program an administrator runs before CI can: the GitHub Actions OIDC provider, three roles
 * (pull-request previews, the scheduled drift check, deploys) and optionally an S3 + KMS state backend.
 * Which stacks exist, their deploy environments and whether pull requests may preview them come from
 * .github/stacks.json, the list the workflows read too.
 */

export function defineBootstrap(settings: BootstrapSettings, stacks: CiStack[] = readCiStacks()) {
  const provider = new aws.Provider("aws-bootstrap", {
    region: settings.region as aws.Region,
    defaultTags: {
      tags: {
        project: "cost-aware-platform",
        stack: settings.stack,
        service: "ci-bootstrap",
        "managed-by": "pulumi",
      },
    },
  });
  const opts = { provider };
  const project = platformProject();
  const caller = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  const scope: pulumi.Output<Scope> = pulumi
    .all([partition.partition, caller.accountId])
    .apply(([p, account]) => ({
      partition: p,
      account,
      region: settings.region,
      imageRepositoryPrefix: project,
    }));

  const oidcProviderArn: pulumi.Output<string> = settings.existingOidcProviderArn
    ? pulumi.output(settings.existingOidcProviderArn)
    : new aws.iam.OpenIdConnectProvider(
        "github-actions",
        { url: `https://${githubOidcHost}`, clientIdLists: ["sts.amazonaws.com"] },
        opts,
      ).arn;

  const backend = settings.stateBackend
    ? new StateBackend("state-backend", {
        region: settings.region,
        stacks: stacks.map((s) => s.name),
        provider,
      })
    : undefined;

  /** State statements for a role, once the backend's ARNs are known; none with Pulumi Cloud. */
  const withState = (
    statements: pulumi.Output<PolicyStatement[]>,
    readable: CiStack[],
    write: boolean,
  ): pulumi.Output<PolicyStatement[]> => {
    if (!backend) return statements;
    const keyArns = readable.map((s) => (backend.secretsKeys[s.name] as aws.kms.Key).arn);
    return pulumi
      .all([statements, backend.bucket.arn, backend.stateKey.arn, pulumi.all(keyArns)])
      .apply(([list, bucketArn, stateKeyArn, secretsKeyArns]) => [
        ...list,
        ...stateStatements({
          bucketArn,
          stateKeyArn,
          project,
          stacks: readable.map((s, i) => ({ name: s.name, secretsKeyArn: secretsKeyArns[i] as string })),
          write,
        }),
      ]);
  };

  const repository: GitHubRepository = {
    fullName: settings.githubRepository,
    repositoryId: settings.githubRepositoryId,
    ownerId: settings.githubOwnerId,
  };
  const role = (
    name: string,
    description: string,
    trust: { contexts: string[]; jobWorkflowRef?: string | string[] },
    statements: pulumi.Output<PolicyStatement[]>,
    maxSessionDuration = 3600,
  ) => {
    const created = new aws.iam.Role(
      name,
      {
        description,
        assumeRolePolicy: oidcProviderArn.apply((providerArn) =>
          githubTrust({ providerArn, repository, ...trust }),
        ),
        maxSessionDuration,
      },
      opts,
    );
    new aws.iam.RolePolicy(
      name,
      {
        role: created.id,
        policy: statements.apply((list) =>
          JSON.stringify({ Version: "2012-10-17", Statement: list } satisfies PolicyDocument),
        ),
      },
      opts,
    );
    return created;
  };

  const previewed = stacks.filter((s) => s.pullRequestPreview);
  const previewRole = role(
    "ci-preview",
    `pulumi preview of ${previewed.map((s) => s.name).join(", ") || "no stack"} for pull requests of ${repository.fullName}`,
    // preview.yml itself is pull-request code, so pinning its workflow file would add nothing here.
    { contexts: [`environment:${previewEnvironment}`] },
    withState(scope.apply(previewStatements), previewed, false),
  );
  const driftRole = role(
    "ci-drift",
    `scheduled drift check and right-sizing of every stack of ${repository.fullName}`,
    {
      contexts: [`environment:${driftEnvironment}`],
      // Both read-only and both as merged on the deploy branch: the drift check, and right-sizing, which
      // reads each cluster's Prometheus through the API server (the previewer group's one proxy rule).
      jobWorkflowRef: [driftWorkflowPath, rightsizeWorkflowPath].map((file) =>
        workflowRef(repository, file, settings.deployBranch),
      ),
    },
    withState(scope.apply(previewStatements), stacks, false),
  );
  const deployRole = role(
    "ci-deploy",
    `pulumi up and image pushes for ${repository.fullName}`,
    {
      contexts: [...new Set(stacks.map((s) => s.environment))].map((e) => `environment:${e}`),
      // Only the deploy workflow as merged on the deploy branch: a workflow written on another branch that
      // declares `environment: dev` gets the environment subject, never this claim.
      jobWorkflowRef: workflowRef(repository, deployWorkflowPath, settings.deployBranch),
    },
    withState(
      scope.apply((s) => [...previewStatements(s), ...deployStatements(s)]),
      stacks,
      true,
    ),
    deploySessionSeconds,
  );

  return {
    oidcProviderArn,
    previewRoleArn: previewRole.arn,
    driftRoleArn: driftRole.arn,
    deployRoleArn: deployRole.arn,
    stateBackendUrl: backend ? pulumi.interpolate`s3://${backend.bucket.bucket}` : undefined,
    secretsProviders: backend
      ? Object.fromEntries(
          stacks.map((s) => [s.name, `awskms://${secretsKeyAlias(s.name)}?region=${settings.region}`]),
        )
      : undefined,
  };
}
