import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryPath } from "@platform/repository";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadDefaultThresholds } from "../thresholds/thresholds.js";
import { alertNames, buildRuleFiles, RULE_FILES, retargetTestRunbooks } from "./rule-files.js";

const ALERTS_DIR = repositoryPath("alerts");
const ruleFileNames = readdirSync(ALERTS_DIR)
  .filter((f) => f.endsWith(".rules.yml"))
  .sort();
const testFileNames = readdirSync(ALERTS_DIR)
  .filter((f) => f.endsWith(".rules.test.yml"))
  .sort();
const committed = Object.fromEntries(
  ruleFileNames.map((f) => [f, readFileSync(join(ALERTS_DIR, f), "utf8")]),
);
const thresholds = loadDefaultThresholds();
const alerts = alertNames(committed);

interface AlertRule {
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe("rule files", () => {
  it("are exactly what the rule groups make of thresholds/thresholds.yaml (run npm run generate:alerts)", () => {
    expect(ruleFileNames).toEqual(Object.keys(RULE_FILES).sort());
    expect(committed).toEqual(buildRuleFiles(thresholds));
  });

  it("give every rule group a unique name", () => {
    const names = Object.values(committed).flatMap((text) =>
      (parse(text) as { groups: { name: string }[] }).groups.map((g) => g.name),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it("give every alert a severity, summary, description, value and a runbook in the repository", () => {
    expect(alerts.length).toBeGreaterThanOrEqual(13);
    for (const text of Object.values(committed)) {
      for (const group of (parse(text) as { groups: { rules: AlertRule[] }[] }).groups) {
        for (const rule of group.rules.filter((r) => r.alert)) {
          expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning|info|none)$/);
          for (const key of ["summary", "description", "value", "runbook_url"])
            expect(rule.annotations?.[key], `${rule.alert} ${key}`).toBeTruthy();
          expect(rule.annotations?.runbook_url).toBe(`${thresholds.runbookBaseUrl}/${rule.alert}.md`);
          expect(
            existsSync(join(ALERTS_DIR, "runbooks", `${rule.alert}.md`)),
            `runbook of ${rule.alert}`,
          ).toBe(true);
        }
      }
    }
  });

  it("have a unit test where each alert fires and one where it stays silent (Watchdog excepted)", () => {
    const fired = new Set<string>();
    const silent = new Set<string>();
    for (const file of testFileNames) {
      const doc = parse(readFileSync(join(ALERTS_DIR, file), "utf8")) as {
        tests: { interval?: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      };
      for (const test of doc.tests) {
        // Prometheus 2.42 silently yields no samples without it.
        expect(test.interval, file).toBeTruthy();
        for (const t of test.alert_rule_test ?? []) (t.exp_alerts.length ? fired : silent).add(t.alertname);
      }
    }
    for (const { alert } of alerts) {
      expect(fired, `a firing test for ${alert}`).toContain(alert);
      if (alert !== "Watchdog") expect(silent, `a silent test for ${alert}`).toContain(alert);
    }
  });

  it("covers what the platform promises", () => {
    const names = alerts.map((a) => a.alert);
    for (const required of [
      "RevenueDropWhileHealthy",
      "AvailabilityBudgetBurnFast",
      "AvailabilityBudgetBurnSlow",
      "LatencyBudgetBurnFast",
      "LatencyBudgetBurnSlow",
      "TargetDown",
      "CostExplorerNotEnabled",
      "CostExporterStale",
      "CostExporterRefreshFailing",
      "CostExporterThrottled",
      "DailySpendSpike",
      "ForecastOverBudget",
      "CostPerRequestOverCeiling",
      "UnaccountedSpend",
      "Watchdog",
    ])
      expect(names).toContain(required);
  });

  it("retarget the runbook links of the unit tests when a fork moves its runbooks", () => {
    const text = "runbook_url: https://github.com/your-org/x/blob/main/alerts/runbooks/TargetDown.md\n";
    expect(retargetTestRunbooks(text, "https://git.example.com/ops/runbooks")).toBe(
      "runbook_url: https://git.example.com/ops/runbooks/TargetDown.md\n",
    );
  });
});
