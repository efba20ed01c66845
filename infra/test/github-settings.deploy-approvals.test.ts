import { describe, expect, it } from "vitest";
import { githubIds, runBootstrap } from "./bootstrap-run";
import { environmentsOf, one } from "./github-settings-run";

/**
 * Who the bootstrap makes approve deploys, where the plan allows.
 */

describe("who approves deploys, where the plan allows", () => {
  it("without reviewers, the bootstrap names the setting and creates nothing", async () => {
    const error = await runBootstrap({ deployReviewers: "[]" }).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(error?.message).toContain("bootstrap:deployReviewers: who approves deploys in production");
    expect(error?.registeredResources).toEqual([]);
  });

  it("teams are looked up by slug in the repository's organisation; another organisation's team is refused", async () => {
    const run = await runBootstrap({
      deployReviewers: JSON.stringify(["octo-maintainer", "your-org/platform-leads"]),
    });
    expect(environmentsOf(run).production?.reviewers).toEqual([
      { users: [githubIds["octo-maintainer"]], teams: [githubIds["your-org/platform-leads"]] },
    ]);
    const foreign = await runBootstrap({ deployReviewers: JSON.stringify(["other-org/leads"]) }).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(foreign?.message).toContain(
      "bootstrap:deployReviewers: other-org/leads: a team must belong to your-org",
    );
    expect(foreign?.registeredResources).toEqual([]);
  });

  it("pull-request-review (no required reviewers on the plan): no reviewers, one approving review of the latest push", async () => {
    const run = await runBootstrap({ deployApproval: "pull-request-review", deployReviewers: "[]" });
    const environments = Object.values(environmentsOf(run)) as { reviewers?: unknown }[];
    expect(environments).toHaveLength(4);
    for (const environment of environments) expect(environment.reviewers).toBeUndefined();
    const [ruleset] = one(run, "repositoryRuleset:RepositoryRuleset");
    expect(ruleset?.inputs.rules.pullRequest).toEqual({
      requiredApprovingReviewCount: 1,
      dismissStaleReviewsOnPush: true,
      requireLastPushApproval: true,
      requireCodeOwnerReview: true,
    });
  });
});
