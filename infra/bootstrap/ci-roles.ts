import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CiStack } from "../ci-stacks";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import {
  deploySessionSeconds,
  deployWorkflowPath,
  driftEnvironment,
  driftWorkflowPath,
  type GitHubRepository,
  githubTrust,
  previewEnvironment,
  rightsizeWorkflowPath,
  workflowRef,
} from "./github-trust";
import { deployStatements, type Scope } from "./permissions";
import { livePriceStatements, previewStatements } from "./preview-permissions";
import type { StateBackend } from "./state-backend";
import { stateStatements } from "./state-permissions";

/** The three roles CI assumes through GitHub's OIDC provider, each allowed what its workflows do. */

type Statements = pulumi.Output<PolicyStatement[]>;

/** Adds a role's state statements once the backend's ARNs are known; none with Pulumi Cloud. */
function stateAccess(backend: StateBackend | undefined, project: string) {
  return (statements: Statements, readable: CiStack[], write: boolean): Statements => {
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
}

interface RoleContext {
  repository: GitHubRepository;
  oidcProviderArn: pulumi.Output<string>;
  opts: pulumi.CustomResourceOptions;
}

/** A role GitHub's tokens for these contexts may assume, with one inline policy of these statements. */
function trustedRole(
  { repository, oidcProviderArn, opts }: RoleContext,
  name: string,
  description: string,
  trust: { contexts: string[]; jobWorkflowRef?: string | string[] },
  statements: Statements,
  maxSessionDuration = 3600,
): aws.iam.Role {
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
}

export interface CiRolesArgs extends RoleContext {
  stacks: CiStack[];
  scope: pulumi.Output<Scope>;
  backend: StateBackend | undefined;
  project: string;
  deployBranch: string;
}

/** The preview, drift and deploy roles, created in that order. */
export function ciRoles(args: CiRolesArgs) {
  const { stacks, scope, repository, deployBranch } = args;
  const withState = stateAccess(args.backend, args.project);
  const previewed = stacks.filter((s) => s.pullRequestPreview);
  const previewRole = trustedRole(
    args,
    "ci-preview",
    `pulumi preview of ${previewed.map((s) => s.name).join(", ") || "no stack"} for pull requests of ${repository.fullName}`,
    // preview.yml itself is pull-request code, so pinning its workflow file would add nothing here.
    { contexts: [`environment:${previewEnvironment}`] },
    // Only the preview prices a pull request's change, so only its role may ask the Price List API.
    withState(
      scope.apply((s) => [...previewStatements(s), ...livePriceStatements()]),
      previewed,
      false,
    ),
  );
  const driftRole = trustedRole(
    args,
    "ci-drift",
    `scheduled drift check and right-sizing of every stack of ${repository.fullName}`,
    {
      contexts: [`environment:${driftEnvironment}`],
      // Both read-only and both as merged on the deploy branch: the drift check, and right-sizing, which
      // reads each cluster's Prometheus through the API server (the previewer group's one proxy rule).
      jobWorkflowRef: [driftWorkflowPath, rightsizeWorkflowPath].map((file) =>
        workflowRef(repository, file, deployBranch),
      ),
    },
    withState(scope.apply(previewStatements), stacks, false),
  );
  const deployRole = trustedRole(
    args,
    "ci-deploy",
    `pulumi up and image pushes for ${repository.fullName}`,
    {
      contexts: [...new Set(stacks.map((s) => s.environment))].map((e) => `environment:${e}`),
      // Only the deploy workflow as merged on the deploy branch: a workflow written on another branch that
      // declares `environment: dev` gets the environment subject, never this claim.
      jobWorkflowRef: workflowRef(repository, deployWorkflowPath, deployBranch),
    },
    withState(
      scope.apply((s) => [...previewStatements(s), ...deployStatements(s)]),
      stacks,
      true,
    ),
    deploySessionSeconds,
  );
  return { previewRole, driftRole, deployRole };
}
