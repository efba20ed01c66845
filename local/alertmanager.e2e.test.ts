// alerts/alertmanager.yml proven by the real Alertmanager: amtool accepts the configuration rendered for
// this machine and renders the Telegram template, resolves the routes, and a running Alertmanager is sent
// alerts and asked which it suppresses.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, requireTool, type StartedProcess, startProcess, waitFor } from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAlertmanagerConfig, localTemplates } from "./configs.js";

const execFileAsync = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "alertmanager-test-"));
const configFile = join(scratch, "alertmanager.yml");

beforeAll(() => {
  writeFileSync(
    configFile,
    localAlertmanagerConfig({
      webhookUrl: "http://127.0.0.1:9/alerts", // nothing listens: delivery is not what this file tests
      templateGlob: join(scratch, "*.tmpl"),
      timing: { groupWait: "1s", groupInterval: "2s", repeatInterval: "1h" },
    }),
  );
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function receiversFor(labels: Record<string, string>): Promise<string> {
  const amtool = await requireTool("amtool");
  const { stdout } = await execFileAsync(amtool, [
    "config",
    "routes",
    "test",
    `--config.file=${configFile}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ]);
  return stdout.trim();
}

describe("routing", () => {
  it("sends pages and tickets to Telegram, Watchdog to the heartbeat, info nowhere", async () => {
    expect(await receiversFor({ alertname: "AvailabilityBudgetBurnFast", severity: "critical" })).toBe(
      "telegram",
    );
    expect(await receiversFor({ alertname: "CostExporterStale", severity: "warning" })).toBe("telegram");
    expect(await receiversFor({ alertname: "Watchdog", severity: "none" })).toBe("heartbeat");
    expect(await receiversFor({ alertname: "Something", severity: "info" })).toBe("null");
  });
});

describe("inhibition in a running Alertmanager", () => {
  let alertmanager: StartedProcess;
  let url: string;

  beforeAll(async () => {
    const binary = await requireTool("alertmanager");
    const port = await freePort();
    const clusterPort = await freePort();
    url = `http://127.0.0.1:${port}`;
    alertmanager = startProcess(binary, [
      `--config.file=${configFile}`,
      `--storage.path=${join(scratch, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--cluster.listen-address=127.0.0.1:${clusterPort}`,
    ]);
    await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, { what: "Alertmanager to start" });
  });
  afterAll(() => alertmanager?.stop());

  it("a target down silences the other alerts of its job only; a page silences the ticket of its objective", async () => {
    const alert = (labels: Record<string, string>) => ({
      labels,
      annotations: { summary: labels.alertname },
      startsAt: new Date().toISOString(),
    });
    const res = await fetch(`${url}/api/v2/alerts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify([
        alert({ alertname: "TargetDown", job: "storefront", severity: "critical" }),
        alert({ alertname: "RevenueDropWhileHealthy", job: "storefront", severity: "critical" }),
        alert({ alertname: "RevenueDropWhileHealthy", job: "shop-eu", severity: "critical" }),
        alert({ alertname: "LatencyBudgetBurnFast", job: "traffic", severity: "critical", slo: "latency" }),
        alert({ alertname: "LatencyBudgetBurnSlow", job: "traffic", severity: "warning", slo: "latency" }),
        alert({
          alertname: "AvailabilityBudgetBurnSlow",
          job: "traffic",
          severity: "warning",
          slo: "availability",
        }),
      ]),
    });
    expect(res.status).toBe(200);

    type AlertStatus = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
    const states = await waitFor(
      async () => {
        const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertStatus[];
        // Inhibition is evaluated as alerts arrive; wait until every alert has a settled state.
        if (alerts.length < 6 || alerts.some((a) => a.status.state === "unprocessed")) return undefined;
        return Object.fromEntries(
          alerts.map((a) => [`${a.labels.alertname}/${a.labels.job}`, a.status.state] as const),
        );
      },
      { what: "Alertmanager to process the alerts" },
    );
    expect(states).toEqual({
      "TargetDown/storefront": "active",
      "RevenueDropWhileHealthy/storefront": "suppressed",
      "RevenueDropWhileHealthy/shop-eu": "active",
      "LatencyBudgetBurnFast/traffic": "active",
      "LatencyBudgetBurnSlow/traffic": "suppressed",
      "AvailabilityBudgetBurnSlow/traffic": "active",
    });
  });
});

describe("the configuration rendered for this machine", () => {
  const timing = { groupWait: "5s", groupInterval: "30s", repeatInterval: "1h" };

  it.each([
    ["Telegram", { botToken: "123:abc", chatId: -1001, apiUrl: "http://127.0.0.1:1" }],
    ["the local receiver", undefined],
  ])("is accepted by amtool (alerts to %s)", async (_name, telegram) => {
    const amtool = await requireTool("amtool");
    const dir = mkdtempSync(join(scratch, "am-"));
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
    const { stdout } = await execFileAsync(amtool, ["check-config", file]);
    expect(stdout).toContain("SUCCESS");
    expect(readFileSync(file, "utf8")).not.toContain("bot_token_file");
  });

  it("renders the Telegram message template without errors", async () => {
    const amtool = await requireTool("amtool");
    const dir = mkdtempSync(join(scratch, "tmpl-"));
    for (const [file, text] of Object.entries(localTemplates("http://grafana.example")))
      writeFileSync(join(dir, file), text);
    const { stdout } = await execFileAsync(amtool, [
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
