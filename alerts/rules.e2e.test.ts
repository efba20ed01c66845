// The rule files proven by the real promtool: they load, their unit tests pass, and rules built from a
// stack's own thresholds fire at that stack's numbers.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { requireTool } from "@platform/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { buildRuleFiles } from "./rule-files.js";
import { ALERTS_DIR, resolveThresholds } from "./settings.js";

const run = promisify(execFile);
const ruleFileNames = readdirSync(ALERTS_DIR)
  .filter((f) => f.endsWith(".rules.yml"))
  .sort();
const testFileNames = readdirSync(ALERTS_DIR)
  .filter((f) => f.endsWith(".rules.test.yml"))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), "rules-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("rule files", () => {
  it("pass promtool check rules", async () => {
    const promtool = await requireTool("promtool");
    const { stdout } = await run(promtool, ["check", "rules", ...ruleFileNames], { cwd: ALERTS_DIR });
    expect(stdout).not.toContain("FAILED");
    expect(stdout.match(/SUCCESS/g)).toHaveLength(ruleFileNames.length);
  });

  it("pass their promtool unit tests", async () => {
    const promtool = await requireTool("promtool");
    const { stdout } = await run(promtool, ["test", "rules", ...testFileNames], { cwd: ALERTS_DIR });
    expect(stdout.match(/SUCCESS/g)).toHaveLength(testFileNames.length);
    // Hours of simulated series in every file: about 20 s alone, well over a minute on a busy machine.
  }, 180_000);

  it("built from a stack's thresholds, fire at that stack's budget and ceiling, not at the defaults", async () => {
    const promtool = await requireTool("promtool");
    const resolved = resolveThresholds({
      cost: { monthlyBudgetUsd: 300, costPerRequestCeilingUsd: "0.0005" },
    });
    if (!resolved.thresholds) throw new Error(JSON.stringify(resolved.problems));
    const files = buildRuleFiles(resolved.thresholds);
    writeFileSync(join(scratch, "cost.rules.yml"), files["cost.rules.yml"] as string);
    writeFileSync(join(scratch, "settings.rules.yml"), files["settings.rules.yml"] as string);
    const runbook = (alert: string) => `${resolved.thresholds.runbookBaseUrl}/${alert}.md`;
    const firing = (
      alertname: string,
      labels: Record<string, string>,
      annotations: Record<string, string>,
    ) => ({
      eval_time: "70m",
      alertname,
      exp_alerts: [
        {
          exp_labels: { severity: "warning", ...labels },
          exp_annotations: { runbook_url: runbook(alertname), ...annotations },
        },
      ],
    });
    const tests = {
      rule_files: ["cost.rules.yml", "settings.rules.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          // 301 is over this stack's 300 (the default 1500 would stay silent).
          interval: "1m",
          input_series: [
            {
              series: 'aws_cost_month_forecast_amount{job="cost-exporter",currency="USD",bound="mean"}',
              values: "301x80",
            },
          ],
          alert_rule_test: [
            firing(
              "ForecastOverBudget",
              { job: "cost-exporter", currency: "USD" },
              {
                summary: "This month's AWS bill is forecast above the budget",
                description:
                  "Cost Explorer forecasts 301.00 USD for the whole month, above the budget of 300.",
                value: "301.00 USD",
                dashboard_uid: "platform-cost",
              },
            ),
          ],
          promql_expr_test: [
            {
              expr: "platform:settings_monthly_budget:usd",
              eval_time: "1m",
              exp_samples: [{ labels: "platform:settings_monthly_budget:usd", value: 300 }],
            },
          ],
        },
        {
          interval: "1m",
          input_series: [
            {
              series: 'aws_cost_month_forecast_amount{job="cost-exporter",currency="USD",bound="mean"}',
              values: "299x80",
            },
          ],
          alert_rule_test: [{ eval_time: "70m", alertname: "ForecastOverBudget", exp_alerts: [] }],
        },
        {
          // 86.4 USD a day over 1.5 requests/s: 0.000667 USD per request, over 0.0005 (default: 0.001).
          interval: "1m",
          input_series: [
            {
              series: 'aws_cost_last_complete_day_amount{job="cost-exporter",currency="USD",service="EC2"}',
              values: "86.4x80",
            },
            { series: 'job:app_requests:rate5m_avg1h{job="storefront"}', values: "1.5x80" },
          ],
          alert_rule_test: [
            firing(
              "CostPerRequestOverCeiling",
              { currency: "USD" },
              {
                summary: "Each request costs more than the ceiling",
                description:
                  "Yesterday's AWS spend divided by the current request rate is 0.000667 USD per request, above the ceiling of 0.0005. Either spend grew or traffic fell.",
                value: "0.000667 USD/request",
                dashboard_uid: "platform-overview",
              },
            ),
          ],
        },
      ],
    };
    const testFile = join(scratch, "stack.rules.test.yml");
    writeFileSync(testFile, stringify(tests));
    const { stdout } = await run(promtool, ["test", "rules", testFile], { cwd: scratch });
    expect(stdout).toContain("SUCCESS");
  });
});
