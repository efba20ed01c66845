import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../under-mocks/mocks";
import { exampleRepository, roleNamed, runBootstrap, trustDocumentOf } from "./bootstrap-run";
import { assumeRoleWithWebIdentity } from "./iam-evaluator";

/**
 * The bootstrap's trust policies against the claim sets GitHub's OIDC tokens carry (README.md, "Documentation
 * this relies on"), evaluated by an IAM policy evaluator: what each
 * workflow's token presents is allowed, in every subject format; another repository, a recycled name,
 * another workflow file, another environment and another branch are denied.
 */

let ci: ProgramRun;
beforeAll(async () => {
  ci = await runBootstrap();
});

const host = "token.actions.githubusercontent.com";
const providerArn = `arn:aws:iam::123456789012:oidc-provider/${host}`;
const { fullName, repositoryId, ownerId } = exampleRepository;
const [owner, repo] = fullName.split("/") as [string, string];

interface Token {
  /**
   * name: `repo:owner/name:…` (repositories from before 2026-06-18); immutable: `repo:owner-<id>/name-<id>:…`
   * (GitHub's changelog of 2026-04-23, the default for repositories created or renamed since 2026-06-18);
   * immutable-at: `repo:owner@<id>/name@<id>:…` (the form github/docs#45221 proposed).
   */
  subjectFormat: (typeof formats)[number];
  environment?: string;
  /** The run's ref, e.g. refs/heads/main or refs/pull/7/merge. */
  ref: string;
  workflowFile: string;
  /** Another repository's values. */
  repository?: { owner: string; repo: string; ownerId: string; repositoryId: string };
}

/** The claims STS sees for a job's token. */
function claims(token: Token): Record<string, string> {
  const r = token.repository ?? { owner, repo, ownerId, repositoryId };
  const context = token.environment
    ? `environment:${token.environment}`
    : token.ref.startsWith("refs/pull/")
      ? "pull_request"
      : `ref:${token.ref}`;
  const sub = {
    name: `repo:${r.owner}/${r.repo}:${context}`,
    immutable: `repo:${r.owner}-${r.ownerId}/${r.repo}-${r.repositoryId}:${context}`,
    "immutable-at": `repo:${r.owner}@${r.ownerId}/${r.repo}@${r.repositoryId}:${context}`,
  }[token.subjectFormat];
  return {
    [`${host}:aud`]: "sts.amazonaws.com",
    [`${host}:sub`]: sub,
    [`${host}:repository`]: `${r.owner}/${r.repo}`,
    [`${host}:repository_id`]: r.repositoryId,
    [`${host}:repository_owner_id`]: r.ownerId,
    [`${host}:ref`]: token.ref,
    [`${host}:job_workflow_ref`]: `${r.owner}/${r.repo}/.github/workflows/${token.workflowFile}@${token.ref}`,
    ...(token.environment ? { [`${host}:environment`]: token.environment } : {}),
  };
}

const decide = (role: string, token: Token) =>
  assumeRoleWithWebIdentity(
    trustDocumentOf(ci, role),
    roleNamed(ci, role)?.inputs.arn ?? `arn:aws:iam::123456789012:role/${role}`,
    providerArn,
    claims(token),
  );

const formats = ["name", "immutable", "immutable-at"] as const;
const pullRequest = { ref: "refs/pull/7/merge", workflowFile: "preview.yml", environment: "preview" };
const drift = { ref: "refs/heads/main", workflowFile: "drift.yml", environment: "drift" };
const rightsize = { ref: "refs/heads/main", workflowFile: "rightsize.yml", environment: "drift" };
const deployDev = { ref: "refs/heads/main", workflowFile: "pulumi-up.yml", environment: "dev" };
const deployProd = { ...deployDev, environment: "production" };
const otherRepository = {
  owner: "mallory",
  repo: "cost-aware-platform",
  ownerId: "5550001",
  repositoryId: "5550002",
};
// The same names after the original repository was deleted and its name taken: new ids.
const recycledName = { owner, repo, ownerId: "7770001", repositoryId: "7770002" };

