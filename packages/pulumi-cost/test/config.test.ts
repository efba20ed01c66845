import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../src/command.js";
import { costConfig, findConfig, NO_CONFIG } from "../src/config.js";
import { BadInputError } from "../src/limits.js";
import { DEPLOYMENT, deployment, estimateOf, NODE_GROUP, nodeGroup, preview, step } from "./fixtures.js";

// The configuration and the command, in process: what is read from where, and what a bad setting says.
const scratch = mkdtempSync(join(tmpdir(), "pulumi-cost-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const previewFile = join(scratch, "preview.json");
writeFileSync(
  previewFile,
  JSON.stringify(preview([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.medium", 2))])),
);

describe("the configuration", () => {
  it("is found as pulumi-cost.yaml in the directory, or given with --config, or is none", () => {
    const dir = mkdtempSync(join(scratch, "project-"));
    expect(findConfig(undefined, dir)).toBe(NO_CONFIG);
    writeFileSync(
      join(dir, "pulumi-cost.yaml"),
      "guardrail:\n  monthlyIncreaseUsd: 10\napprovalLabel: spend-ok\n",
    );
    expect(findConfig(undefined, dir).guardrail?.monthlyIncreaseUsd?.toFixed()).toBe("10");
    expect(findConfig(undefined, dir).approvalLabel).toBe("spend-ok");
    const other = join(dir, "other.json");
    writeFileSync(other, '{"budget": {"monthlyUsd": "123.45"}}');
    expect(findConfig(other, dir).budget).toMatchObject({ source: other });
    expect(findConfig(other, dir).budget?.monthlyUsd.toFixed(2)).toBe("123.45");
  });

  it("names every bad setting and refuses one it does not know", () => {
    const bad = () =>
      costConfig({ guardrail: {}, budget: { monthlyUsd: -1 }, region: "moon-1", colour: "red" });
    for (const problem of [
      "guardrail: set monthlyIncreaseUsd, monthlyIncreasePercent or both",
      "budget.monthlyUsd",
      "region: an AWS region",
      'Unrecognized key: "colour"',
    ]) {
      expect(bad).toThrow(problem);
    }
    expect(() =>
      costConfig({ resourceUsage: [{ resource: "x", charges: [{ item: "y", price: "nope" }] }] }),
    ).toThrow(/resourceUsage.0.charges.0.price/);
  });

  it("prices a named resource's usage charges from the configuration, never in the total", () => {
    const e = estimateOf(
      [step("create", DEPLOYMENT, "worker", undefined, deployment("worker", 1, { cpu: "1", memory: "1Gi" }))],
      {
        resourceUsage: [
          {
            resource: "worker",
            charges: [
              {
                item: "Cost Explorer API requests (the worker's)",
                price: "costExplorerApiRequest",
                quantity: [
                  { amount: 30, label: "days" },
                  { amount: 4, label: "requests a day" },
                ],
                quantityUnit: "requests",
                basis: "the worker's schedule",
              },
            ],
          },
        ],
      },
    );
    // 30 × 4 × $0.01 = $1.20, apart from the total
    expect(e.usage.lines.map((l) => l.charge.estimate?.arithmetic.plain)).toEqual([
      "30 days × 4 requests a day × $0.01/request = $1.20",
    ]);
    expect(e.totalAfter.toFixed(2)).toBe("0.00");
    expect(e.counts.usage).toBe(1);
  });
});

describe("the command", () => {
  it("prints the comment and exits 0 without a configuration", async () => {
    const { output, exitCode } = await run([previewFile, "--at", "2026-12-01"]);
    expect(exitCode).toBe(0);
    // 2 × t3.medium $60.74 + 2 × 20 GiB gp3 $3.20
    expect(output.split("\n")[0]).toBe("**Monthly cost will rise by $63.94, to $63.94**");
  });

  it("exits 3 over a configured guardrail, 0 once approved", async () => {
    const config = join(scratch, "strict.yaml");
    writeFileSync(config, "guardrail:\n  monthlyIncreaseUsd: 50\n");
    expect((await run([previewFile, "--config", config])).exitCode).toBe(3);
    expect((await run([previewFile, "--config", config, "--approved-by", "mona"])).exitCode).toBe(0);
  });

  it("refuses bad options and files as bad input", async () => {
    for (const args of [
      [previewFile, "--format", "html"],
      [previewFile, "--max-chars", "10"],
      [previewFile, "--at", "yesterday"],
      [join(scratch, "none.json")],
      [previewFile, "--config", join(scratch, "none.yaml")],
      [previewFile, "--prices", join(scratch, "none.json")],
      [],
    ]) {
      await expect(run(args), JSON.stringify(args)).rejects.toThrow(BadInputError);
    }
  });
});
