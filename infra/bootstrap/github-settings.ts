import { relative } from "node:path";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DEFAULT_THRESHOLDS_FILE } from "../../thresholds/thresholds";
import { SettingsError } from "../settings-loader";
import { repositoryRoot } from "../stack-config";
import { GITHUB_ACTIONS_APP_ID } from "./required-checks";

/**
 * The repository's side of CI, made by code instead of twenty clicks (README step 4): the GitHub environments
 * the roles trust, with their branch rules and reviewers; the repository variables the workflows read; the
 * Pulumi credentials each environment holds; the `cost-approved` label; and a ruleset on the deploy branch
 * that requires CI's tests and each previewed stack's preview. What each resource needs of the token and what
 * each plan allows is in infra/README.md ("GitHub settings").
 */

/** The label a maintainer adds to approve a cost (.github/scripts/cost-approval.cjs owns the name). */
export const COST_APPROVED_LABEL: string =
  require("../../.github/scripts/cost-approval.cjs").COST_APPROVED_LABEL;

/** Base repository roles as ruleset bypass actors (source dated in README.md, "Documentation this relies on"). */
export const REPOSITORY_ROLE_IDS = { maintain: 2, admin: 5 } as const;

/** The Pulumi credentials an environment may hold: a Pulumi Cloud token or the stacks' passphrase. */
export const PULUMI_SECRET_NAMES = ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"] as const;

export interface ManagedEnvironment {
  name: string;
  /** `all`: any branch (pull-request previews); `deploy-branch`: the deploy branch only. */
  branches: "all" | "deploy-branch";
  /** Whether a person approves each job in it (`deployReviewers`). */
  reviewed: boolean;
}

export interface GitHubSettingsArgs {
  /** owner/name */
  repository: string;
  deployBranch: string;
  environments: ManagedEnvironment[];
  variables: Record<string, pulumi.Input<string>>;
  /** environment → secret name → value (already Pulumi secrets). */
  secrets: Record<string, Record<string, pulumi.Output<string>>>;
  /** GitHub logins and `<org>/<team>` slugs. */
  reviewers: string[];
  requiredChecks: string[];
  /** GitHub logins and `<org>/<team>` slugs who own the files that decide the cost guardrail and the deploys. */
  codeOwners: string[];
}

/**
 * The files that decide whether a pull request's preview passes and what a merge deploys. A pull request's
 * preview runs its own workflow file, so only a review by someone else holds for them (infra/cost/README.md).
 */
export const GUARDED_PATHS: readonly string[] = [
  // workflows, the pulumi-cost action, cost-approval.cjs, stacks.json's guardrails, CODEOWNERS itself
  "/.github/",
  // the stacks' settings, their monthly budgets among them, and the budget's default
  "/Pulumi.*.yaml",
  `/${relative(repositoryRoot, DEFAULT_THRESHOLDS_FILE).split("\\").join("/")}`,
  // the `cost` command, the template's adapter and usage, the engine, the policy pack, the roles and this ruleset
  "/package.json",
  "/infra/cost/",
  "/packages/pulumi-cost/",
  "/infra/policy/",
  "/infra/bootstrap/",
];

/** The CODEOWNERS file: every guarded path owned by every code owner. */
export function codeOwnersFile(owners: readonly string[]): string {
  const handles = owners.map((owner) => `@${owner}`).join(" ");
  return [
    "# Written by the bootstrap (infra/bootstrap, bootstrap:codeOwners); the ruleset on the deploy branch",
    "# requires a code owner's review of any pull request that changes these files.",
    ...GUARDED_PATHS.map((path) => `${path} ${handles}`),
    "",
  ].join("\n");
}

/** The right-sizing workflow's GitHub App key: read only by `main`'s jobs in the drift environment. */
export const RIGHTSIZE_KEY_SECRET = "RIGHTSIZE_APP_PRIVATE_KEY";

