// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type ProgramRun, repoRoot } from "../under-mocks/mocks";
import { runBootstrap } from "./bootstrap-run";
import { ci, one, useBootstrapRun } from "./github-settings-run";

/**
 * The CODEOWNERS and rules that keep a pull request from changing its own cost guardrail.
 */
useBootstrapRun();

/** Whether a CODEOWNERS pattern (GitHub's gitignore-like syntax, the subset the bootstrap writes) covers a file. */
function covers(pattern: string, file: string): boolean {
  const anchored = pattern.replace(/^\//, "");
  if (anchored.endsWith("/")) return file.startsWith(anchored);
  const regex = anchored.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(`^${regex}$`).test(file);
}

describe("a pull request cannot change its own cost guardrail", () => {
  const codeOwnersFile = (run: ProgramRun) =>
    one(run, "repositoryFile:RepositoryFile").find((f) => f.inputs.file === ".github/CODEOWNERS");
  const rules = (run: ProgramRun) =>
    (run.resources.find((r) => r.type.endsWith("RepositoryRuleset"))?.inputs.rules ?? {}) as {
      pullRequest?: Record<string, unknown>;
    };

  it("commits a CODEOWNERS file to main that gives every file deciding the guardrail to bootstrap:codeOwners", () => {
    const file = codeOwnersFile(ci);
    expect(file?.inputs).toMatchObject({ repository: "cost-aware-platform", branch: "main" });
    const lines = String(file?.inputs.content)
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.split(/\s+/).slice(1)).toEqual(["@octo-maintainer"]);
    const patterns = lines.map((line) => line.split(/\s+/)[0] as string);
    const decidingFiles = [
      ".github/stacks.json",
      ".github/scripts/cost-approval.cjs",
      ".github/actions/pulumi-cost/action.yml",
      ".github/workflows/preview.yml",
      ".github/workflows/ci.yml",
      "Pulumi.dev.yaml",
      "Pulumi.prod.yaml",
      "infra/cost/usage.yaml",
      "infra/cost/template-config.ts",
      "infra/bootstrap/github-settings.ts",
      "packages/pulumi-cost/package.json",
    ];
    for (const decidingFile of decidingFiles) {
      expect(fs.existsSync(path.join(repoRoot, decidingFile)), decidingFile).toBe(true);
      expect(
        patterns.some((p) => covers(p, decidingFile)),
        decidingFile,
      ).toBe(true);
    }
    // A pattern that matches nothing (a file moved) would silently stop guarding it.
    const tracked = fs
      .readdirSync(repoRoot, { recursive: true, encoding: "utf8" })
      .filter((f) => !f.includes("node_modules"));
    for (const pattern of patterns) {
      expect(
        tracked.some((f) => covers(pattern, f.split(path.sep).join("/"))),
        pattern,
      ).toBe(true);
    }
  });

  it("the ruleset requires a code owner's approving review of the latest push, after the file exists", () => {
    expect(rules(ci).pullRequest).toMatchObject({
      requireCodeOwnerReview: true,
      requiredApprovingReviewCount: 1,
      dismissStaleReviewsOnPush: true,
      requireLastPushApproval: true,
    });
    const [ruleset] = one(ci, "repositoryRuleset:RepositoryRuleset");
    expect(ruleset?.dependencies).toContainEqual({
      type: "github:index/repositoryFile:RepositoryFile",
      name: codeOwnersFile(ci)?.name,
    });
  });

  it("owners may be teams of the repository's organisation", async () => {
    const run = await runBootstrap({
      codeOwners: JSON.stringify(["your-org/platform-leads", "octo-maintainer"]),
    });
    expect(String(codeOwnersFile(run)?.inputs.content)).toContain(
      "/.github/ @your-org/platform-leads @octo-maintainer",
    );
  });

  it.each([
    ["missing", undefined, "bootstrap:codeOwners"],
    ["empty", "[]", "bootstrap:codeOwners"],
    ["not a login", JSON.stringify(["not a login"]), "bootstrap:codeOwners"],
    [
      "another organisation's team",
      JSON.stringify(["other-org/leads"]),
      "bootstrap:codeOwners: other-org/leads",
    ],
  ])("a %s code owner setting fails before any resource, naming it", async (_, value, message) => {
    const overrides: Record<string, string> = value === undefined ? {} : { codeOwners: value };
    const error = await runBootstrap(overrides, { withoutCodeOwners: value === undefined }).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(error?.message).toContain(message);
    expect(error?.registeredResources).toEqual([]);
  });
});
