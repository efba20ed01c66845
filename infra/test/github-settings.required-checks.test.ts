// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkNamesOf,
  GITHUB_ACTIONS_APP_ID,
  requiredCheckNames,
  workflowsDir,
} from "../bootstrap/required-checks";
import { readCiStacks } from "../ci-stacks";
import { ci, one, scratch, useBootstrapRun, workflowFiles } from "./github-settings-run";

/**
 * The bootstrap's required checks under Pulumi mocks, derived from the workflow files.
 */
useBootstrapRun();

describe("required checks, derived from the workflow files", () => {
  it("are CI's tests on both Node versions and each previewed stack's preview, as GitHub names them", () => {
    const previewed = readCiStacks()
      .filter((s) => s.pullRequestPreview)
      .map((s) => s.name);
    expect(requiredCheckNames(previewed)).toEqual([
      "npm test (Node lts)",
      "npm test (Node floor)",
      ...previewed.map((stack) => `preview (${stack})`),
    ]);
  });

  it("the ruleset on main requires exactly them, from the GitHub Actions app, and blocks deletion and force pushes", () => {
    const [ruleset] = one(ci, "repositoryRuleset:RepositoryRuleset");
    expect(ruleset?.inputs).toMatchObject({
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
    });
    expect(ruleset?.inputs.rules.requiredStatusChecks.requiredChecks).toEqual(
      ["npm test (Node lts)", "npm test (Node floor)", "preview (dev)"].map((context) => ({
        context,
        integrationId: GITHUB_ACTIONS_APP_ID,
      })),
    );
    expect(ruleset?.inputs.rules).toMatchObject({ deletion: true, nonFastForward: true });
    // Every change reaches main through a pull request (so through its preview); maintainers and admins, who
    // may approve a cost, may also merge one whose preview cannot run (a fork, Dependabot).
    expect(ruleset?.inputs.rules.pullRequest.requiredApprovingReviewCount).toBe(1);
    expect(ruleset?.inputs.bypassActors).toEqual([
      { actorId: 2, actorType: "RepositoryRole", bypassMode: "pull_request" },
      { actorId: 5, actorType: "RepositoryRole", bypassMode: "pull_request" },
    ]);
    expect(ci.outputs.requiredChecks).toEqual([
      "npm test (Node lts)",
      "npm test (Node floor)",
      "preview (dev)",
    ]);
  });

  /** A copy of the workflow files with one edited, to show the names follow the files. */
  const edited = (file: string, edit: (text: string) => string) => {
    const dir = fs.mkdtempSync(path.join(scratch, "workflows-"));
    for (const f of workflowFiles) fs.copyFileSync(path.join(workflowsDir, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dir, file), "utf8")));
    return dir;
  };

  it("follow a renamed job, a matrix value added, a name without matrix values and a job without a name", () => {
    const renamed = edited("ci.yml", (t) =>
      t.replace("name: npm test (Node ${{ matrix.node }})", "name: tests on ${{ matrix.node }}"),
    );
    expect(requiredCheckNames(["dev"], renamed).slice(0, 2)).toEqual(["tests on lts", "tests on floor"]);
    const moreStacks = requiredCheckNames(["dev", "staging"]);
    expect(moreStacks.slice(2)).toEqual(["preview (dev)", "preview (staging)"]);
    // GitHub appends the matrix values to a name that does not use them, and names a nameless job by its id.
    const plain = edited("ci.yml", (t) =>
      t.replace("name: npm test (Node ${{ matrix.node }})", "name: npm test"),
    );
    expect(checkNamesOf({ workflow: "ci.yml", job: "test", dir: plain })).toEqual([
      "npm test (lts)",
      "npm test (floor)",
    ]);
    const nameless = edited("ci.yml", (t) => t.replace("    name: npm test (Node ${{ matrix.node }})\n", ""));
    expect(checkNamesOf({ workflow: "ci.yml", job: "test", dir: nameless })).toEqual([
      "test (lts)",
      "test (floor)",
    ]);
    expect(requiredCheckNames([], workflowsDir)).toEqual(["npm test (Node lts)", "npm test (Node floor)"]);
  });

  it("refuse what they cannot name rather than guess", () => {
    const unknownSource = () => checkNamesOf({ workflow: "preview.yml", job: "preview" });
    expect(unknownSource).toThrow(
      /preview\.yml job preview: matrix\.stack is .*needs\.stacks\.outputs\.names.*not known here/,
    );
    const withInclude = edited("ci.yml", (t) =>
      t.replace("node: [lts, floor]", "node: [lts, floor]\n        include:\n          - node: next"),
    );
    expect(() => checkNamesOf({ workflow: "ci.yml", job: "test", dir: withInclude })).toThrow(
      /matrix include is not supported/,
    );
    expect(() => checkNamesOf({ workflow: "ci.yml", job: "lint" })).toThrow("ci.yml has no job lint");
    expect(() => checkNamesOf({ workflow: "deploy.yml", job: "deploy-dev" })).toThrow(
      /calls a reusable workflow/,
    );
  });
});
