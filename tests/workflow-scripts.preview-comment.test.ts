import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeGitHub } from "./fake-github.js";
import { require, root, scratchDir } from "./workflow-scripts-support.js";

/** The preview comment script, for a preview that ran and for one that failed. */
const scratch = scratchDir();

describe("preview comment script", () => {
  const script = require(join(root, ".github", "scripts", "preview-comment.cjs")) as {
    COMMENT_LIMIT: number;
    marker: (stack: string) => string;
    buildBody: (args: Record<string, unknown>) => string;
    upsertComment: (args: Record<string, unknown>) => Promise<{ action: string; id: number }>;
  };
  const post = (github: unknown, stack: string, body: string) =>
    script.upsertComment({
      github,
      owner: "o",
      repo: "r",
      issueNumber: 7,
      markerText: script.marker(stack),
      body,
    });

  it("creates one comment per stack, then edits it on later runs", async () => {
    const { github, comments, calls } = fakeGitHub();
    comments.push({ id: 1, body: `a human quoting ${script.marker("dev")}`, user: { type: "User" } });
    const first = await post(github, "dev", `${script.marker("dev")}\nfirst`);
    const prod = await post(github, "prod", `${script.marker("prod")}\nprod`);
    const second = await post(github, "dev", `${script.marker("dev")}\nsecond`);
    expect(first.action).toBe("created");
    expect(prod.action).toBe("created");
    expect(second).toEqual({ action: "updated", id: first.id });
    expect(calls).toEqual(["createComment", "createComment", "updateComment"]);
    expect(comments.map((c) => c.body)).toEqual([
      `a human quoting ${script.marker("dev")}`,
      `${script.marker("dev")}\nsecond`,
      `${script.marker("prod")}\nprod`,
    ]);
  });

  it("keeps the body under GitHub's limit however many resources change", () => {
    const steps = Array.from({ length: 20_000 }, (_, i) => ({
      op: "create",
      urn: `urn:pulumi:dev::p::kubernetes:core/v1:ConfigMap::dashboard-with-a-long-name-${i}`,
    }));
    const body = script.buildBody({
      stack: "dev",
      costMarkdown: "**Monthly cost will rise by $1.00, to $2.00**\n",
      preview: { steps, changeSummary: { create: 20_000 } },
      runUrl: "https://github.com/o/r/actions/runs/1",
      sha: "0123456789abcdef",
      policyOutcome: "passed",
    });
    expect(body.length).toBeLessThanOrEqual(script.COMMENT_LIMIT);
    expect(body.startsWith(script.marker("dev"))).toBe(true);
    expect(body).toContain("20000 to create");
    expect(body).toContain("**Monthly cost will rise by $1.00, to $2.00**");
    expect(body).toMatch(/… \d+ more/);
  });
});

describe("preview comment for a failed preview", () => {
  const script = require(join(root, ".github", "scripts", "preview-comment.cjs")) as {
    marker: (stack: string) => string;
    postPreviewComment: (args: Record<string, unknown>) => Promise<{ action: string; id: number }>;
  };
  const context = {
    payload: { pull_request: { head: { sha: "0123456789abcdef" } } },
    serverUrl: "https://github.com",
    repo: { owner: "o", repo: "r" },
    runId: 42,
    issue: { number: 7 },
  };

  it.each([
    ["empty", "", "the preview output is empty"],
    ["truncated", '{"steps": [{"op": "create"', "the preview output is not JSON"],
    ["diagnostics only", '{"diagnostics": []}', "the preview output has no steps"],
    ["missing", undefined, "no preview output was written"],
  ])("posts the comment when the preview JSON is %s", async (name, content, reason) => {
    const { github, comments } = fakeGitHub();
    const previewFile = join(scratch, `failed-preview-${name.replace(/\W/g, "-")}.json`);
    if (content !== undefined) writeFileSync(previewFile, content);
    const warnings: string[] = [];
    const result = await script.postPreviewComment({
      github,
      context,
      core: { info: () => undefined, warning: (m: string) => warnings.push(m) },
      stack: "dev",
      previewFile,
      costFile: join(scratch, "no-cost.md"),
      policyOutcome: "failed, see the log",
    });
    expect(result.action).toBe("created");
    const body = comments[0]?.body ?? "";
    expect(body.startsWith(script.marker("dev"))).toBe(true);
    expect(body).toContain("**preview failed**");
    expect(body).toContain("policy pack: failed, see the log");
    expect(body).toContain(reason);
    expect(body).toContain("https://github.com/o/r/actions/runs/42");
    expect(body).not.toContain("no changes");
    expect(warnings.join("\n")).toContain(reason);
  });

  it("a good preview still gets its change summary and cost diff", async () => {
    const { github, comments } = fakeGitHub();
    const previewFile = join(scratch, "good-preview.json");
    const costFile = join(scratch, "good-cost.md");
    writeFileSync(
      previewFile,
      JSON.stringify({
        steps: [{ op: "create", urn: "urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::nodes" }],
        changeSummary: { create: 1 },
      }),
    );
    writeFileSync(costFile, "**Monthly cost will rise by $1.00, to $2.00**\n");
    await script.postPreviewComment({
      github,
      context,
      stack: "dev",
      previewFile,
      costFile,
      policyOutcome: "passed",
    });
    const body = comments[0]?.body ?? "";
    expect(body).toContain("1 to create");
    expect(body).toContain("**Monthly cost will rise by $1.00, to $2.00**");
    expect(body).not.toContain("preview failed");
  });
});
