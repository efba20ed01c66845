/**
 * Builds the Grafana dashboards `dashboards/*.json`. The committed JSON is what ships (file provisioning
 * and the kube-prometheus-stack sidecar load it unchanged); `dashboards/dashboards.test.ts` fails when
 * it differs from what this file builds.
 *
 *   npx tsx dashboards/build.ts
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const DASHBOARDS_DIR = dirname(fileURLToPath(import.meta.url));

/** Every query goes through the `${datasource}` variable: no datasource uid is ever written down. */
const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;

type Unit = string;
interface Threshold {
  color: string;
  value: number | null;
}
interface Target {
  expr: string;
  legend?: string;
  /** A single value now rather than a series over time (stats, bar gauges). */
  instant?: boolean;
}
interface PanelSpec {
  title: string;
  description: string;
  type: "timeseries" | "stat" | "bargauge" | "gauge";
  unit: Unit;
  targets: Target[];
  w?: number;
  h?: number;
  thresholds?: Threshold[];
  decimals?: number;
  min?: number;
  max?: number;
  stack?: boolean;
  mappings?: unknown[];
  textMode?: "auto" | "value" | "name" | "value_and_name";
}
interface Row {
  title: string;
  panels: PanelSpec[];
}

const green = (steps: [string, number][] = []): Threshold[] => [
  { color: "green", value: null },
  ...steps.map(([color, value]) => ({ color, value })),
];
/** For values where low is bad (success ratios, targets up). */
const redBelow = (steps: [string, number][]): Threshold[] => [
  { color: "red", value: null },
  ...steps.map(([color, value]) => ({ color, value })),
];

function panelJson(spec: PanelSpec, id: number, x: number, y: number) {
  const w = spec.w ?? 8;
  const h = spec.h ?? (spec.type === "stat" ? 5 : 8);
  const defaults: Record<string, unknown> = {
    unit: spec.unit,
    thresholds: { mode: "absolute", steps: spec.thresholds ?? green() },
    color: { mode: spec.thresholds && spec.type !== "timeseries" ? "thresholds" : "palette-classic" },
    mappings: spec.mappings ?? [],
  };
  if (spec.decimals !== undefined) defaults.decimals = spec.decimals;
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  if (spec.type === "timeseries") {
    defaults.custom = {
      drawStyle: "line",
      lineWidth: 1,
      fillOpacity: spec.stack ? 30 : 10,
      showPoints: "never",
      spanNulls: true,
      stacking: { mode: spec.stack ? "normal" : "none", group: "A" },
      // Draw the thresholds as lines so a graph shows where "too much" starts.
      thresholdsStyle: { mode: spec.thresholds ? "line" : "off" },
    };
  }
  const options: Record<string, unknown> =
    spec.type === "timeseries"
      ? {
          legend: { displayMode: "list", placement: "bottom", showLegend: true },
          tooltip: { mode: "multi", sort: "desc" },
        }
      : {
          reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
          orientation: spec.type === "bargauge" ? "horizontal" : "auto",
          ...(spec.type === "stat"
            ? {
                colorMode: "value",
                graphMode: "area",
                textMode: spec.textMode ?? "auto",
                justifyMode: "auto",
              }
            : {}),
          ...(spec.type === "bargauge" ? { displayMode: "gradient", showUnfilled: true } : {}),
        };
  return {
    id,
    type: spec.type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos: { h, w, x, y },
    fieldConfig: { defaults, overrides: [] },
    options,
    targets: spec.targets.map((t, i) => ({
      datasource: DATASOURCE,
      refId: String.fromCharCode(65 + i),
      expr: t.expr,
      legendFormat: t.legend ?? "__auto",
      range: !t.instant,
      instant: Boolean(t.instant),
      editorMode: "code",
    })),
  };
}

interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables?: unknown[];
  rows: Row[];
}

