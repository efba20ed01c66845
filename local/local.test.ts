import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { concreteQuery, dashboardQueries } from "./check.js";
import { localAlertmanagerConfig, localTemplates, ruleFiles, withShorterFor } from "./configs.js";
import { loadLocalSettings } from "./platform.js";
import { createAlertReceiver, formatNotification } from "./receiver.js";
import { formatTable } from "./start.js";

describe("local configuration", () => {
  it("caps every alert's for: locally and leaves shorter ones and expressions alone", () => {
    const text = ruleFiles()["cost.rules.yml"] as string;
    const local = parse(withShorterFor(text, "30s"));
    const original = parse(text);
    const fors = local.groups
      .flatMap((g: { rules: { for?: string }[] }) => g.rules.map((r) => r.for))
      .filter(Boolean);
    expect(fors.length).toBeGreaterThan(0);
    expect(new Set(fors)).toEqual(new Set(["30s"]));
    expect(local.groups[0].rules.map((r: { expr: string }) => r.expr)).toEqual(
      original.groups[0].rules.map((r: { expr: string }) => r.expr),
    );
  });

  it("sends alerts to the local receiver without Telegram settings and makes grouping fast", () => {
    const config = parse(
      localAlertmanagerConfig({
        webhookUrl: "http://127.0.0.1:8083/alerts",
        templateGlob: "/tmp/x/*.tmpl",
        timing: { groupWait: "1s", groupInterval: "2s", repeatInterval: "1h" },
      }),
    );
    expect(config.receivers.find((r: { name: string }) => r.name === "telegram")).toEqual({
      name: "telegram",
      webhook_configs: [{ url: "http://127.0.0.1:8083/alerts", send_resolved: true }],
    });
    expect(config.route).toMatchObject({ group_wait: "1s", group_interval: "2s" });
    // The Watchdog route had a faster group_wait already (0s): kept.
    expect(config.route.routes[0]).toMatchObject({ receiver: "heartbeat", group_wait: "0s" });
  });

  it("puts the Grafana address into the message template", () => {
    const text = localTemplates("http://127.0.0.1:3999")["telegram.tmpl"];
    expect(text).toContain('{{ define "platform.grafana_url" }}http://127.0.0.1:3999{{ end }}');
  });

  it("names the setting when a port is not a port", () => {
    expect(() => loadLocalSettings({ PROMETHEUS_PORT: "ninety" })).toThrow(/PROMETHEUS_PORT/);
  });
});

describe("dashboard queries for the check", () => {
  it("replaces Grafana's variables with concrete values", () => {
    expect(
      concreteQuery(
        'sum(rate(x{job=~"$job"}[$__rate_interval])) + rate(y[${__rate_interval}]) + z[$__range]',
        {
          job: "storefront",
        },
      ),
    ).toBe('sum(rate(x{job=~"storefront"}[30s])) + rate(y[30s]) + z[5m]');
  });

  it("finds every panel query of every dashboard, none left with a variable", () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(40);
    for (const q of queries) expect(q.query, `${q.dashboard}: ${q.panel}`).not.toContain("$");
  });
});

describe("alert receiver", () => {
  const notification = {
    status: "firing",
    alerts: [
      {
        status: "firing",
        labels: { alertname: "TargetDown", severity: "critical", job: "storefront" },
        annotations: { summary: "storefront is down", value: "0", runbook_url: "https://x/TargetDown.md" },
      },
    ],
  };

  it("prints what arrived readably", async () => {
    const printed: string[] = [];
    const receiver = createAlertReceiver({ print: (t) => printed.push(t) });
    const res = await receiver.app.request("/alerts", {
      method: "POST",
      body: JSON.stringify(notification),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(printed).toEqual([formatNotification(notification)]);
    expect(printed[0]).toContain("FIRING   TargetDown (critical) job=storefront");
    expect(printed[0]).toContain("runbook: https://x/TargetDown.md");
    expect(receiver.received).toHaveLength(1);
  });

  it("rejects a body that is not an Alertmanager webhook", async () => {
    const receiver = createAlertReceiver({ print: () => {} });
    const res = await receiver.app.request("/alerts", { method: "POST", body: "{}" });
    expect(res.status).toBe(400);
  });
});

describe("status table", () => {
  it("lists what runs where and what was skipped and why", () => {
    const table = formatTable([
      { name: "prometheus", url: "http://127.0.0.1:9090", status: "running", note: "" },
      { name: "grafana", status: "skipped", note: "not on PATH" },
    ]);
    expect(table).toMatch(/prometheus\s+running\s+http:\/\/127\.0\.0\.1:9090/);
    expect(table).toMatch(/grafana\s+skipped\s+-\s+not on PATH/);
  });
});
