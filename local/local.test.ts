import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Catalogue, catalogue, type ServiceEntry, serviceNamed } from "../catalogue/services.js";
import { concreteQuery, dashboardQueries } from "./check.js";
import { createAlertReceiver, formatNotification } from "./components/alert-receiver.js";
import { scrapeTargets, serviceEnv, startOrder } from "./components/services.js";
import {
  localAlertmanagerConfig,
  localTemplates,
  prometheusConfig,
  ruleFiles,
  withShorterFor,
} from "./configs.js";
import { loadLocalSettings, portSettingName } from "./settings.js";
import { formatTable, parseStartArgs, UsageError, usage } from "./start.js";

/** A catalogue entry for tests, shaped like the real ones. */
function fixtureEntry(overrides: Partial<ServiceEntry> = {}): ServiceEntry {
  return {
    ...serviceNamed("traffic"),
    name: "fixture-echo",
    port: 8099,
    runsIn: ["local"],
    egress: [],
    localEnv: undefined,
    ...overrides,
  } as ServiceEntry;
}

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
    expect(() => loadLocalSettings({ STOREFRONT_PORT: "0x50" })).toThrow(
      /STOREFRONT_PORT must be a whole number/,
    );
  });
});

describe("local settings from the catalogue", () => {
  it("gives every local service its catalogue port and a setting derived from its name", () => {
    const { ports } = loadLocalSettings({});
    for (const service of catalogue.filter((s) => s.runsIn.includes("local"))) {
      expect(ports[service.name], service.name).toBe(service.port);
    }
    expect(ports).toMatchObject({
      "alert-receiver": 8083,
      prometheus: 9090,
      alertmanager: 9093,
      grafana: 3000,
    });
    expect(portSettingName("cost-exporter")).toBe("COST_EXPORTER_PORT");
    expect(loadLocalSettings({ COST_EXPORTER_PORT: "18081", PROMETHEUS_PORT: "0" }).ports).toMatchObject({
      "cost-exporter": 18081,
      prometheus: 0,
    });
  });

  it("derives a port setting for a service added to the catalogue", () => {
    const withFixture: Catalogue = [...catalogue, fixtureEntry()];
    expect(loadLocalSettings({}, withFixture).ports["fixture-echo"]).toBe(8099);
    expect(loadLocalSettings({ FIXTURE_ECHO_PORT: "0" }, withFixture).ports["fixture-echo"]).toBe(0);
    expect(loadLocalSettings({}).ports["fixture-echo"]).toBeUndefined();
  });

  it("refuses two components on one port, naming both settings", () => {
    expect(() => loadLocalSettings({ PROMETHEUS_PORT: "8080" })).toThrow(
      /PROMETHEUS_PORT and STOREFRONT_PORT are both 8080|STOREFRONT_PORT and PROMETHEUS_PORT are both 8080/,
    );
  });

  it("refuses a LOCAL_MAX_FOR that is not a duration", () => {
    expect(() => loadLocalSettings({ LOCAL_MAX_FOR: "soon" })).toThrow(/LOCAL_MAX_FOR must be a duration/);
  });
});

