import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeGitHub } from "./fake-github.js";
import { require, root, scratchDir } from "./workflow-scripts-support.js";

/** The drift issue script (.github/scripts/drift-issue.cjs) and the drift summary. */
const scratch = scratchDir();

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
