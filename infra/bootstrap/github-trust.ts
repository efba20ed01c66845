import type { PolicyDocument } from "../components/iam";

/**
 * Trust for GitHub Actions jobs of one repository (AWS STS AssumeRoleWithWebIdentity with GitHub's OIDC
 * token; the sources are dated in README.md, "Documentation this relies on"). Repositories created or renamed
 * since 2026-06-18 present `repo:<owner>-<owner id>/<repo>-<repo id>:<context>` instead of
 * `repo:<owner>/<repo>:<context>`, and GitHub's docs also write `<owner>@<owner id>/<repo>@<repo id>`, so every
 * spelling is trusted; the ids are checked as claims of their own, so no spelling lets a recycled name in.
 */
export const githubOidcHost = "token.actions.githubusercontent.com";

/** The GitHub environment pull-request previews run in (no branch restriction, no reviewers). */
export const previewEnvironment = "preview";
/** The GitHub environment the scheduled drift check runs in (main only). */
export const driftEnvironment = "drift";
/** The reusable workflow every deploy job runs (deploy.yml calls it once per stack). */
export const deployWorkflowPath = ".github/workflows/pulumi-up.yml";
export const driftWorkflowPath = ".github/workflows/drift.yml";
/** The weekly right-sizing (reads the clusters' Prometheus, read-only, with the drift role and environment). */
export const rightsizeWorkflowPath = ".github/workflows/rightsize.yml";
/**
 * A first `pulumi up` (cluster, nodes, add-ons, the Helm release with its 15-minute timeout, rollouts) can
 * take well over the default one-hour session; pulumi-up.yml asks for this much and its job times out first.
 */
export const deploySessionSeconds = 3 * 60 * 60;

export interface GitHubRepository {
  /** owner/name, exactly as GitHub spells it (STS compares case-sensitively). */
  fullName: string;
  repositoryId: string;
  ownerId: string;
}

/** The subjects GitHub may present for one context (`environment:dev`, `pull_request`, …). */
export function subjectsFor(repository: GitHubRepository, context: string): string[] {
  const [owner, name] = repository.fullName.split("/");
  const { ownerId, repositoryId } = repository;
  return [
    `repo:${owner}/${name}:${context}`,
    `repo:${owner}-${ownerId}/${name}-${repositoryId}:${context}`,
    `repo:${owner}@${ownerId}/${name}@${repositoryId}:${context}`,
  ];
}

/** GitHub's `job_workflow_ref` for a workflow file of the repository at a branch. */
export const workflowRef = (repository: GitHubRepository, file: string, branch: string) =>
  `${repository.fullName}/${file}@refs/heads/${branch}`;

export interface GitHubTrustArgs {
  providerArn: string;
  repository: GitHubRepository;
  /** Subject contexts, e.g. `environment:preview`; each is trusted in every subject format. */
  contexts: string[];
  /** When set, only jobs of these workflow files at this ref (STS checks the `job_workflow_ref` claim). */
  jobWorkflowRef?: string | string[];
}

/**
 * Only tokens minted for STS, of this repository by its immutable ids (a deleted and re-created name
 * cannot match), for the given contexts in any subject format, and with `jobWorkflowRef` only that
 * workflow: an environment subject alone is presented by any workflow that names the environment.
 */
export function githubTrust({ providerArn, repository, contexts, jobWorkflowRef }: GitHubTrustArgs): string {
  const subjects = contexts.flatMap((context) => subjectsFor(repository, context));
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${githubOidcHost}:aud`]: "sts.amazonaws.com",
            [`${githubOidcHost}:sub`]: subjects,
            [`${githubOidcHost}:repository_id`]: repository.repositoryId,
            [`${githubOidcHost}:repository_owner_id`]: repository.ownerId,
            ...(jobWorkflowRef ? { [`${githubOidcHost}:job_workflow_ref`]: jobWorkflowRef } : {}),
          },
        },
      },
    ],
  } satisfies PolicyDocument);
}
