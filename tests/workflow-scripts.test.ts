import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { estimateFromReport, recordEstimate } from "../infra/cost/record-estimate.js";
import { estimateOfStack, reportOfEstimate } from "../infra/cost/stack-estimate.js";
import { runProgramUnderMocks } from "../infra/under-mocks/mocks.js";
import { fakeActions, fakeGitHub, fakePullRequest, type Run } from "./fake-github.js";

/**
 * The scripts the workflows run through actions/github-script and node (.github/scripts/*.cjs), driven with
 * a fake GitHub client; no process is started. tests/workflows.e2e.test.ts checks that the workflows call
 * them.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "workflow-scripts-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const queue = require(join(root, ".github", "scripts", "deploy-queue.cjs")) as {
  deployInFlight: (args: Record<string, unknown>) => Promise<Run[]>;
  shouldRequeue: (args: Record<string, unknown>) => Promise<{ requeue: boolean; newer: number[] }>;
  commitToDeploy: (args: Record<string, unknown>) => Promise<{ sha?: string; reason?: string }>;
};

describe("deploy queue: main's head with green tests (item 11)", () => {
  it("commitToDeploy: main's head when CI passed for it, nothing while it has not", async () => {
    const actions = fakeActions();
    actions.head = "c2";
    actions.runs.push({
      id: 1,
      workflow: "ci.yml",
      head_sha: "c1",
      conclusion: "success",
      status: "completed",
    });
    expect(await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" })).toMatchObject({
      sha: undefined,
    });
    actions.runs.push({
      id: 2,
      workflow: "ci.yml",
      head_sha: "c2",
      conclusion: "failure",
      status: "completed",
    });
    expect(
      (await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" })).sha,
    ).toBeUndefined();
    actions.runs.push({
      id: 3,
      workflow: "ci.yml",
      head_sha: "c2",
      conclusion: "success",
      status: "completed",
    });
    expect(await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" })).toEqual({
      sha: "c2",
    });
  });
});

describe("deploy queue: a merged change is never silently skipped (item 8)", () => {
  /**
   * GitHub's rule, modelled: per concurrency group one running and one pending run; a newly queued run
   * replaces (cancels) the pending one. Merges arrive while a deploy runs; a drift check arrives; the
   * question is whether main's head ends up deployed.
   */
  async function scenario(config: { driftGate: boolean; requeue: boolean; driftBeforeSecondMerge: boolean }) {
    const actions = fakeActions();
    const group: { running?: Run; pending?: Run } = {};
    const deployed: string[] = [];
    let clock = 0;
    const enqueue = async (entry: Run) => {
      if (!group.running) {
        group.running = entry;
        entry.status = "in_progress";
        return;
      }
      const replaced = group.pending;
      group.pending = entry;
      if (replaced) {
        replaced.status = "completed";
        replaced.conclusion = "cancelled";
        if (replaced.workflow === "deploy.yml" && config.requeue) {
          const { requeue } = await queue.shouldRequeue({
            github: actions.github,
            owner: "o",
            repo: "r",
            runId: replaced.id,
          });
          if (requeue) await startDeploy();
        }
      }
    };
    const startDeploy = async () => {
      const { sha } = await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" });
      const entry: Run = {
        id: ++clock,
        workflow: "deploy.yml",
        status: "queued",
        created_at: new Date(clock * 1000).toISOString(),
        head_sha: sha,
      };
      actions.runs.push(entry);
      await enqueue(entry);
    };
    const merge = async (sha: string) => {
      actions.head = sha;
      actions.runs.push({
        id: ++clock,
        workflow: "ci.yml",
        head_sha: sha,
        conclusion: "success",
        status: "completed",
      });
      await startDeploy();
    };
    const drift = async () => {
      if (
        config.driftGate &&
        (await queue.deployInFlight({ github: actions.github, owner: "o", repo: "r" })).length > 0
      )
        return;
      const entry: Run = {
        id: ++clock,
        workflow: "drift.yml",
        status: "queued",
        created_at: new Date(clock * 1000).toISOString(),
      };
      actions.runs.push(entry);
      await enqueue(entry);
    };
    const finishRunning = () => {
      const done = group.running as Run;
      done.status = "completed";
      done.conclusion = "success";
      if (done.workflow === "deploy.yml") deployed.push(done.head_sha as string);
      group.running = group.pending;
      if (group.running) group.running.status = "in_progress";
      group.pending = undefined;
    };
    await merge("c1"); // deploying c1
    if (config.driftBeforeSecondMerge) {
      // The race the gate cannot see: the drift check passed its gate, then c2's deploy queued first.
      const gatePassed = true;
      await merge("c2"); // c2 pending
      if (gatePassed) {
        const entry: Run = {
          id: ++clock,
          workflow: "drift.yml",
          status: "queued",
          created_at: new Date(clock * 1000).toISOString(),
        };
        actions.runs.push(entry);
        await enqueue(entry);
      }
    } else {
      await merge("c2"); // c2 pending behind c1
      await drift(); // the morning check arrives
    }
    while (group.running) finishRunning();
    return { deployed, head: actions.head };
  }

  it("as configured, main's head is deployed however the drift check arrives", async () => {
    for (const driftBeforeSecondMerge of [false, true]) {
      const { deployed, head } = await scenario({ driftGate: true, requeue: true, driftBeforeSecondMerge });
      expect(deployed.at(-1), `race: ${driftBeforeSecondMerge}`).toBe(head);
    }
  });

  it("without the gate and the re-queue (the old configuration), the drift check silently drops the merge", async () => {
    const { deployed, head } = await scenario({
      driftGate: false,
      requeue: false,
      driftBeforeSecondMerge: false,
    });
    expect(deployed).toEqual(["c1"]);
    expect(head).toBe("c2");
  });

  it("shouldRequeue: no re-queue when a newer deploy run exists, so two cancelled runs cannot ping-pong", async () => {
    const actions = fakeActions();
    actions.runs.push(
      {
        id: 10,
        workflow: "deploy.yml",
        status: "completed",
        conclusion: "cancelled",
        created_at: "2026-12-01T10:00:00Z",
      },
      { id: 11, workflow: "deploy.yml", status: "queued", created_at: "2026-12-01T10:01:00Z" },
    );
    expect(await queue.shouldRequeue({ github: actions.github, owner: "o", repo: "r", runId: 10 })).toEqual({
      requeue: false,
      newer: [11],
    });
    // run 11 is the newest deploy, but no drift check was queued after it: nothing replaced it
    expect(
      (await queue.shouldRequeue({ github: actions.github, owner: "o", repo: "r", runId: 11 })).requeue,
    ).toBe(false);
    actions.runs.push({
      id: 12,
      workflow: "drift.yml",
      status: "queued",
      created_at: "2026-12-01T10:02:00Z",
    });
    expect(
      (await queue.shouldRequeue({ github: actions.github, owner: "o", repo: "r", runId: 11 })).requeue,
    ).toBe(true);
  });

  it("shouldRequeue: a deploy cancelled by hand (no drift check queued after it) stays cancelled", async () => {
    const actions = fakeActions();
    actions.runs.push(
      { id: 20, workflow: "drift.yml", status: "completed", created_at: "2026-12-01T06:17:00Z" },
      {
        id: 21,
        workflow: "deploy.yml",
        status: "completed",
        conclusion: "cancelled",
        created_at: "2026-12-01T10:00:00Z",
      },
    );
    expect(await queue.shouldRequeue({ github: actions.github, owner: "o", repo: "r", runId: 21 })).toEqual({
      requeue: false,
      newer: [],
    });
  });
});

