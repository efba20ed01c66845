import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakePullRequest } from "./fake-github.js";
import { require, root } from "./workflow-scripts-support.js";

/** The cost approval script (.github/scripts/cost-approval.cjs). */

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
