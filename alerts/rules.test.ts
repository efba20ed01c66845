import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { requireTool } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { localAlertmanagerConfig, localTemplates } from "../local/configs.js";
import { ALERTS_DIR, alertNames, buildRuleFiles, loadSettings, retargetTestRunbooks } from "./build.js";

const run = promisify(execFile);
const ruleFileNames = readdirSync(ALERTS_DIR)
  .filter((f) => f.endsWith(".rules.yml"))
  .sort();
const testFileNames = readdirSync(ALERTS_DIR)
  .filter((f) => f.endsWith(".rules.test.yml"))
  .sort();
const committed = Object.fromEntries(
  ruleFileNames.map((f) => [f, readFileSync(join(ALERTS_DIR, f), "utf8")]),
);
const settings = loadSettings();
const alerts = alertNames(committed);

interface AlertRule {
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe("rule files", () => {
  it("are exactly what alerts/build.ts makes of alerts/settings.yaml (run npx tsx alerts/build.ts)", () => {
    expect(committed).toEqual(buildRuleFiles(settings));
  });

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
  });

  it("give every alert a severity, summary, description, value and a runbook in the repository", () => {
    expect(alerts.length).toBeGreaterThanOrEqual(13);
    for (const text of Object.values(committed)) {
      for (const group of (parse(text) as { groups: { rules: AlertRule[] }[] }).groups) {
        for (const rule of group.rules.filter((r) => r.alert)) {
          expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning|info|none)$/);
          for (const key of ["summary", "description", "value", "runbook_url"])
            expect(rule.annotations?.[key], `${rule.alert} ${key}`).toBeTruthy();
          expect(rule.annotations?.runbook_url).toBe(`${settings.runbookBaseUrl}/${rule.alert}.md`);
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
      "CostExporterStale",
      "CostExporterRefreshFailing",
      "CostExporterThrottled",
      "DailySpendSpike",
      "ForecastOverBudget",
      "CostPerRequestOverCeiling",
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

describe("alertmanager.yml", () => {
  const timing = { groupWait: "5s", groupInterval: "30s", repeatInterval: "1h" };

  it("follows the shared contract: telegram receiver with a token file, chat id placeholder, template glob", () => {
    const config = parse(readFileSync(join(ALERTS_DIR, "alertmanager.yml"), "utf8"));
    expect(config.templates).toEqual(["/etc/alertmanager/config/*.tmpl"]);
    const telegram = config.receivers.find((r: { name: string }) => r.name === "telegram");
    expect(telegram.telegram_configs[0]).toMatchObject({
      bot_token_file: "/etc/alertmanager/secrets/alertmanager-telegram/bot-token",
      chat_id: 0,
      parse_mode: "HTML",
      send_resolved: true,
    });
    expect(config.inhibit_rules[0]).toMatchObject({
      source_matchers: ['alertname = "TargetDown"'],
      equal: ["job"],
    });
  });

  it.each([
    ["Telegram", { botToken: "123:abc", chatId: -1001, apiUrl: "http://127.0.0.1:1" }],
    ["the local receiver", undefined],
  ])("renders a local config amtool accepts (alerts to %s)", async (_name, telegram) => {
    const amtool = await requireTool("amtool");
    const dir = mkdtempSync(join(tmpdir(), "am-"));
    for (const [file, text] of Object.entries(localTemplates("http://127.0.0.1:3000")))
      writeFileSync(join(dir, file), text);
    const file = join(dir, "alertmanager.yml");
    writeFileSync(
      file,
      localAlertmanagerConfig({
        telegram,
        webhookUrl: "http://127.0.0.1:8083/alerts",
        templateGlob: join(dir, "*.tmpl"),
        timing,
      }),
    );
    const { stdout } = await run(amtool, ["check-config", file]);
    expect(stdout).toContain("SUCCESS");
    expect(readFileSync(file, "utf8")).not.toContain("bot_token_file");
  });

  it("renders the Telegram message template without errors", async () => {
    const amtool = await requireTool("amtool");
    const dir = mkdtempSync(join(tmpdir(), "tmpl-"));
    for (const [file, text] of Object.entries(localTemplates("http://grafana.example")))
      writeFileSync(join(dir, file), text);
    const { stdout } = await run(amtool, [
      "template",
      "render",
      `--template.glob=${join(dir, "*.tmpl")}`,
      '--template.text={{ template "telegram.message" . }}',
    ]);
    // amtool renders its built-in example alerts; the structure is what matters here.
    expect(stdout).toMatch(/FIRING|RESOLVED/);
    expect(stdout).not.toContain("<no value>");
  });
});