describe("cost approval script: an approval covers the commit it was given for", () => {
  const script = require(join(root, ".github", "scripts", "cost-approval.cjs")) as {
    findCostApprover: (args: Record<string, unknown>) => Promise<{ login?: string; reason?: string }>;
  };
  const roles = { alice: "admin", maya: "maintain", walt: "write" };
  const A = "a".repeat(40);
  const B = "b".repeat(40);
  const approver = (pr: ReturnType<typeof fakePullRequest>, sha: string) =>
    script.findCostApprover({
      github: pr.github,
      owner: "o",
      repo: "r",
      issueNumber: 7,
      head: { ref: pr.headRef, sha },
    });
  const pullRequest = () => Object.assign(fakePullRequest(), { roles: { ...roles } });

  it("the adder of cost-approved after the head was pushed, when a maintainer or admin", async () => {
    const pr = pullRequest();
    pr.push(A, 0);
    pr.label("cost-approved", "maya", 5);
    expect(await approver(pr, A)).toEqual({ login: "maya" });
    // walt's label is removed and alice adds it again: alice approves.
    const again = pullRequest();
    again.push(A, 0);
    again.label("cost-approved", "walt", 2);
    again.unlabel("cost-approved", "alice", 3);
    again.label("cost-approved", "alice", 4);
    expect(await approver(again, A)).toEqual({ login: "alice" });
  });

  it("a push after the approval voids it: the label stays, but approves nothing until added again", async () => {
    const pr = pullRequest();
    pr.push(A, 0);
    pr.label("cost-approved", "maya", 5);
    pr.push(B, 9); // a bigger increase, pushed after the approval
    const stale = await approver(pr, B);
    expect(stale.login).toBeUndefined();
    expect(stale.reason).toBe(
      `maya added cost-approved at ${new Date(Date.UTC(2026, 11, 7, 9, 5)).toISOString()}, before bbbbbbb was pushed at ${new Date(Date.UTC(2026, 11, 7, 9, 9)).toISOString()}: remove the label and add it again to approve this commit`,
    );
    pr.unlabel("cost-approved", "maya", 12);
    pr.label("cost-approved", "maya", 13);
    expect(await approver(pr, B)).toEqual({ login: "maya" });
  });

  it("a force push back to a commit pushed before the approval needs a new approval too", async () => {
    const pr = pullRequest();
    pr.push(B, 0); // the costly commit, seen first
    pr.push(A, 3, "force_push"); // replaced by a cheaper one, which is approved
    pr.label("cost-approved", "alice", 5);
    expect(await approver(pr, A)).toEqual({ login: "alice" });
    pr.push(B, 8, "force_push"); // and back: B was never approved
    expect((await approver(pr, B)).login).toBeUndefined();
  });

  it("no approval when GitHub records no push of the head, the label is gone or its adder has only write access", async () => {
    const unknownHead = pullRequest();
    unknownHead.push(A, 0);
    unknownHead.label("cost-approved", "alice", 5);
    expect(await approver(unknownHead, B)).toEqual({
      login: undefined,
      reason:
        "GitHub records no push of bbbbbbb to feature, so cost-approved cannot be shown to come after it",
    });
    const removed = pullRequest();
    removed.push(A, 0);
    removed.label("cost-approved", "alice", 5);
    removed.unlabel("cost-approved", "alice", 6);
    expect(await approver(removed, A)).toEqual({ login: undefined, reason: "no cost-approved label" });
    const writer = pullRequest();
    writer.push(A, 0);
    writer.label("cost-approved", "walt", 5);
    expect(await approver(writer, A)).toEqual({
      login: undefined,
      reason: "walt added cost-approved but has write, not admin or maintain",
    });
  });
});

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