const secretsSchema = z
  .record(
    z.string(),
    z
      .partialRecord(z.enum([...PULUMI_SECRET_NAMES, RIGHTSIZE_KEY_SECRET]), z.string().min(1))
      .refine((s) => PULUMI_SECRET_NAMES.filter((name) => name in s).length === 1, {
        message: `one of ${PULUMI_SECRET_NAMES.join(" or ")} per environment`,
      }),
  )
  .superRefine((environments, context) => {
    for (const [environment, entries] of Object.entries(environments)) {
      if (RIGHTSIZE_KEY_SECRET in entries && environment !== "drift") {
        context.addIssue({
          code: "custom",
          path: [environment, RIGHTSIZE_KEY_SECRET],
          message: "only in the drift environment, whose main-branch jobs run the right-sizing",
        });
      }
    }
  });

/**
 * `bootstrap:environmentSecrets`: `{<environment>: {PULUMI_ACCESS_TOKEN | PULUMI_CONFIG_PASSPHRASE: value}}` (and,
 * in `drift`, the right-sizing app's `RIGHTSIZE_APP_PRIVATE_KEY`), set
 * with `pulumi config set --secret --path 'bootstrap:environmentSecrets.preview.PULUMI_ACCESS_TOKEN' <token>`.
 * Checked before any resource; each value becomes a Pulumi secret (encrypted in the bootstrap's state).
 */
export function environmentSecretsSetting(
  environments: readonly string[],
): Record<string, Record<string, pulumi.Output<string>>> {
  const key = "bootstrap:environmentSecrets";
  const raw = pulumi.runtime.allConfig()[key];
  if (raw === undefined || raw === "") return {};
  const fail = (message: string) => new SettingsError(`Invalid bootstrap settings:\n  ${key}: ${message}`);
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (isSecret && !isSecret(key)) {
    throw fail("holds credentials: set it with pulumi config set --secret --path, so it is stored encrypted");
  }
  let parsed: z.infer<typeof secretsSchema>;
  try {
    const result = secretsSchema.safeParse(JSON.parse(raw));
    if (!result.success)
      throw fail(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    parsed = result.data;
  } catch (error) {
    if (error instanceof SettingsError) throw error;
    throw fail("expected a map of environment → secret name → value");
  }
  const unknown = Object.keys(parsed).filter((name) => !environments.includes(name));
  if (unknown.length > 0) {
    throw fail(
      `${unknown.join(", ")}: not an environment the bootstrap manages (${environments.join(", ")})`,
    );
  }
  return Object.fromEntries(
    Object.entries(parsed).map(([environment, entries]) => [
      environment,
      Object.fromEntries(
        Object.entries(entries).map(([name, value]) => [name, pulumi.secret(value as string)]),
      ),
    ]),
  );
}

/** Teams can review only in their own organisation's repositories: checked before any resource. */
export function checkReviewerTeams(
  repository: string,
  reviewers: readonly string[],
  setting = "bootstrap:deployReviewers",
) {
  const owner = repository.split("/")[0];
  const foreign = reviewers.filter((r) => r.includes("/") && r.split("/")[0] !== owner);
  if (foreign.length > 0) {
    throw new SettingsError(
      `Invalid bootstrap settings:\n  ${setting}: ${foreign.join(", ")}: a team must belong to ${owner}, the repository's owner`,
    );
  }
}

/** Reviewer ids GitHub's environment API takes: users by login, teams of the repository's organisation by slug. */
function reviewerIds(reviewers: string[], opts: pulumi.InvokeOptions) {
  const users = reviewers.filter((r) => !r.includes("/"));
  const teams = reviewers.filter((r) => r.includes("/"));
  return {
    users: users.map((username) => github.getUserOutput({ username }, opts).id.apply(Number)),
    teams: teams.map((slug) =>
      github.getTeamOutput({ slug: slug.split("/")[1] as string, summaryOnly: true }, opts).id.apply(Number),
    ),
  };
}

/**
 * On the deploy branch: changes only through pull requests that pass the required checks (reported by the
 * GitHub Actions app), no deletion, no force push, and an approving review by someone other than the last
 * pusher, a code owner's where the pull request changes a guarded path.
 */
function deployBranchRuleset(
  repository: string,
  args: GitHubSettingsArgs,
  opts: pulumi.CustomResourceOptions,
) {
  return new github.RepositoryRuleset(
    `${args.deployBranch}-branch`,
    {
      repository,
      name: `${args.deployBranch}: tests and cost preview`,
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: [`refs/heads/${args.deployBranch}`], excludes: [] } },
      // The people who may approve a cost may also merge a pull request whose preview cannot run (a fork,
      // Dependabot): a skipped matrix job reports no check under the required name.
      bypassActors: Object.values(REPOSITORY_ROLE_IDS).map((actorId) => ({
        actorId,
        actorType: "RepositoryRole",
        bypassMode: "pull_request",
      })),
      rules: {
        deletion: true,
        nonFastForward: true,
        pullRequest: {
          requiredApprovingReviewCount: 1,
          dismissStaleReviewsOnPush: true,
          requireLastPushApproval: true,
          requireCodeOwnerReview: true,
        },
        requiredStatusChecks: {
          requiredChecks: args.requiredChecks.map((context) => ({
            context,
            integrationId: GITHUB_ACTIONS_APP_ID,
          })),
          strictRequiredStatusChecksPolicy: false,
        },
      },
    },
    opts,
  );
}

