import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DASHBOARDS, DASHBOARDS_DIR } from "./build.js";

const files = readdirSync(DASHBOARDS_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();
const dashboards = files.map((file) => ({
  file,
  json: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), "utf8")),
}));

interface Panel {
  type: string;
  title: string;
  description?: string;
  datasource?: { type: string; uid: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr: string; datasource?: { uid: string } }[];
}
const panelsOf = (json: { panels: Panel[] }) => json.panels.filter((p) => p.type !== "row");

describe("dashboards", () => {
  it("are exactly what dashboards/build.ts builds (run npx tsx dashboards/build.ts)", () => {
    expect(files).toEqual(Object.keys(DASHBOARDS).sort());
    for (const { file, json } of dashboards)
      expect(json, file).toEqual(DASHBOARDS[file as keyof typeof DASHBOARDS]);
  });

  it("have unique, stable uids and the three expected dashboards", () => {
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.sort()).toEqual(["platform-cost", "platform-overview", "service-red"]);
    for (const { json } of dashboards) expect(json.schemaVersion).toBeGreaterThanOrEqual(36);
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
      for (const panel of panelsOf(json)) {
        expect(panel.datasource?.uid, `${file} ${panel.title}`).toBe("${datasource}");
        for (const t of panel.targets ?? []) expect(t.datasource?.uid).toBe("${datasource}");
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
          for (const m of t.expr.matchAll(/\brate\([^[]*\[([^\]]+)\]/g))
            expect(m[1], `${file}: ${panel.title}: ${t.expr}`).toBe("$__rate_interval");
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
