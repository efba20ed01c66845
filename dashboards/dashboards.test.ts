import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogue, serviceNamed } from "../catalogue/services.js";
import {
  DASHBOARD_FILE_NAMES,
  DASHBOARD_UIDS,
  type DashboardKey,
  LONG_TERM_DATASOURCE,
} from "../thresholds/dashboards.js";
import { loadDefaultThresholds, resolveThresholds, type Thresholds } from "../thresholds/thresholds.js";
import { costHistory } from "./src/cost-history.js";
import { buildDashboardFiles, buildDashboards } from "./src/dashboards.js";

const DASHBOARDS_DIR = import.meta.dirname;
const files = readdirSync(DASHBOARDS_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();
const texts = Object.fromEntries(
  files.map((file) => [file, readFileSync(join(DASHBOARDS_DIR, file), "utf8")]),
);
const dashboards = files.map((file) => ({ file, json: JSON.parse(texts[file] as string) }));
const defaults = loadDefaultThresholds();

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  fieldConfig?: {
    defaults?: { unit?: string; thresholds?: { steps: { color: string; value: number | null }[] } };
  };
  targets?: { expr: string; refId: string; instant?: boolean; datasource?: { uid: string } }[];
}
const panelsOf = (json: { panels: Panel[] }) => json.panels.filter((p) => p.type !== "row");
const panel = (json: { panels: Panel[] }, title: string) => {
  const found = json.panels.find((p) => p.title === title);
  if (!found) throw new Error(`no panel "${title}"`);
  return found;
};
const thresholdValues = (p: Panel) => p.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value);
type Built = {
  panels: Panel[];
  templating?: { list?: { name: string; regex?: string; current?: unknown }[] };
};
const built = (thresholds: Thresholds = defaults, services = catalogue) =>
  buildDashboards(thresholds, services) as unknown as Record<string, Built>;
const builtFile = (file: string, thresholds: Thresholds = defaults) => {
  const json = built(thresholds)[file];
  if (!json) throw new Error(`no dashboard ${file}`);
  return json;
};

describe("dashboards", () => {
  it("are exactly what the dashboard modules build from the defaults (run npm run generate:dashboards)", () => {
    expect(texts).toEqual(buildDashboardFiles(defaults));
  });

  it("have unique, stable uids and the three expected dashboards", () => {
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.sort()).toEqual(Object.values(DASHBOARD_UIDS).sort());
    expect(uids).toEqual(["platform-cost", "platform-overview", "service-red"]);
    for (const { json } of dashboards) expect(json.schemaVersion).toBeGreaterThanOrEqual(36);
  });

  it("are each in the file DASHBOARD_FILE_NAMES names (what Grafana's home dashboard and links read)", () => {
    for (const key of Object.keys(DASHBOARD_UIDS) as DashboardKey[]) {
      const json = dashboards.find((d) => d.file === DASHBOARD_FILE_NAMES[key])?.json;
      expect(json?.uid, key).toBe(DASHBOARD_UIDS[key]);
    }
  });

  it("number every panel and row once, and give every query of a panel its own refId", () => {
    for (const { file, json } of dashboards) {
      const ids = (json.panels as Panel[]).map((p) => p.id);
      expect(new Set(ids).size, file).toBe(ids.length);
      expect(
        ids.every((id) => Number.isInteger(id) && id > 0),
        file,
      ).toBe(true);
      for (const p of panelsOf(json)) {
        const refIds = (p.targets ?? []).map((t) => t.refId);
        expect(new Set(refIds).size, `${file}: ${p.title}`).toBe(refIds.length);
      }
    }
  });

  it("lay every row's panels on the 24-column grid without overlap", () => {
    for (const { file, json } of dashboards) {
      const cells = new Set<string>();
      for (const p of json.panels as (Panel & {
        gridPos: { x: number; y: number; w: number; h: number };
      })[]) {
        const { x, y, w, h } = p.gridPos;
        expect(x + w, `${file}: ${p.title}`).toBeLessThanOrEqual(24);
        for (let row = y; row < y + h; row++)
          for (let col = x; col < x + w; col++) {
            const cell = `${row}:${col}`;
            expect(cells.has(cell), `${file}: ${p.title} overlaps at ${cell}`).toBe(false);
            cells.add(cell);
          }
      }
    }
  });

  it("choose the datasource through a ${datasource} variable and never hard-code one", () => {
    for (const { file, json } of dashboards) {
      const variable = json.templating.list.find((v: { name: string }) => v.name === "datasource");
      expect(variable, file).toMatchObject({ type: "datasource", query: "prometheus" });
      // Every uid anywhere in the JSON that sits in a datasource object must be the variable.
      const uids = [
        ...JSON.stringify(json).matchAll(/"datasource":\{"type":"prometheus","uid":"([^"]*)"\}/g),
      ].map((m) => m[1]);
      expect(uids.length, file).toBeGreaterThan(0);
      expect(new Set(uids), file).toEqual(new Set(["${datasource}"]));
      // Except the history panels, which read the long-term store by the uid it is provisioned with.
      const history = new Set(costHistory().panels.map((p) => p.build().title));
      for (const panel of panelsOf(json)) {
        const uid = history.has(panel.title) ? LONG_TERM_DATASOURCE.uid : "${datasource}";
        expect(panel.datasource?.uid, `${file} ${panel.title}`).toBe(uid);
        for (const t of panel.targets ?? []) expect(t.datasource?.uid, `${file} ${panel.title}`).toBe(uid);
      }
      if (file === "cost.json") {
        const reading = panelsOf(json).filter((p) => p.datasource?.uid === LONG_TERM_DATASOURCE.uid);
        expect(reading.map((p) => p.title).sort()).toEqual([...history].sort());
      }
    }
  });

  it("give every panel a description, a unit and at least one query", () => {
    for (const { file, json } of dashboards) {
      for (const panel of panelsOf(json)) {
        const where = `${file}: ${panel.title}`;
        expect(panel.description?.length, where).toBeGreaterThan(20);
        expect(panel.fieldConfig?.defaults?.unit, where).toBeTruthy();
        expect(panel.targets?.length, where).toBeGreaterThan(0);
      }
    }
  });

  it("use $__rate_interval for every rate() so short scrape intervals still draw lines", () => {
    for (const { file, json } of dashboards) {
      for (const panel of panelsOf(json)) {
        for (const t of panel.targets ?? []) {
          for (const m of t.expr.matchAll(/\brate\([^[]*\[([^\]]+)\]/g)) {
            // A value now (a stat) of events a few a minute apart (orders) averages over 5m: a window the
            // size of a scrape would read 0 between two orders. Lines over time keep $__rate_interval.
            const allowed = t.instant ? ["$__rate_interval", "5m"] : ["$__rate_interval"];
            expect(allowed, `${file}: ${panel.title}: ${t.expr}`).toContain(m[1]);
          }
        }
      }
    }
  });

  it("link to each other by uid", () => {
    const uids = new Set(dashboards.map((d) => d.json.uid));
    for (const { file, json } of dashboards) {
      const targets = json.links.map((l: { url: string }) => l.url.replace("/d/", ""));
      expect(targets.length, file).toBe(uids.size - 1);
      for (const uid of targets) expect(uids).toContain(uid);
    }
  });

  it("cover system, financial and business health and unit economics on the overview", () => {
    const overview = dashboards.find((d) => d.json.uid === "platform-overview")?.json;
    const exprs = panelsOf(overview)
      .flatMap((p) => (p.targets ?? []).map((t) => t.expr))
      .join("\n");
    for (const metric of [
      "app_requests_total",
      "app_request_duration_seconds_bucket",
      "aws_cost_daily_amount",
      "aws_cost_month_to_date_amount",
      "aws_cost_month_forecast_amount",
      "platform:settings_monthly_budget:usd",
      "app_revenue_total",
      "app_checkouts_total",
      "platform:cost_per_request:usd",
    ])
      expect(exprs).toContain(metric);
  });
});

