import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeRepository } from "./fake-github.js";

/**
 * The weekly right-sizing's pull request (.github/scripts/rightsize-pr.cjs, run by rightsize.yml through
 * actions/github-script with a GitHub App's token) against a fake GitHub API: one pull request, its branch
 * a commit on main that changes the catalogue alone, updated in place, closed when nothing is left to do.
 */
const root = join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const script = require(join(root, ".github", "scripts", "rightsize-pr.cjs")) as {
  RIGHTSIZE_BRANCH: string;
  BODY_LIMIT: number;
  proposeRightsizing: (
    args: Record<string, unknown>,
  ) => Promise<{ action: string; number?: number; sha?: string }>;
};
const catalogue = readFileSync(join(root, "catalogue", "services.ts"), "utf8");
const files = { "catalogue/services.ts": catalogue, "README.md": "# the template\n" };
const edited = catalogue.replace('cpu: "50m", memory: "96Mi"', 'cpu: "15m", memory: "96Mi"');
const table = "| workload | … |\n| --- | --- |\n| platform/storefront (Deployment) | 50m → **15m** |\n";
const args = (repo: ReturnType<typeof fakeRepository>, more: Record<string, unknown>) => ({
  github: repo.github,
  owner: "o",
  repo: "r",
  base: "main",
  table,
  runUrl: "https://github.com/o/r/actions/runs/1",
  ...more,
});

describe("the right-sizing pull request", () => {
  it("opens one pull request from a branch whose commit, on main, changes catalogue/services.ts alone", async () => {
    const repo = fakeRepository(files);
    const result = await script.proposeRightsizing(args(repo, { catalogue: edited }));
    expect(result.action).toBe("created");
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]).toMatchObject({ head: script.RIGHTSIZE_BRANCH, base: "main", state: "open" });
    expect(repo.pulls[0]?.body).toContain("platform/storefront (Deployment) | 50m → **15m**");
    expect(repo.pulls[0]?.body).toContain("Preview comment prices the change");
    expect(repo.filesOf(script.RIGHTSIZE_BRANCH)).toEqual({ ...files, "catalogue/services.ts": edited });
    const commit = repo.commits.get(result.sha as string);
    expect(commit?.parents).toEqual(["c0"]);
  });

  it("a later run rebuilds the branch on main and edits the same pull request", async () => {
    const repo = fakeRepository(files);
    const first = await script.proposeRightsizing(args(repo, { catalogue: edited }));
    const again = edited.replace('cpu: "15m"', 'cpu: "20m"');
    const second = await script.proposeRightsizing(args(repo, { catalogue: again, table: "| newer |" }));
    expect(second).toMatchObject({ action: "updated", number: first.number });
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]?.body).toContain("| newer |");
    expect(repo.filesOf(script.RIGHTSIZE_BRANCH)?.["catalogue/services.ts"]).toBe(again);
    expect(repo.commits.get(second.sha as string)?.parents).toEqual(["c0"]);
  });

  it("closes the pull request with a note when nothing is left to change, and does nothing without one", async () => {
    const repo = fakeRepository(files);
    expect(await script.proposeRightsizing(args(repo, { catalogue: undefined }))).toEqual({ action: "none" });
    expect(repo.calls).toEqual([]);
    const { number } = await script.proposeRightsizing(args(repo, { catalogue: edited }));
    expect(await script.proposeRightsizing(args(repo, { catalogue: undefined }))).toEqual({
      action: "closed",
      number,
    });
    expect(repo.pulls[0]?.state).toBe("closed");
    expect(repo.comments[0]?.body).toContain("Nothing left to change");
    // Closed is not open: the next change opens a new one.
    expect((await script.proposeRightsizing(args(repo, { catalogue: edited }))).action).toBe("created");
  });

  it("keeps the body under GitHub's limit, however long the table", async () => {
    const repo = fakeRepository(files);
    await script.proposeRightsizing(args(repo, { catalogue: edited, table: "x".repeat(200_000) }));
    expect(repo.pulls[0]?.body.length).toBeLessThanOrEqual(script.BODY_LIMIT);
    expect(repo.pulls[0]?.body).toContain("table cut");
  });
});