const LINKS = [
  { title: "Platform overview", url: "/d/platform-overview" },
  { title: "Service RED", url: "/d/service-red" },
  { title: "Cost", url: "/d/platform-cost" },
];

function dashboard(spec: DashboardSpec) {
  const panels: unknown[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({
      id: id++,
      type: "row",
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.w ?? 8;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const json = panelJson(p, id++, x, y);
      panels.push(json);
      x += w;
      rowHeight = Math.max(rowHeight, json.gridPos.h);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ["platform", ...spec.tags],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: "now-1h", to: "now" },
    refresh: "30s",
    timezone: "browser",
    links: LINKS.filter((l) => !l.url.endsWith(`/${spec.uid}`)).map((l) => ({
      title: l.title,
      type: "link",
      url: l.url,
      icon: "dashboard",
      keepTime: true,
      includeVars: false,
      targetBlank: false,
      asDropdown: false,
      tags: [],
      tooltip: "",
    })),
    annotations: { list: [] },
    templating: {
      list: [
        {
          name: "datasource",
          label: "Data source",
          type: "datasource",
          query: "prometheus",
          current: {},
          hide: 0,
          refresh: 1,
          regex: "",
          options: [],
          includeAll: false,
          multi: false,
        },
        ...(spec.variables ?? []),
      ],
    },
    panels,
  };
}

/** A variable listing the values of `label` on `metric`, with a sensible first choice. */
function labelVariable(name: string, label: string, metric: string, current: string, description: string) {
  const query = `label_values(${metric}, ${label})`;
  return {
    name,
    label: name === "job" ? "Service" : name,
    description,
    type: "query",
    datasource: DATASOURCE,
    definition: query,
    query: { query, refId: "PrometheusVariableQueryEditor-VariableQuery", qryType: 1 },
    current: { selected: true, text: current, value: current },
    refresh: 2,
    sort: 1,
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    regex: "",
  };
}

const RI = "$__rate_interval";
const reqs = (sel: string) => `rate(app_requests_total{${sel}}[${RI}])`;
/** 5xx over all; `or … * 0` makes a service that never failed show 0 instead of no data. */
const errorRatio = (by: string, sel: string) =>
  `sum by (${by}) (${reqs(`${sel},status=~"5.."`)} or ${reqs(sel)} * 0)\n/\nsum by (${by}) (${reqs(sel)})`;
const quantile = (q: number, by: string, sel: string) =>
  `histogram_quantile(${q}, sum by (${by}, le) (rate(app_request_duration_seconds_bucket{${sel}}[${RI}])))`;
const JOB = 'job=~"$job"';
const USD = "currencyUSD";

const overview = dashboard({
  uid: "platform-overview",
  title: "Platform overview",
  description: "System, financial and business health and unit economics on one pane.",
  tags: ["overview"],
  variables: [
    labelVariable(
      "job",
      "job",
      "app_revenue_total",
      "storefront",
      "The service that earns revenue (has app_revenue_total).",
    ),
  ],
  rows: [
    {
      title: "System health",
      panels: [
        {
          title: "Request rate",
          description:
            "HTTP requests per second the service answers, by service (probes and scrapes excluded).",
          type: "timeseries",
          unit: "reqps",
          targets: [{ expr: `sum by (job) (${reqs(JOB)})`, legend: "{{job}}" }],
        },
        {
          title: "Error ratio",
          description:
            "Share of requests answered with a 5xx status. Orange above 1%, red above 5%; the availability objective's burn-rate alerts watch the same ratio.",
          type: "timeseries",
          unit: "percentunit",
          min: 0,
          thresholds: green([
            ["orange", 0.01],
            ["red", 0.05],
          ]),
          targets: [{ expr: errorRatio("job", JOB), legend: "{{job}}" }],
        },
        {
          title: "Targets up",
          description:
            "Share of scrape targets Prometheus reached on its last scrape. Anything below 100% fires TargetDown.",
          type: "stat",
          unit: "percentunit",
          h: 8,
          thresholds: redBelow([["green", 1]]),
          targets: [{ expr: "sum(up) / count(up)", legend: "up", instant: true }],
        },
        {
          title: "Latency p50 / p95 / p99 by endpoint",
          description:
            "Response-time percentiles per route template, from the request-duration histogram. The red line is the latency objective's threshold (300 ms).",
          type: "timeseries",
          unit: "s",
          w: 24,
          thresholds: green([["red", 0.3]]),
          targets: [
            { expr: quantile(0.5, "endpoint", JOB), legend: "p50 {{endpoint}}" },
            { expr: quantile(0.95, "endpoint", JOB), legend: "p95 {{endpoint}}" },
            { expr: quantile(0.99, "endpoint", JOB), legend: "p99 {{endpoint}}" },
          ],
        },
      ],
    },
    {
      title: "Financial health",
      panels: [
        {
          title: "Daily AWS spend",
          description:
            "AWS spend per UTC day from Cost Explorer (the last complete days and today so far, which is still growing).",
          type: "bargauge",
          unit: USD,
          targets: [{ expr: "sum by (day) (aws_cost_daily_amount)", legend: "{{day}}", instant: true }],
        },
        {
          title: "Month to date",
          description: "AWS spend since the first day of this month (UTC), all services.",
          type: "stat",
          unit: USD,
          h: 8,
          w: 4,
          targets: [{ expr: "sum(aws_cost_month_to_date_amount)", legend: "month to date", instant: true }],
        },
        {
          title: "Forecast vs budget",
          description:
            "Cost Explorer's month-end forecast (actual month to date plus the forecast of the rest) as a share of the monthly budget set in alerts/settings.yaml. Red above 100% (ForecastOverBudget).",
          type: "gauge",
          unit: "percentunit",
          h: 8,
          w: 4,
          min: 0,
          max: 1.5,
          thresholds: green([
            ["orange", 0.8],
            ["red", 1],
          ]),
          targets: [
            {
              expr: 'sum(aws_cost_month_forecast_amount{bound="mean"}) / scalar(platform:settings_monthly_budget:usd)',
              legend: "forecast / budget",
              instant: true,
            },
          ],
        },
        {
          title: "Month-end forecast and budget",
          description:
            "Forecast month-end total with its prediction interval (lower, upper), month to date, and the budget from alerts/settings.yaml.",
          type: "timeseries",
          unit: USD,
          targets: [
            { expr: "sum by (bound) (aws_cost_month_forecast_amount)", legend: "forecast {{bound}}" },
            { expr: "sum(aws_cost_month_to_date_amount)", legend: "month to date" },
            { expr: "platform:settings_monthly_budget:usd", legend: "budget" },
          ],
        },
      ],
    },
    {
      title: "Business health",
      panels: [
        {
          title: "Revenue per second",
          description: "US dollars earned per second by accepted checkouts.",
          type: "timeseries",
          unit: USD,
          targets: [{ expr: `sum(rate(app_revenue_total{${JOB}}[${RI}]))`, legend: "USD/s" }],
        },
        {
          title: "Revenue per minute",
          description:
            "US dollars earned per minute right now. RevenueDropWhileHealthy fires when this falls below half of its last-hour average while traffic and errors look normal.",
          type: "stat",
          unit: USD,
          w: 4,
          h: 8,
          targets: [
            { expr: `sum(rate(app_revenue_total{${JOB}}[${RI}])) * 60`, legend: "USD/min", instant: true },
          ],
        },
        {
          title: "Orders per minute",
          description: "Accepted checkouts (orders) per minute.",
          type: "stat",
          unit: "suffix: orders/min",
          w: 4,
          h: 8,
          decimals: 1,
          targets: [
            {
              expr: `sum(rate(app_checkouts_total{${JOB},outcome="accepted"}[${RI}])) * 60`,
              legend: "orders/min",
              instant: true,
            },
          ],
        },
        {
          title: "Checkout success ratio",
          description:
            "Accepted checkouts over all checkout attempts. A drop with no rise in 5xx errors means checkouts answer but do not sell (out of stock, invalid carts).",
          type: "timeseries",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: redBelow([
            ["orange", 0.5],
            ["green", 0.8],
          ]),
          targets: [
            {
              expr: `sum(rate(app_checkouts_total{${JOB},outcome="accepted"}[${RI}]) or rate(app_checkouts_total{${JOB}}[${RI}]) * 0)\n/\nsum(rate(app_checkouts_total{${JOB}}[${RI}]))`,
              legend: "success ratio",
            },
          ],
        },
        {
          title: "Checkouts by outcome",
          description: "Checkout attempts per second: accepted, invalid, out_of_stock, failed.",
          type: "timeseries",
          unit: "reqps",
          stack: true,
          w: 24,
          targets: [
            {
              expr: `sum by (outcome) (rate(app_checkouts_total{${JOB}}[${RI}]))`,
              legend: "{{outcome}}",
            },
          ],
        },
      ],
    },
    {
      title: "Unit economics",
      panels: [
        {
          title: "Cost per request",
          description:
            "Yesterday's AWS spend per second divided by the requests per second of the last hour (recording rule platform:cost_per_request:usd). Red above the ceiling in alerts/settings.yaml (CostPerRequestOverCeiling).",
          type: "stat",
          unit: USD,
          decimals: 6,
          h: 6,
          thresholds: green([["red", 0.001]]),
          targets: [{ expr: "platform:cost_per_request:usd", legend: "{{currency}}", instant: true }],
        },
        {
          title: "Cost per 1,000 requests",
          description: "The same unit cost per thousand requests, easier to compare with a price list.",
          type: "stat",
          unit: USD,
          decimals: 3,
          h: 6,
          thresholds: green([["red", 1]]),
          targets: [{ expr: "platform:cost_per_request:usd * 1000", legend: "{{currency}}", instant: true }],
        },
        {
          title: "Cost as share of revenue",
          description:
            "Yesterday's AWS spend per second over the revenue per second of the last hour. Above 100% the platform costs more than it earns.",
          type: "stat",
          unit: "percentunit",
          h: 6,
          thresholds: green([
            ["orange", 0.3],
            ["red", 1],
          ]),
          targets: [
            {
              expr: "sum(platform:aws_cost_last_complete_day:usd) / 86400\n/\nsum(job:app_revenue_usd:rate5m_avg1h)",
              legend: "cost / revenue",
              instant: true,
            },
          ],
        },
      ],
    },
  ],
});

const red = dashboard({
  uid: "service-red",
  title: "Service RED",
  description: "Rate, errors and duration of one service, with its Node.js runtime.",
  tags: ["red", "services"],
  variables: [
    labelVariable("job", "job", "app_requests_total", "storefront", "The service (Prometheus job) to show."),
  ],
  rows: [
    {
      title: "Rate, errors, duration",
      panels: [
        {
          title: "Total requests",
          description: "Requests the service answered in the selected time range.",
          type: "stat",
          unit: "short",
          w: 6,
          targets: [
            {
              expr: `sum(increase(app_requests_total{${JOB}}[$__range]))`,
              legend: "requests",
              instant: true,
            },
          ],
        },
        {
          title: "Availability (1h)",
          description:
            "Share of requests without a 5xx answer over the last hour (SLI recording rule). Red below the availability objective of 99.9%.",
          type: "stat",
          unit: "percentunit",
          decimals: 3,
          w: 6,
          thresholds: redBelow([["green", 0.999]]),
          targets: [
            {
              expr: `1 - job:slo_availability_errors:ratio_rate1h{${JOB}}`,
              legend: "availability",
              instant: true,
            },
          ],
        },
        {
          title: "Error-budget burn rate (1h)",
          description:
            "How fast the 30-day error budget is being spent over the last hour: 1 is exactly on budget; 14.4 together with the 5-minute window pages (AvailabilityBudgetBurnFast).",
          type: "stat",
          unit: "x",
          decimals: 1,
          w: 6,
          thresholds: green([
            ["orange", 1],
            ["red", 14.4],
          ]),
          targets: [
            {
              expr: `job:slo_availability_errors:ratio_rate1h{${JOB}} / scalar(1 - platform:settings_slo_availability:objective)`,
              legend: "burn rate",
              instant: true,
            },
          ],
        },
        {
          title: "Requests in flight",
          description: "Requests being handled right now.",
          type: "stat",
          unit: "short",
          w: 6,
          targets: [{ expr: `sum(app_requests_in_flight{${JOB}})`, legend: "in flight", instant: true }],
        },
        {
          title: "Requests per minute",
          description: "Requests per minute by route template.",
          type: "timeseries",
          unit: "suffix: req/min",
          targets: [{ expr: `sum by (endpoint) (${reqs(JOB)}) * 60`, legend: "{{endpoint}}" }],
        },
        {
          title: "Responses by status",
          description: "Requests per second by HTTP status code.",
          type: "timeseries",
          unit: "reqps",
          stack: true,
          targets: [{ expr: `sum by (status) (${reqs(JOB)})`, legend: "{{status}}" }],
        },
        {
          title: "Error ratio",
          description:
            "Share of requests answered with 5xx, by route template. Orange above 1%, red above 5%.",
          type: "timeseries",
          unit: "percentunit",
          min: 0,
          thresholds: green([
            ["orange", 0.01],
            ["red", 0.05],
          ]),
          targets: [{ expr: errorRatio("endpoint", JOB), legend: "{{endpoint}}" }],
        },
        {
          title: "Average response time",
          description: "Mean time to answer, by route template (histogram sum over count).",
          type: "timeseries",
          unit: "s",
          w: 12,
          targets: [
            {
              expr: `sum by (endpoint) (rate(app_request_duration_seconds_sum{${JOB}}[${RI}]))\n/\nsum by (endpoint) (rate(app_request_duration_seconds_count{${JOB}}[${RI}]))`,
              legend: "{{endpoint}}",
            },
          ],
        },
        {
          title: "p95 response time",
          description:
            "95th percentile response time by route template. The red line is the latency objective's threshold (300 ms).",
          type: "timeseries",
          unit: "s",
          w: 12,
          thresholds: green([["red", 0.3]]),
          targets: [{ expr: quantile(0.95, "endpoint", JOB), legend: "{{endpoint}}" }],
        },
      ],
    },
    {
      title: "Node.js runtime",
      panels: [
        {
          title: "Event-loop lag",
          description:
            "How late timers run (mean and p99). Lag above 100 ms means the process is CPU-bound and every request waits.",
          type: "timeseries",
          unit: "s",
          w: 6,
          thresholds: green([["red", 0.1]]),
          targets: [
            {
              expr: `max by (instance) (nodejs_eventloop_lag_p99_seconds{${JOB}})`,
              legend: "p99 {{instance}}",
            },
            {
              expr: `max by (instance) (nodejs_eventloop_lag_mean_seconds{${JOB}})`,
              legend: "mean {{instance}}",
            },
          ],
        },
        {
          title: "Heap",
          description: "V8 heap used and allocated. A used heap that only grows points at a leak.",
          type: "timeseries",
          unit: "bytes",
          w: 6,
          targets: [
            { expr: `sum by (instance) (nodejs_heap_size_used_bytes{${JOB}})`, legend: "used {{instance}}" },
            {
              expr: `sum by (instance) (nodejs_heap_size_total_bytes{${JOB}})`,
              legend: "total {{instance}}",
            },
          ],
        },
        {
          title: "Time in garbage collection",
          description: "Share of wall time spent in GC pauses, by GC kind.",
          type: "timeseries",
          unit: "percentunit",
          w: 6,
          stack: true,
          targets: [
            {
              expr: `sum by (kind) (rate(nodejs_gc_duration_seconds_sum{${JOB}}[${RI}]))`,
              legend: "{{kind}}",
            },
          ],
        },
        {
          title: "CPU",
          description: "CPU time used per second of wall time (1 = one full core).",
          type: "timeseries",
          unit: "percentunit",
          w: 6,
          targets: [
            {
              expr: `sum by (instance) (rate(process_cpu_seconds_total{${JOB}}[${RI}]))`,
              legend: "{{instance}}",
            },
          ],
        },
      ],
    },
  ],
});

const cost = dashboard({
  uid: "platform-cost",
  title: "Cost",
  description:
    "AWS spend by service and by cost-allocation tag, the forecast, and the cost exporter's health.",
  tags: ["cost"],
  rows: [
    {
      title: "Spend",
      panels: [
        {
          title: "Spend yesterday by service",
          description: "AWS spend on the last complete UTC day, by AWS service (small ones fold into other).",
          type: "bargauge",
          unit: USD,
          targets: [
            {
              expr: `sort_desc(sum by (service) (aws_cost_last_complete_day_amount))`,
              legend: "{{service}}",
              instant: true,
            },
          ],
        },
        {
          title: "Month to date by service",
          description: "AWS spend since the first of the month, by AWS service.",
          type: "bargauge",
          unit: USD,
          targets: [
            {
              expr: "sort_desc(sum by (service) (aws_cost_month_to_date_amount))",
              legend: "{{service}}",
              instant: true,
            },
          ],
        },
        {
          title: "Today so far by service",
          description:
            "Spend of the current UTC day so far; Cost Explorer marks it estimated and it keeps growing.",
          type: "bargauge",
          unit: USD,
          targets: [
            {
              expr: "sort_desc(sum by (service) (aws_cost_today_amount))",
              legend: "{{service}}",
              instant: true,
            },
          ],
        },
        {
          title: "Daily spend",
          description:
            "Total AWS spend per UTC day. DailySpendSpike fires when yesterday is well above the average of the days before it.",
          type: "bargauge",
          unit: USD,
          w: 12,
          targets: [{ expr: "sum by (day) (aws_cost_daily_amount)", legend: "{{day}}", instant: true }],
        },
        {
          title: "Month-end forecast vs budget",
          description:
            "Forecast month-end total (mean with lower and upper bounds), month to date and the budget from alerts/settings.yaml.",
          type: "timeseries",
          unit: USD,
          w: 12,
          targets: [
            { expr: "sum by (bound) (aws_cost_month_forecast_amount)", legend: "forecast {{bound}}" },
            { expr: "sum(aws_cost_month_to_date_amount)", legend: "month to date" },
            { expr: "platform:settings_monthly_budget:usd", legend: "budget" },
          ],
        },
        {
          title: "Month to date by tag",
          description:
            "Spend since the first of the month by the value of the cost-allocation tag set in COST_TAG_KEY (empty when no tag key is configured).",
          type: "bargauge",
          unit: USD,
          w: 12,
          targets: [
            {
              expr: "sort_desc(sum by (tag_key, tag_value) (aws_cost_tag_month_to_date_amount))",
              legend: "{{tag_key}}={{tag_value}}",
              instant: true,
            },
          ],
        },
        {
          title: "Spend yesterday by tag",
          description: "Spend on the last complete day by cost-allocation tag value (COST_TAG_KEY).",
          type: "bargauge",
          unit: USD,
          w: 12,
          targets: [
            {
              expr: "sort_desc(sum by (tag_key, tag_value) (aws_cost_tag_last_complete_day_amount))",
              legend: "{{tag_key}}={{tag_value}}",
              instant: true,
            },
          ],
        },
      ],
    },
    {
      title: "Cost exporter health",
      panels: [
        {
          title: "Source",
          description:
            "Where the numbers come from: demo (the Cost Explorer simulator) or aws (the real, paid API), and the cost basis.",
          type: "stat",
          unit: "none",
          w: 4,
          textMode: "name",
          targets: [
            {
              expr: "max by (mode, cost_basis) (aws_cost_exporter_info)",
              legend: "{{mode}} · {{cost_basis}}",
              instant: true,
            },
          ],
        },
        {
          title: "Data age",
          description:
            "Time since the last successful Cost Explorer refresh. CostExporterStale fires above twice the refresh interval.",
          type: "stat",
          unit: "s",
          w: 4,
          targets: [{ expr: "max(aws_cost_exporter_data_age_seconds)", legend: "age", instant: true }],
        },
        {
          title: "Data age / refresh interval",
          description: "Data age in refresh intervals: orange above 1, red above 2 (stale).",
          type: "stat",
          unit: "x",
          decimals: 2,
          w: 4,
          thresholds: green([
            ["orange", 1],
            ["red", 2],
          ]),
          targets: [
            {
              expr: "max(aws_cost_exporter_data_age_seconds / aws_cost_exporter_refresh_interval_seconds)",
              legend: "age / interval",
              instant: true,
            },
          ],
        },
        {
          title: "Last refresh",
          description:
            "Whether the last refresh succeeded. CostExporterRefreshFailing fires after 30 minutes of failure.",
          type: "stat",
          unit: "none",
          w: 4,
          thresholds: redBelow([["green", 1]]),
          mappings: [
            {
              type: "value",
              options: { "0": { text: "failed", color: "red" }, "1": { text: "ok", color: "green" } },
            },
          ],
          targets: [
            { expr: "min(aws_cost_exporter_last_refresh_success)", legend: "last refresh", instant: true },
          ],
        },
        {
          title: "Paid requests today",
          description:
            "Cost Explorer API requests made today (UTC); each costs money in aws mode. The daily cap is DAILY_REQUEST_CAP (0 = none).",
          type: "stat",
          unit: "short",
          w: 4,
          targets: [
            { expr: "sum(aws_cost_exporter_paid_requests_today)", legend: "today", instant: true },
            { expr: "max(aws_cost_exporter_daily_request_cap)", legend: "cap", instant: true },
          ],
        },
        {
          title: "Throttles (1h)",
          description:
            "Requests Cost Explorer throttled in the last hour; each retry is another paid request (CostExporterThrottled).",
          type: "stat",
          unit: "short",
          w: 4,
          thresholds: green([["orange", 1]]),
          targets: [
            {
              expr: "sum(increase(aws_cost_exporter_api_throttles_total[1h]))",
              legend: "throttles",
              instant: true,
            },
          ],
        },
        {
          title: "API requests by outcome",
          description:
            "Cost Explorer API requests per hour by operation and outcome (success, throttled, errors).",
          type: "timeseries",
          unit: "short",
          w: 12,
          stack: true,
          targets: [
            {
              expr: "sum by (operation, outcome) (increase(aws_cost_exporter_api_requests_total[1h]))",
              legend: "{{operation}} {{outcome}}",
            },
          ],
        },
        {
          title: "Refreshes by outcome",
          description: "Snapshot refreshes per hour that succeeded or failed.",
          type: "timeseries",
          unit: "short",
          w: 12,
          stack: true,
          targets: [
            {
              expr: "sum by (outcome) (increase(aws_cost_exporter_refreshes_total[1h]))",
              legend: "{{outcome}}",
            },
          ],
        },
      ],
    },
  ],
});

export const DASHBOARDS = {
  "platform-overview.json": overview,
  "service-red.json": red,
  "cost.json": cost,
} as const;

/** The exact text written to disk, so the test compares bytes, not just structure. */
export const dashboardText = (json: unknown) => `${JSON.stringify(json, null, 2)}\n`;

function main() {
  for (const [name, json] of Object.entries(DASHBOARDS)) {
    writeFileSync(join(DASHBOARDS_DIR, name), dashboardText(json));
    console.log(`wrote dashboards/${name}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