describe("dashboards built from a stack's thresholds", () => {
  const stack = resolveThresholds({
    slo: { latencyThresholdSeconds: 0.5, availabilityObjective: 0.995 },
    cost: { costPerRequestCeilingUsd: 0.0005, monthlyBudgetUsd: 300 },
  }).thresholds as Thresholds;

  it("draw the latency objective's threshold, not a copy of 0.3 s", () => {
    for (const [thresholds, seconds] of [
      [defaults, 0.3],
      [stack, 0.5],
    ] as const) {
      const overview = builtFile("platform-overview.json", thresholds);
      const red = builtFile("service-red.json", thresholds);
      const latency = panel(overview, "Latency p50 / p95 / p99 by endpoint");
      expect(thresholdValues(latency)).toEqual([null, seconds]);
      expect(latency.description).toContain(`(${seconds * 1000} ms)`);
      expect(thresholdValues(panel(red, "p95 response time"))).toEqual([null, seconds]);
    }
  });

  it("colour cost per request by the stack's ceiling, not a copy of 0.001", () => {
    const overview = builtFile("platform-overview.json", stack);
    expect(thresholdValues(panel(overview, "Cost per request"))).toEqual([null, 0.0005]);
    expect(thresholdValues(panel(overview, "Cost per 1,000 requests"))).toEqual([null, 0.5]);
    expect(thresholdValues(panel(builtFile("platform-overview.json"), "Cost per request"))).toEqual([
      null,
      0.001,
    ]);
  });

  it("mark availability below the stack's objective", () => {
    const red = builtFile("service-red.json", stack);
    expect(thresholdValues(panel(red, "Availability (1h)"))).toEqual([null, 0.995]);
    expect(panel(red, "Availability (1h)").description).toContain("99.5%");
  });

  it("draw the budget line from the published budget series, whatever the stack's number", () => {
    for (const file of ["platform-overview.json", "cost.json"]) {
      const exprs = panelsOf(builtFile(file, stack)).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
      expect(exprs, file).toContain("platform:settings_monthly_budget:usd");
      expect(exprs.join("\n"), file).not.toMatch(/\b(300|1500)\b/);
    }
  });
});

describe("the job variables", () => {
  const jobVariables = (services = catalogue) =>
    Object.values(built(defaults, services)).flatMap((json) =>
      (json.templating?.list ?? []).filter((v) => v.name === "job"),
    );

  it("offer the catalogue's services and open on its first", () => {
    const variables = jobVariables();
    expect(variables).toHaveLength(2);
    for (const v of variables) {
      expect(v.regex).toBe("/^(storefront|cost-exporter|traffic)$/");
      expect(v.current).toMatchObject({ value: "storefront" });
    }
  });

  it("offer a service added to the catalogue, with no dashboard edited", () => {
    const fixture = { ...serviceNamed("storefront"), name: "shop-eu", port: 8090 };
    for (const v of jobVariables([...catalogue, fixture])) {
      expect(v.regex).toBe("/^(storefront|cost-exporter|traffic|shop-eu)$/");
    }
  });
});
