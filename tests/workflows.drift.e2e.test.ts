import { describe, expect, it } from "vitest";
import { job, steps, usesOf } from "./workflows-support.js";

/** The drift workflow. */

describe("drift", () => {
  it("refreshes and previews each stack once, as JSON, expecting no changes, then reports in one job", () => {
    const check = job("drift.yml", "check");
    const invocations = steps(check).filter((s) => /\bpulumi preview\b/.test(String(s.run ?? "")));
    expect(invocations).toHaveLength(1);
    expect(String(invocations[0]?.run)).toMatch(/--refresh --expect-no-changes --json/);
    expect(invocations[0]?.["continue-on-error"]).toBe(true);
    for (const step of usesOf(check, "pulumi/actions")) expect(step.with?.command).toBeUndefined();
    const summary = steps(check).find((s) => String(s.run ?? "").includes("drift-summary.cjs"));
    expect(String(summary?.run)).toContain('"$RUNNER_TEMP/drift.json"');
    const report = job("drift.yml", "report");
    expect(report.needs).toBe("check");
    expect(usesOf(report, "actions/github-script")[0]?.with.script).toContain(
      ".github/scripts/drift-issue.cjs",
    );
  });
});