describe("GitHub OIDC trust, evaluated", () => {
  it.each(formats)(
    "a pull request's preview token (%s subject) may assume the preview role",
    (subjectFormat) => {
      expect(decide("ci-preview", { subjectFormat, ...pullRequest })).toBe("Allowed");
    },
  );

  it.each(formats)("main's drift token (%s subject) may assume the drift role", (subjectFormat) => {
    expect(decide("ci-drift", { subjectFormat, ...drift })).toBe("Allowed");
  });

  it.each(formats)(
    "main's right-sizing token (%s subject) may assume the drift role; on a branch or in the preview environment it may not",
    (subjectFormat) => {
      expect(decide("ci-drift", { subjectFormat, ...rightsize })).toBe("Allowed");
      expect(decide("ci-drift", { subjectFormat, ...rightsize, ref: "refs/heads/feature" })).toBe(
        "ImplicitlyDenied",
      );
      expect(decide("ci-drift", { subjectFormat, ...rightsize, environment: "preview" })).toBe(
        "ImplicitlyDenied",
      );
      expect(decide("ci-deploy", { subjectFormat, ...rightsize, environment: "dev" })).toBe(
        "ImplicitlyDenied",
      );
    },
  );

  it.each(formats)(
    "main's deploy tokens (%s subject) may assume the deploy role, dev and production",
    (subjectFormat) => {
      expect(decide("ci-deploy", { subjectFormat, ...deployDev })).toBe("Allowed");
      expect(decide("ci-deploy", { subjectFormat, ...deployProd })).toBe("Allowed");
    },
  );

  describe.each(formats)("denied (%s subject)", (subjectFormat) => {
    it("another repository", () => {
      for (const [role, token] of [
        ["ci-preview", pullRequest],
        ["ci-drift", drift],
        ["ci-deploy", deployDev],
      ] as const) {
        expect(decide(role, { subjectFormat, ...token, repository: otherRepository }), role).toBe(
          "ImplicitlyDenied",
        );
      }
    });

    it("a recycled repository name (same owner/name, other ids)", () => {
      expect(decide("ci-deploy", { subjectFormat, ...deployDev, repository: recycledName })).toBe(
        "ImplicitlyDenied",
      );
      expect(decide("ci-preview", { subjectFormat, ...pullRequest, repository: recycledName })).toBe(
        "ImplicitlyDenied",
      );
    });

    it("another workflow file naming the deploy environment (on main too)", () => {
      expect(decide("ci-deploy", { subjectFormat, ...deployDev, workflowFile: "preview.yml" })).toBe(
        "ImplicitlyDenied",
      );
      expect(decide("ci-drift", { subjectFormat, ...drift, workflowFile: "ci.yml" })).toBe(
        "ImplicitlyDenied",
      );
    });

    it("another environment", () => {
      expect(decide("ci-deploy", { subjectFormat, ...deployDev, environment: "staging" })).toBe(
        "ImplicitlyDenied",
      );
      // A pull request naming a deploy environment gets that subject, but the preview role trusts only its own.
      expect(decide("ci-preview", { subjectFormat, ...pullRequest, environment: "dev" })).toBe(
        "ImplicitlyDenied",
      );
      expect(decide("ci-drift", { subjectFormat, ...drift, environment: "preview" })).toBe(
        "ImplicitlyDenied",
      );
      // A pull-request job without an environment (subject pull_request): none of the roles.
      const { environment: _none, ...noEnvironment } = pullRequest;
      expect(decide("ci-preview", { subjectFormat, ...noEnvironment })).toBe("ImplicitlyDenied");
    });

    it("another branch", () => {
      expect(decide("ci-deploy", { subjectFormat, ...deployDev, ref: "refs/heads/feature" })).toBe(
        "ImplicitlyDenied",
      );
      expect(decide("ci-drift", { subjectFormat, ...drift, ref: "refs/heads/feature" })).toBe(
        "ImplicitlyDenied",
      );
    });
  });

  it("a token for another audience is denied", () => {
    const token = { subjectFormat: "immutable" as const, ...deployDev };
    const trust = trustDocumentOf(ci, "ci-deploy");
    const arn = "arn:aws:iam::123456789012:role/ci-deploy";
    expect(
      assumeRoleWithWebIdentity(trust, arn, providerArn, {
        ...claims(token),
        [`${host}:aud`]: "https://github.com/your-org",
      }),
    ).toBe("ImplicitlyDenied");
    expect(assumeRoleWithWebIdentity(trust, arn, providerArn, claims(token))).toBe("Allowed");
  });
});