describe("drift issue script", () => {
  const script = require(join(root, ".github", "scripts", "drift-issue.cjs")) as {
    DRIFT_TITLE: string;
    reportDrift: (args: Record<string, unknown>) => Promise<{ action: string; number?: number }>;
  };
  const report = (github: unknown, drifted: { stack: string; summary: string }[]) =>
    script.reportDrift({ github, owner: "o", repo: "r", drifted, runUrl: "https://example.test/run" });

  it("opens one issue, updates it on the next drift, and closes it when clean", async () => {
    const { github, issues, calls } = fakeGitHub();
    expect(await report(github, [])).toEqual({ action: "none" });
    expect(await report(github, [{ stack: "dev", summary: "1 to update" }])).toEqual({
      action: "created",
      number: 1,
    });
    expect(await report(github, [{ stack: "prod", summary: "2 to delete" }])).toEqual({
      action: "updated",
      number: 1,
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.title).toBe(script.DRIFT_TITLE);
    expect(issues[0]?.body).toContain("Stack `prod`");
    expect(issues[0]?.body).not.toContain("Stack `dev`");
    expect(await report(github, [])).toEqual({ action: "closed", number: 1 });
    expect(issues[0]?.state).toBe("closed");
    expect(calls).toEqual(["createLabel", "create", "update", "createComment", "update"]);
  });
});

describe("drift summary", () => {
  it("the summary lists what changed from that JSON, or says the preview failed", () => {
    const { driftSummary } = require(join(root, ".github", "scripts", "drift-summary.cjs")) as {
      driftSummary: (file: string, runUrl: string) => string;
    };
    const file = join(scratch, "drift.json");
    writeFileSync(
      file,
      JSON.stringify({
        steps: [
          {
            op: "update",
            urn: "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::storefront-deployment",
            detailedDiff: { "spec.template.spec.containers[0].image": { kind: "update" } },
          },
        ],
        changeSummary: { update: 1, same: 80 },
      }),
    );
    const summary = driftSummary(file, "https://example.test/run");
    expect(summary).toContain("1 to update · 80 unchanged");
    expect(summary).toContain(
      "~ kubernetes:apps/v1:Deployment storefront-deployment (spec.template.spec.containers[0].image)",
    );
    writeFileSync(file, "");
    expect(driftSummary(file, "https://example.test/run")).toContain("The preview itself failed");
  });
});

describe("the deploy's estimate record (npm run cost:record-estimate)", () => {
  // The JSON npm run cost writes for a stack (infra/cost/README.md, schema version 1), built in process
  // the way it builds it (tests/workflows.e2e.test.ts runs the real npm run cost).
  const stackReport = async () =>
    JSON.parse(
      JSON.stringify(reportOfEstimate(estimateOfStack("dev", await runProgramUnderMocks("dev")))),
    ) as Record<string, unknown>;

  it("publishes the stack's monthly total and its hourly share, labelled with the stack, commit and day", async () => {
    const report = await stackReport();
    const file = join(scratch, "dev-cost.json");
    writeFileSync(file, JSON.stringify(report));
    const rule = JSON.parse(recordEstimate(["--report", file, "--commit", "abc1234"])) as {
      metadata: { name: string; namespace: string };
      spec: { groups: { rules: { record: string; expr: string; labels: Record<string, string> }[] }[] };
    };
    expect(rule.metadata).toMatchObject({ name: "cost-estimate", namespace: "monitoring" });
    const totals = report.totals as { after: string };
    expect(rule.spec.groups[0]?.rules.map((r) => [r.record, r.expr])).toEqual([
      ["platform:cost_estimate_monthly:usd", `vector(${totals.after})`],
      ["platform:cost_estimate:usd_per_hour", `vector(${totals.after} / 730)`],
    ]);
    expect(rule.spec.groups[0]?.rules[0]?.labels).toEqual({
      stack: "dev",
      commit: "abc1234",
      priced_on: report.monthStart,
    });
  }, 60_000);

  it("refuses a preview's diff, another schema version and a commit that is not one, saying what to run", async () => {
    const report = await stackReport();
    expect(() => estimateFromReport({ ...report, mode: "diff" }, "abc1234")).toThrow(
      /prices a change \(mode diff\), not the stack: run npm run cost -- --stack dev --format json/,
    );
    expect(() => estimateFromReport({ ...report, schemaVersion: 2 }, "abc1234")).toThrow(
      /schemaVersion is 2, not 1/,
    );
    expect(() => estimateFromReport(report, "main; rm -rf /")).toThrow(/--commit must be a commit id/);
    expect(() => recordEstimate(["--report", join(scratch, "missing.json"), "--commit", "abc1234"])).toThrow(
      /cannot read the cost report/,
    );
  }, 60_000);
});