export class GitHubRepositorySettings extends pulumi.ComponentResource {
  readonly requiredChecks: string[];

  constructor(name: string, args: GitHubSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:bootstrap:GitHubRepository", name, {}, opts);
    const [owner, repository] = args.repository.split("/") as [string, string];
    // The token comes from GITHUB_TOKEN (README step 2: `GITHUB_TOKEN="$(gh auth token)" pulumi up`).
    const provider = new github.Provider("github", { owner }, { parent: this });
    const child = { parent: this, provider };
    const reviewers = reviewerIds(args.reviewers, child);

    for (const env of args.environments) {
      const environment = new github.RepositoryEnvironment(
        env.name,
        {
          repository,
          environment: env.name,
          ...(env.branches === "deploy-branch"
            ? { deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } }
            : {}),
          // The person who pushed the change cannot approve its own deploy ("Prevent self-review").
          ...(env.reviewed ? { reviewers: [reviewers], preventSelfReview: true } : {}),
        },
        child,
      );
      if (env.branches === "deploy-branch") {
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${env.name}-${args.deployBranch}`,
          { repository, environment: environment.environment, branchPattern: args.deployBranch },
          child,
        );
      }
      for (const [secretName, value] of Object.entries(args.secrets[env.name] ?? {})) {
        new github.ActionsEnvironmentSecret(
          `${env.name}-${secretName}`,
          { repository, environment: environment.environment, secretName, value },
          child,
        );
      }
    }
    for (const [variableName, value] of Object.entries(args.variables)) {
      new github.ActionsVariable(variableName, { repository, variableName, value }, child);
    }
    new github.IssueLabel(
      COST_APPROVED_LABEL,
      {
        repository,
        name: COST_APPROVED_LABEL,
        color: "0e8a16",
        description: "A maintainer or admin approves the monthly cost of this pull request's head commit",
      },
      child,
    );
    // Committed before the ruleset exists: once it does, main takes changes through pull requests only.
    const codeOwners = new github.RepositoryFile(
      "codeowners",
      {
        repository,
        branch: args.deployBranch,
        file: ".github/CODEOWNERS",
        content: codeOwnersFile(args.codeOwners),
        commitMessage:
          "CODEOWNERS: the files that decide the cost guardrail and the deploys (bootstrap:codeOwners)",
        overwriteOnCreate: true,
      },
      child,
    );
    this.requiredChecks = args.requiredChecks;
    deployBranchRuleset(repository, args, { ...child, dependsOn: [codeOwners] });
    this.registerOutputs({ requiredChecks: args.requiredChecks });
  }
}
