import { describe, expect, it } from "vitest";
import { loadDashboards } from "../check.js";
import {
  allPanels,
  type Dashboard,
  formatInterval,
  goDuration,
  interpolateBuiltins,
  parseTime,
  queryTiming,
  reduce,
  renderLegend,
  roundInterval,
} from "./grafana.js";
import {
  ALL,
  chooseValue,
  interpolateVariables,
  parseLabelValuesQuery,
  staticOptions,
  type VariableValue,
  variableOptions,
} from "./grafana-variables.js";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

describe("time, as Grafana computes it", () => {
  it("rounds range / resolution to the intervals Grafana uses", () => {
    expect(roundInterval(3_499)).toBe(2_000);
    expect(roundInterval(3_600)).toBe(5_000);
    expect(roundInterval(7_499)).toBe(5_000);
    expect(roundInterval(7_500)).toBe(10_000);
    expect(roundInterval(44_999)).toBe(30_000);
    expect(roundInterval(400 * 86_400_000)).toBe(31_536_000_000);
  });

  it("writes $__interval in its largest whole unit and $__rate_interval as Go does", () => {
    expect(formatInterval(5_000)).toBe("5s");
    expect(formatInterval(90_000)).toBe("1m");
    expect(formatInterval(500)).toBe("500ms");
    expect(goDuration(20_000)).toBe("20s");
    expect(goDuration(60_000)).toBe("1m0s");
    expect(goDuration(5_430_000)).toBe("1h30m30s");
    expect(goDuration(250)).toBe("250ms");
  });

  it("reads the dashboard's relative times and Grafana's epoch-millisecond URL times", () => {
    expect(parseTime("now", NOW)).toBe(NOW);
    expect(parseTime("now-1h", NOW)).toBe(NOW - HOUR);
    expect(parseTime("now-15m", NOW)).toBe(NOW - 15 * 60_000);
    expect(parseTime("1764590400000", NOW)).toBe(1_764_590_400_000);
    expect(() => parseTime("yesterday", NOW)).toThrow(/not a dashboard time/);
  });

  // A 1-hour view, a panel 600 px wide, the local 5 s scrape: Grafana asks for a 5 s step and rates over
  // max(5 s + 5 s, 4 × 5 s) = 20 s.
  it("derives step and $__rate_interval from the range, the panel width and the scrape interval", () => {
    const timing = queryTiming({
      fromMs: NOW - HOUR,
      toMs: NOW,
      maxDataPoints: 600,
      scrapeIntervalMs: 5_000,
    });
    expect(timing).toMatchObject({ intervalMs: 5_000, stepMs: 5_000, rateIntervalMs: 20_000 });
    // Grafana's default 15 s scrape interval: 4 × 15 s.
    expect(
      queryTiming({ fromMs: NOW - HOUR, toMs: NOW, maxDataPoints: 600, scrapeIntervalMs: 15_000 }),
    ).toMatchObject({ intervalMs: 15_000, stepMs: 15_000, rateIntervalMs: 60_000 });
    // A day on the same panel: range / width = 144 s → a 2-minute step; $__interval + scrape wins.
    expect(
      queryTiming({ fromMs: NOW - 24 * HOUR, toMs: NOW, maxDataPoints: 600, scrapeIntervalMs: 5_000 }),
    ).toMatchObject({ intervalMs: 120_000, stepMs: 120_000, rateIntervalMs: 125_000 });
    // The tests' 1 s scrape over an hour on a 1,200 px panel: 3 s → 2 s step, rate over 4 s.
    expect(
      queryTiming({ fromMs: NOW - HOUR, toMs: NOW, maxDataPoints: 1_200, scrapeIntervalMs: 1_000 }),
    ).toMatchObject({ intervalMs: 2_000, stepMs: 2_000, rateIntervalMs: 4_000 });
  });

  it("never asks for more than 11,000 points, and aligns the range to the step", () => {
    const week = queryTiming({
      fromMs: NOW - 168 * HOUR,
      toMs: NOW,
      maxDataPoints: 100_000,
      scrapeIntervalMs: 1_000,
    });
    expect(week.stepMs).toBe(60_000);
    const odd = queryTiming({
      fromMs: NOW - HOUR + 1_234,
      toMs: NOW + 4_321,
      maxDataPoints: 600,
      scrapeIntervalMs: 5_000,
    });
    expect(odd.start % odd.stepMs).toBe(0);
    expect(odd.end).toBe(NOW);
  });

  it("replaces every built-in in both spellings, the _ms and _s forms before the plain ones", () => {
    const timing = queryTiming({
      fromMs: NOW - HOUR,
      toMs: NOW,
      maxDataPoints: 600,
      scrapeIntervalMs: 5_000,
    });
    expect(
      interpolateBuiltins(
        "rate(x[$__rate_interval]) + rate(x[${__rate_interval}]) + increase(x[$__range]) + $__range_s + $__range_ms + $__interval_ms + avg_over_time(x[${__interval}])",
        timing,
      ),
    ).toBe("rate(x[20s]) + rate(x[20s]) + increase(x[3600s]) + 3600 + 3600000 + 5000 + avg_over_time(x[5s])");
  });
});

