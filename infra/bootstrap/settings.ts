import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { flag, parseNamespaced, readConfigNamespace, wholeNumber } from "../settings-loader";

/**
 * The bootstrap's settings, `bootstrap:<key>` (infra/bootstrap/Pulumi.ci.yaml). Parsed with the same
 * helpers as the platform's `platform:*` settings; a bad value fails before any resource.
 */
export const bootstrapSettingsSchema = z
  .object({
    githubRepository: z
      .string()
      .regex(
        /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/,
        "the repository as owner/name, e.g. acme/cost-aware-platform",
      ),
    /**
     * GitHub's immutable numeric ids of the repository and its owner (`gh api repos/<owner>/<repo> --jq
     * '.id, .owner.id'`). New repositories present them in the OIDC subject (`repo:<owner>@<id>/<repo>@<id>:…`)
     * and every token carries them as `repository_id` / `repository_owner_id`; the trust pins both.
     */
    githubRepositoryId: wholeNumber({ min: 1 }).transform(String),
    githubOwnerId: wholeNumber({ min: 1 }).transform(String),
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as us-east-1")
      .default("us-east-1"),
    deployBranch: z
      .string()
      .regex(/^[\w./-]+$/, "a branch name")
      .default("main"),
    existingOidcProviderArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        "the ARN of the account's GitHub OIDC provider",
      )
      .optional(),
    stateBackend: flag.default(true),
    /**
     * How a person gates the deploys of stacks with `requiresApproval` (.github/stacks.json):
     * `environment-reviewers` (their environments get `deployReviewers` as required reviewers: public
     * repositories, or private ones on GitHub Enterprise) or `pull-request-review` (the ruleset on the deploy
     * branch requires an approving review of every pull request, where the plan has no required reviewers).
     */
    deployApproval: z.enum(["environment-reviewers", "pull-request-review"]).default("environment-reviewers"),
    /** Who approves those deploys: GitHub logins, or `<org>/<team>` slugs; at most 6 (GitHub's limit). */
    deployReviewers: z
      .array(z.string().regex(/^[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/, "GitHub logins or <org>/<team> slugs"))
      .max(6)
      .default([]),
    /**
     * Who owns the files that decide the cost guardrail and the deploys (CODEOWNERS, github-settings.ts): GitHub
     * logins or `<org>/<team>` slugs with write access. The ruleset on the deploy branch requires one of them to
     * approve any pull request that changes those files.
     */
    codeOwners: z
      .array(z.string().regex(/^[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/, "GitHub logins or <org>/<team> slugs"))
      .min(1, "at least one GitHub login or <org>/<team> that reviews changes to the cost guardrail"),
    /**
     * Activate the platform's tag keys as cost-allocation tags (cost-allocation-tags.ts): only once they have
     * appeared on billed usage (up to 24 hours after the first deploy), and only from a management account or
     * one outside any organisation; before that AWS refuses, hence off by default.
     */
    activateCostAllocationTags: flag.default(false),
    /** The stack whose cluster's use the weekly right-sizing reads (the RIGHTSIZE_STACK variable; unset: prod). */
    rightsizeStack: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, "a stack name, e.g. prod")
      .optional(),
    /**
     * The client id of the GitHub App that opens the right-sizing pull request (the RIGHTSIZE_APP_CLIENT_ID
     * variable); its private key goes in `environmentSecrets.drift.RIGHTSIZE_APP_PRIVATE_KEY`.
     */
    rightsizeAppClientId: z
      .string()
      .regex(/^(Iv[0-9A-Za-z.]+|\d+)$/, "a GitHub App client id (Iv23…) or app id")
      .optional(),
    /** Pulumi Cloud organisation of the stacks (the PULUMI_ORG variable), with `stateBackend: false`. */
    pulumiOrg: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a Pulumi Cloud organisation name")
      .optional(),
  })
  .strict()
  .superRefine((settings, context) => {
    if (settings.pulumiOrg !== undefined && settings.stateBackend) {
      context.addIssue({
        code: "custom",
        path: ["pulumiOrg"],
        message: "only with bootstrap:stateBackend false (Pulumi Cloud); the S3 backend has no organisation",
      });
    }
  });

export type BootstrapSettings = z.infer<typeof bootstrapSettingsSchema> & { stack: string };

/** Read as Pulumi secrets by `environmentSecrets` (github-settings.ts), not parsed here. */
export const bootstrapSecretKeys: ReadonlySet<string> = new Set(["environmentSecrets"]);

export function parseBootstrapSettings(raw: Record<string, string>) {
  return parseNamespaced({
    namespace: "bootstrap",
    title: "bootstrap settings",
    schema: bootstrapSettingsSchema,
    raw,
    structuredKeys: new Set(["deployReviewers", "codeOwners"]),
    secretKeys: bootstrapSecretKeys,
    documentedIn: "infra/README.md",
  });
}

export function loadBootstrapSettings(): BootstrapSettings {
  return { ...parseBootstrapSettings(readConfigNamespace("bootstrap")), stack: pulumi.getStack() };
}