describe("services from the catalogue", () => {
  const context = {
    ports: { storefront: 18080, "cost-exporter": 18081, traffic: 18082 } as Record<string, number>,
    url: (name: string) => `http://127.0.0.1:${{ storefront: 18080 }[name] ?? 1}`,
  };

  it("starts a service after the services it calls", () => {
    const waves = startOrder(catalogue).map((wave) => wave.map((s) => s.name));
    expect(waves).toEqual([["storefront", "cost-exporter"], ["traffic"]]);
    const caller = fixtureEntry({ egress: [{ to: "service", service: "traffic" }] });
    expect(startOrder([...catalogue, caller]).map((w) => w.map((s) => s.name))).toEqual([
      ["storefront", "cost-exporter"],
      ["traffic"],
      ["fixture-echo"],
    ]);
  });

  it("sets each service's environment from its catalogue entry, port and address last", () => {
    expect(serviceEnv(serviceNamed("traffic"), context)).toMatchObject({
      TARGET_URL: "http://127.0.0.1:18080",
      HOST: "127.0.0.1",
      PORT: "18082",
    });
    expect(serviceEnv(serviceNamed("storefront"), context, { LOG_LEVEL: "warn" })).toMatchObject({
      ADMIN_ENABLED: "true",
      LOG_LEVEL: "warn",
      PORT: "18080",
    });
  });

  it("scrapes each service under its name on its scrape path", () => {
    const targets = scrapeTargets(
      [serviceNamed("storefront"), fixtureEntry({ scrape: { path: "/stats", interval: "5s" } })],
      {
        ports: { storefront: 18080, "fixture-echo": 18099 },
      },
    );
    expect(targets).toEqual([
      { job: "storefront", address: "127.0.0.1:18080", metricsPath: "/metrics" },
      { job: "fixture-echo", address: "127.0.0.1:18099", metricsPath: "/stats" },
    ]);
    const config = parse(
      prometheusConfig({ targets, alertmanager: "127.0.0.1:9093", ruleGlob: "/r/*", interval: "5s" }),
    );
    expect(config.scrape_configs).toEqual([
      { job_name: "storefront", static_configs: [{ targets: ["127.0.0.1:18080"] }] },
      {
        job_name: "fixture-echo",
        metrics_path: "/stats",
        static_configs: [{ targets: ["127.0.0.1:18099"] }],
      },
    ]);
  });
});

describe("npm start's command line", () => {
  it("reads --check, --incident and --help", () => {
    expect(parseStartArgs([])).toEqual({ check: false, incident: undefined, help: false });
    expect(parseStartArgs(["--check"])).toMatchObject({ check: true });
    expect(parseStartArgs(["--incident", "errors"])).toMatchObject({ incident: "errors" });
    expect(parseStartArgs(["--incident", "checkout-unreachable"])).toMatchObject({
      incident: "checkout-unreachable",
    });
    expect(parseStartArgs(["-h"])).toMatchObject({ help: true });
  });

  // `npm start -- --help` crashed with ERR_PARSE_ARGS_UNKNOWN_OPTION and a stack trace.
  it.each([["--nope"], ["--check=yes"], ["extra"], ["--incident"], ["--incident", "flood"]])(
    "refuses %j as a usage error",
    (...argv) => {
      expect(() => parseStartArgs(argv)).toThrow(UsageError);
    },
  );

  it("lists every port setting in the usage text", () => {
    const text = usage([...catalogue, fixtureEntry()]);
    for (const name of [
      "STOREFRONT_PORT",
      "COST_EXPORTER_PORT",
      "TRAFFIC_PORT",
      "PROMETHEUS_PORT",
      "FIXTURE_ECHO_PORT",
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain("--incident NAME");
    // Every incident, under the component whose control it sets.
    expect(text).toMatch(/^ +storefront: revenue-drop, payment-failure, slow-checkout, errors$/m);
    expect(text).toMatch(/^ +traffic: checkout-unreachable$/m);
  });
});

describe("dashboard queries for the check", () => {
  it("replaces Grafana's variables as Grafana does for the dashboards' default hour", () => {
    expect(
      concreteQuery(
        'sum(rate(x{job=~"$job"}[$__rate_interval])) + rate(y[${__rate_interval}]) + z[$__range]',
        {
          job: "storefront",
        },
      ),
    ).toBe('sum(rate(x{job=~"storefront"}[20s])) + rate(y[20s]) + z[3600s]');
    // The tests' 1-second scrape: max(5 s + 1 s, 4 × 1 s).
    expect(concreteQuery("rate(x[$__rate_interval])", {}, 1)).toBe("rate(x[6s])");
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
    const res = await receiver.app.request("/alerts", {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "application/json" },
    });
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
