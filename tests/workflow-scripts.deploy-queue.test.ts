import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeActions, type Run } from "./fake-github.js";
import { require, root } from "./workflow-scripts-support.js";

/** The deploy queue script (.github/scripts/deploy-queue.cjs): which commit a deploy takes and when it runs again. */

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
    // A run GitHub has just queued in the concurrency group: recorded in the run list, then queued.
    const queueRun = async (workflow: string, headSha?: string) => {
      const entry: Run = {
        id: ++clock,
        workflow,
        status: "queued",
        created_at: new Date(clock * 1000).toISOString(),
        ...(headSha === undefined ? {} : { head_sha: headSha }),
      };
      actions.runs.push(entry);
      await enqueue(entry);
    };
    const startDeploy = async () => {
      const { sha } = await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" });
      await queueRun("deploy.yml", sha);
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
      await queueRun("drift.yml");
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
      await merge("c2"); // c2 pending
      await queueRun("drift.yml");
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
