import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type CiStack, readCiStacks } from "../ci-stacks";
import { platformProject } from "../images";
import {
  deploySessionSeconds,
  deployWorkflowPath,
  driftEnvironment,
  driftWorkflowPath,
  githubOidcHost,
  previewEnvironment,
} from "./github-trust";

export { deploySessionSeconds, deployWorkflowPath, driftEnvironment, driftWorkflowPath, previewEnvironment };

import { SettingsError } from "../settings-loader";
import { ciRoles } from "./ci-roles";
import { activateCostAllocationTags, costAllocationTagKeys } from "./cost-allocation-tags";
import {
  checkReviewerTeams,
  environmentSecretsSetting,
  GitHubRepositorySettings,
  type GitHubSettingsArgs,
  type ManagedEnvironment,
} from "./github-settings";
import type { Scope } from "./permissions";
import { requiredCheckNames } from "./required-checks";
import type { BootstrapSettings } from "./settings";
import { StateBackend, secretsKeyAlias } from "./state-backend";

/**
 * The one-time program an administrator runs before CI can: the GitHub Actions OIDC provider, three roles
 * (pull-request previews, the scheduled drift check, deploys), optionally an S3 + KMS state backend, and the
 * repository's GitHub settings (github-settings.ts). Which stacks exist, their deploy environments, whether
 * pull requests may preview them and whether a person approves their deploys come from .github/stacks.json,
 * the list the workflows read too.
 */

/** The GitHub environments the roles trust: previews on any branch, the rest on the deploy branch only. */
export function managedEnvironments(stacks: CiStack[], reviewed: boolean): ManagedEnvironment[] {
  const approved = new Set(stacks.filter((s) => s.requiresApproval).map((s) => s.environment));
  return [
    { name: previewEnvironment, branches: "all", reviewed: false },
    { name: driftEnvironment, branches: "deploy-branch", reviewed: false },
    ...[...new Set(stacks.map((s) => s.environment))].map(
      (name): ManagedEnvironment => ({
        name,
        branches: "deploy-branch",
        reviewed: reviewed && approved.has(name),
      }),
    ),
  ];
}

/** A stack whose deploys a person approves needs someone to do it: checked before any resource. */
function checkApprovers(settings: BootstrapSettings, stacks: CiStack[]) {
  const gated = stacks.filter((s) => s.requiresApproval).map((s) => s.environment);
  if (
    gated.length > 0 &&
    settings.deployApproval === "environment-reviewers" &&
    settings.deployReviewers.length === 0
  ) {
    throw new SettingsError(
      `Invalid bootstrap settings:\n  bootstrap:deployReviewers: who approves deploys in ${gated.join(", ")} (GitHub logins or <org>/<team>); or set bootstrap:deployApproval to pull-request-review where the plan has no required reviewers (infra/README.md)`,
    );
  }
  checkReviewerTeams(settings.githubRepository, settings.deployReviewers);
  checkReviewerTeams(settings.githubRepository, settings.codeOwners, "bootstrap:codeOwners");
}

/** What the repository's GitHub settings hold, from the bootstrap's settings and what it created. */
function githubSettingsArgs(
  settings: BootstrapSettings,
  stacks: CiStack[],
  made: {
    environments: ManagedEnvironment[];
    environmentSecrets: GitHubSettingsArgs["secrets"];
    roleArns: Record<"preview" | "drift" | "deploy", pulumi.Output<string>>;
    bucket?: pulumi.Output<string>;
  },
): GitHubSettingsArgs {
  const reviewersGate = settings.deployApproval === "environment-reviewers";
  return {
    repository: settings.githubRepository,
    deployBranch: settings.deployBranch,
    environments: made.environments,
    // The names the workflows read as `vars.<NAME>`; role ARNs are not secret.
    variables: {
      PREVIEW_ROLE_ARN: made.roleArns.preview,
      DRIFT_ROLE_ARN: made.roleArns.drift,
      DEPLOY_ROLE_ARN: made.roleArns.deploy,
      AWS_REGION: settings.region,
      ...(made.bucket
        ? { PULUMI_BACKEND_URL: pulumi.interpolate`s3://${made.bucket}?region=${settings.region}` }
        : {}),
      ...(settings.pulumiOrg ? { PULUMI_ORG: settings.pulumiOrg } : {}),
      ...(settings.rightsizeStack ? { RIGHTSIZE_STACK: settings.rightsizeStack } : {}),
      ...(settings.rightsizeAppClientId ? { RIGHTSIZE_APP_CLIENT_ID: settings.rightsizeAppClientId } : {}),
    },
    secrets: made.environmentSecrets,
    reviewers: reviewersGate ? settings.deployReviewers : [],
    requiredChecks: requiredCheckNames(stacks.filter((s) => s.pullRequestPreview).map((s) => s.name)),
    codeOwners: settings.codeOwners,
  };
}

function bootstrapProvider(settings: BootstrapSettings): aws.Provider {
  return new aws.Provider("aws-bootstrap", {
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
}

/** The account, partition and region the roles' statements name, and the image repositories' prefix. */
function accountScope(settings: BootstrapSettings, project: string, opts: pulumi.InvokeOptions) {
  const caller = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  return pulumi.all([partition.partition, caller.accountId]).apply(
    ([p, account]): Scope => ({
      partition: p,
      account,
      region: settings.region,
      imageRepositoryPrefix: project,
    }),
  );
}

/** GitHub Actions' OIDC provider: the account's existing one, or a new one. */
function oidcProvider(
  settings: BootstrapSettings,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  return settings.existingOidcProviderArn
    ? pulumi.output(settings.existingOidcProviderArn)
    : new aws.iam.OpenIdConnectProvider(
        "github-actions",
        { url: `https://${githubOidcHost}`, clientIdLists: ["sts.amazonaws.com"] },
        opts,
      ).arn;
}

export function defineBootstrap(settings: BootstrapSettings, stacks: CiStack[] = readCiStacks()) {
  checkApprovers(settings, stacks);
  const environments = managedEnvironments(stacks, settings.deployApproval === "environment-reviewers");
  const environmentSecrets = environmentSecretsSetting(environments.map((e) => e.name));
  const provider = bootstrapProvider(settings);
  const opts = { provider };
  const project = platformProject();
  const scope = accountScope(settings, project, opts);
  const oidcProviderArn = oidcProvider(settings, opts);

  const backend = settings.stateBackend
    ? new StateBackend("state-backend", {
        region: settings.region,
        stacks: stacks.map((s) => s.name),
        provider,
      })
    : undefined;

  const { previewRole, driftRole, deployRole } = ciRoles({
    repository: {
      fullName: settings.githubRepository,
      repositoryId: settings.githubRepositoryId,
      ownerId: settings.githubOwnerId,
    },
    oidcProviderArn,
    opts,
    stacks,
    scope,
    backend,
    project,
    deployBranch: settings.deployBranch,
  });

  const repositorySettings = new GitHubRepositorySettings(
    "repository",
    githubSettingsArgs(settings, stacks, {
      environments,
      environmentSecrets,
      roleArns: { preview: previewRole.arn, drift: driftRole.arn, deploy: deployRole.arn },
      bucket: backend?.bucket.bucket,
    }),
  );

  const tagKeys = settings.activateCostAllocationTags ? costAllocationTagKeys(stacks) : [];
  activateCostAllocationTags(tagKeys, provider);

  return {
    requiredChecks: repositorySettings.requiredChecks,
    costAllocationTags: tagKeys,
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
