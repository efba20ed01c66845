import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateFromReport, recordEstimate } from "../infra/cost/record-estimate.js";
import { estimateOfStack, reportOfEstimate } from "../infra/cost/stack-estimate.js";
import { runProgramUnderMocks } from "../infra/under-mocks/mocks.js";
import { scratchDir } from "./workflow-scripts-support.js";

/** The deploy's estimate record (npm run cost:record-estimate). */
const scratch = scratchDir();

describe("the deploy's estimate record (npm run cost:record-estimate)", () => {
  // The JSON npm run cost writes for a stack (infra/cost/README.md, schema version 1), built in process
  // the way it builds it (tests/workflows.deploy-estimate.e2e.test.ts runs the real npm run cost).
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
