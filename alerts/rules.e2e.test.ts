// The rule files proven by the real promtool: they load, their unit tests pass, and rules built from a
// stack's own thresholds fire at that stack's numbers.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { repositoryPath } from "@platform/repository";
import { requireTool } from "@platform/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { resolveThresholds } from "../thresholds/thresholds.js";
import { buildRuleFiles } from "./rule-files.js";

const ALERTS_DIR = repositoryPath("alerts");
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
    // Hours of simulated series in every file, a week of them in the right-sizing tests: about 55 s alone,
    // two or three minutes on a busy machine.
  }, 300_000);

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

  it("built for a stack whose cost tag key is another, reconcile that tag's spend, not the stack tag's", async () => {
    const promtool = await requireTool("promtool");
    const resolved = resolveThresholds({});
    if (!resolved.thresholds) throw new Error(JSON.stringify(resolved.problems));
    const files = buildRuleFiles(resolved.thresholds, { costTagKey: "cost-center" });
    writeFileSync(join(scratch, "reconciliation.rules.yml"), files["reconciliation.rules.yml"] as string);
    const series = (name: string, labels: string, values: string) => ({
      series: `${name}{job="cost-exporter",${labels}}`,
      values,
    });
    const tests = {
      rule_files: ["reconciliation.rules.yml"],
      evaluation_interval: "5m",
      tests: [
        {
          // $0.50/h all of day 0: yesterday's live cost is $12. The cost-center tag billed dev $16 (a third
          // more: UnaccountedSpend); the stack tag's $99 and the account's $90 are not this stack's bill here.
          interval: "5m",
          input_series: [
            { series: 'platform:live_cost_stack:usd_per_hour{stack="dev"}', values: "0.5x576" },
            series("aws_stack_info", 'stack="dev",region="us-east-1"', "1x576"),
            series(
              "aws_cost_tag_last_complete_day_amount",
              'tag_key="cost-center",tag_value="dev",cost_basis="unblended",currency="USD"',
              "16x576",
            ),
            series(
              "aws_cost_tag_last_complete_day_amount",
              'tag_key="stack",tag_value="dev",cost_basis="unblended",currency="USD"',
              "99x576",
            ),
            series(
              "aws_cost_last_complete_day_amount",
              'service="EC2",cost_basis="unblended",currency="USD"',
              "90x576",
            ),
          ],
          promql_expr_test: [
            {
              expr: "round(platform:aws_cost_billed_yesterday:usd, 1e-12)",
              eval_time: "36h",
              exp_samples: [{ labels: '{stack="dev",currency="USD"}', value: 16 }],
            },
          ],
          alert_rule_test: [
            {
              eval_time: "36h",
              alertname: "UnaccountedSpend",
              exp_alerts: [
                {
                  exp_labels: { severity: "warning", stack: "dev", currency: "USD" },
                  exp_annotations: {
                    summary: "Yesterday's bill for dev is well above what the platform accounts for",
                    description:
                      "Cost Explorer billed dev 33.33% more yesterday than its live run-rate over the same UTC day (over 25%): spend the platform does not explain, such as an instance nobody declared, data transfer or a service outside the stack.",
                    value: "33.33% over the live cost",
                    runbook_url: `${resolved.thresholds.runbookBaseUrl}/UnaccountedSpend.md`,
                    dashboard_uid: "platform-cost",
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const testFile = join(scratch, "cost-tag.rules.test.yml");
    writeFileSync(testFile, stringify(tests));
    const { stdout } = await run(promtool, ["test", "rules", testFile], { cwd: scratch }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout}${error.stderr}` }),
    );
    expect(stdout).toContain("SUCCESS");
  });
});
