import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestbed, type Testbed } from "../test/support.js";

const here = dirname(fileURLToPath(import.meta.url));
const policy = JSON.parse(readFileSync(join(here, "..", "iam-policy.json"), "utf8")) as {
  Version: string;
  Statement: { Effect: string; Action: string[]; Resource: string }[];
};
const allowed = new Set(policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "simulator" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("IAM policy document", () => {
  let bed: Testbed;
  beforeAll(async () => {
    // A refresh with every optional request: tag grouping, forecast and several pages.
    bed = await startTestbed({
      now: Date.parse("2025-07-15T12:00:00Z"),
      env: { COST_TAG_KEY: "stack" },
      simulator: { pageSize: 10 },
    });
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("is a standard policy allowing only Cost Explorer reads on every resource", () => {
    expect(policy.Version).toBe("2012-10-17");
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe("Allow");
      // Cost Explorer has no resource-level permissions.
      expect(statement.Resource).toBe("*");
      for (const action of statement.Action) expect(action).toMatch(/^ce:Get[A-Za-z]+$/);
    }
  });

  it("allows exactly the operations a full refresh sends, nothing more", async () => {
    expect(await bed.exporter.collector.refresh()).toBe(true);
    const sent = new Set(
      bed.simulator.stats.targets.map((t) => `ce:${t.replace("AWSInsightsIndexService.", "")}`),
    );
    expect(sent.size).toBeGreaterThan(0);
    expect([...allowed].sort()).toEqual([...sent].sort());
  });

  it("covers every Cost Explorer command class the exporter's code constructs", () => {
    const commands = new Set<string>();
    for (const file of sourceFiles(here)) {
      for (const match of readFileSync(file, "utf8").matchAll(/new (\w+)Command\(/g))
        commands.add(`ce:${match[1]}`);
    }
    expect([...commands].sort()).toEqual([...allowed].sort());
  });
});