describe("template variables, as Grafana resolves them", () => {
  const job = (value: string | string[], extra: Partial<VariableValue> = {}): Map<string, VariableValue> =>
    new Map([
      [
        "job",
        { name: "job", value, options: ["storefront", "traffic"], multi: false, includeAll: false, ...extra },
      ],
    ]);

  it("replaces $job, ${job} and [[job]], leaving names it does not know", () => {
    expect(
      interpolateVariables('rate(x{job=~"$job"}[$__rate_interval]) ${job} [[job]] $jobs', job("storefront")),
    ).toBe('rate(x{job=~"storefront"}[$__rate_interval]) storefront storefront $jobs');
  });

  it("escapes a single value as Grafana's Prometheus data source does, several as a regex alternation", () => {
    expect(interpolateVariables('{a="$job"}', job("it's\\here"))).toBe('{a="it\\\\\'s\\\\here"}');
    expect(interpolateVariables('{job=~"$job"}', job(["a.b", "c"], { multi: true }))).toBe(
      '{job=~"(a\\\\.b|c)"}',
    );
    expect(interpolateVariables('{job=~"$job"}', job(ALL, { includeAll: true }))).toBe(
      '{job=~"(storefront|traffic)"}',
    );
    expect(interpolateVariables('{job=~"$job"}', job(ALL, { includeAll: true, allValue: ".*" }))).toBe(
      '{job=~".*"}',
    );
    expect(interpolateVariables("${job:pipe}", job(["a", "b"], { multi: true }))).toBe("a|b");
  });

  it("reads label_values queries", () => {
    expect(parseLabelValuesQuery("label_values(app_revenue_total, job)")).toEqual({
      metric: "app_revenue_total",
      label: "job",
    });
    expect(parseLabelValuesQuery('label_values(up{env="x"},instance)')).toEqual({
      metric: 'up{env="x"}',
      label: "instance",
    });
    expect(parseLabelValuesQuery("label_values(job)")).toEqual({ label: "job" });
    expect(parseLabelValuesQuery("query_result(up)")).toBeUndefined();
  });

  it("filters options with the variable's regex (its group picks the value) and sorts them", () => {
    const found = ["traffic", "storefront", "fixture-echo", "cost-exporter", "storefront"];
    expect(variableOptions(found, "/^(storefront|cost-exporter|traffic)$/", 1)).toEqual([
      "cost-exporter",
      "storefront",
      "traffic",
    ]);
    expect(variableOptions(found, "/^(storefront|cost-exporter|traffic)$/", 2)).toEqual([
      "traffic",
      "storefront",
      "cost-exporter",
    ]);
    expect(variableOptions(["pod-10", "pod-9"], "", 7)).toEqual(["pod-9", "pod-10"]);
    expect(variableOptions(["eu-west-1a", "us-east-1b"], "/^(?<value>[a-z]+)-/")).toEqual(["eu", "us"]);
    expect(variableOptions(["b", "a"], undefined, 0)).toEqual(["b", "a"]);
  });

  it("keeps the wanted value when it is an option, else takes the first, as after a refresh", () => {
    expect(chooseValue({}, ["storefront", "traffic"], ["traffic"])).toBe("traffic");
    expect(chooseValue({}, ["storefront", "traffic"], ["gone"])).toBe("storefront");
    expect(chooseValue({ multi: true }, ["a", "b", "c"], ["c", "x", "a"])).toEqual(["c", "a"]);
    expect(chooseValue({ includeAll: true }, ["a"], [ALL])).toBe(ALL);
    expect(chooseValue({}, [], ["saved"])).toBe("saved");
  });

  it("reads the options written in custom variables", () => {
    expect(staticOptions({ type: "custom", name: "q", query: "0.5, 0.95,0.99" })).toEqual([
      "0.5",
      "0.95",
      "0.99",
    ]);
    expect(staticOptions({ type: "constant", name: "c", query: "prod" })).toEqual(["prod"]);
    expect(staticOptions({ type: "query", name: "job" })).toBeUndefined();
  });
});

describe("series", () => {
  it("names series from the legend format, or from the metric and labels", () => {
    expect(renderLegend("p95 {{endpoint}}", { endpoint: "/", job: "s" }, "q")).toBe("p95 /");
    expect(renderLegend("{{ missing }}x", {}, "q")).toBe("x");
    expect(renderLegend("", { __name__: "up", job: "b", instance: "a" }, "q")).toBe(
      'up{instance="a", job="b"}',
    );
    expect(renderLegend("__auto", {}, "sum(up)")).toBe("sum(up)");
  });

  it("reduces a series as stat panels do", () => {
    const values = [1, null, 3, 2, null];
    expect(reduce(values, "lastNotNull")).toBe(2);
    expect(reduce(values, "last")).toBeNull();
    expect(reduce(values, "max")).toBe(3);
    expect(reduce(values, "mean")).toBe(2);
    expect(reduce([], "lastNotNull")).toBeNull();
  });

  it("lists every panel of the committed dashboards, rows and the panels inside collapsed rows", () => {
    const nested: Dashboard = {
      uid: "x",
      title: "x",
      panels: [
        { id: 1, type: "row", title: "r", collapsed: true, panels: [{ id: 2, type: "stat", title: "s" }] },
      ],
    };
    expect(allPanels(nested.panels).map((p) => p.id)).toEqual([1, 2]);
    for (const { json } of loadDashboards()) {
      expect(allPanels((json as Dashboard).panels).length).toBeGreaterThan(5);
    }
  });
});
