/**
 * What `npm start -- --check` verifies against the live local Prometheus: every target up, every rule
 * file loaded and healthy, every dashboard variable and panel query answered with data, and the four
 * queries of the metric contract (the names dashboards, alerts and tests share) answered with data.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { terminalText } from "@platform/service-kit";
import { DASHBOARDS_DIR } from "./configs.js";
import { interpolateBuiltins, queryTiming } from "./dashboard-viewer/grafana.js";
import { interpolateVariables } from "./dashboard-viewer/grafana-variables.js";

/** The queries the metric contract promises return data against a storefront under traffic. */
export const METRIC_CONTRACT_QUERIES = [
  "rate(app_requests_total[1m]) * 60",
  "rate(app_request_duration_seconds_sum[1m]) / rate(app_request_duration_seconds_count[1m])",
  "histogram_quantile(0.95, rate(app_request_duration_seconds_bucket[5m]))",
  "rate(app_revenue_total[5m])",
];

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  /** The expression as the dashboard holds it. */
  expr: string;
  /** With Grafana's variables replaced by concrete values. */
  query: string;
  /** The panel's own text for no data: no data is then a state the panel explains, not a failure. */
  noValue?: string;
  /** The uid of the data source the query names when it is not the `${datasource}` variable (the long-term store). */
  datasource?: string;
}

interface DashboardJson {
  uid: string;
  title: string;
  templating?: { list?: { name: string; type: string; current?: { value?: string }; query?: unknown }[] };
  panels?: DashboardPanel[];
}

interface DashboardPanel {
  type: string;
  title: string;
  fieldConfig?: { defaults?: { noValue?: string } };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  datasource?: { uid?: string };
  /** Panels folded inside a collapsed row. */
  panels?: DashboardPanel[];
}

/** Every panel, including those inside collapsed rows, so none escapes the data check. */
function allPanels(panels: DashboardPanel[] = []): DashboardPanel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels)]);
}

export function loadDashboards(dir = DASHBOARDS_DIR): { file: string; json: DashboardJson }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(dir, file), "utf8")) as DashboardJson }));
}

/** The view the check resolves queries for: the dashboards' default hour, on a panel 1,000 px wide. */
const CHECKED_VIEW = { rangeMs: 3_600_000, maxDataPoints: 1_000 };

/**
 * Replaces Grafana's built-in and template variables as Grafana does for the dashboards' default view
 * (the rules of dashboard-viewer/grafana.ts, which the read-only dashboards follow too): with a 5-second
 * scrape, `$__rate_interval` is max(5 s + 5 s, 4 × 5 s) = 20 s and `$__range` 3600s.
 */
export function concreteQuery(expr: string, variables: Record<string, string>, scrapeSeconds = 5): string {
  const values = new Map(
    Object.entries(variables).map(([name, value]) => [
      name,
      { name, value, options: [value], multi: false, includeAll: false },
    ]),
  );
  const timing = queryTiming({
    fromMs: 0,
    toMs: CHECKED_VIEW.rangeMs,
    maxDataPoints: CHECKED_VIEW.maxDataPoints,
    scrapeIntervalMs: scrapeSeconds * 1000,
  });
  return interpolateBuiltins(interpolateVariables(expr, values), timing);
}

/** The values a dashboard's variables have when it opens (the saved current value). */
export function defaultVariables(json: DashboardJson): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of json.templating?.list ?? []) {
    if (v.type === "datasource") continue;
    if (v.current?.value) values[v.name] = v.current.value;
  }
  return values;
}

export function dashboardQueries(dir = DASHBOARDS_DIR, scrapeSeconds = 5): DashboardQuery[] {
  return loadDashboards(dir).flatMap(({ json }) => {
    const variables = defaultVariables(json);
    return allPanels(json.panels).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((t) => t.expr)
        .map((t) => {
          const uid = t.datasource?.uid ?? panel.datasource?.uid;
          return {
            dashboard: json.title,
            panel: panel.title,
            expr: t.expr as string,
            query: concreteQuery(t.expr as string, variables, scrapeSeconds),
            ...(panel.fieldConfig?.defaults?.noValue ? { noValue: panel.fieldConfig.defaults.noValue } : {}),
            ...(uid && uid !== "${datasource}" ? { datasource: uid } : {}),
          };
        }),
    );
  });
}

/** `label_values(metric, label)` variable queries, as (metric, label) pairs. */
export function variableQueries(
  dir = DASHBOARDS_DIR,
): { dashboard: string; name: string; metric: string; label: string }[] {
  return loadDashboards(dir).flatMap(({ json }) =>
    (json.templating?.list ?? []).flatMap((v) => {
      const text = typeof v.query === "string" ? v.query : (v.query as { query?: string } | undefined)?.query;
      const match = text ? /^label_values\((\w+),\s*(\w+)\)$/.exec(text) : null;
      return match
        ? [{ dashboard: json.title, name: v.name, metric: match[1] as string, label: match[2] as string }]
        : [];
    }),
  );
}

interface PromResponse<T> {
  status: string;
  data: T;
  error?: string;
}
/** A Prometheus HTTP API GET: its `data`, or an error naming what Prometheus said. */
export async function promGet<T>(prometheus: string, path: string): Promise<T> {
  const res = await fetch(`${prometheus}${path}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as PromResponse<T>;
  if (body.status !== "success") throw new Error(body.error ?? `HTTP ${res.status}`);
  return body.data;
}

/**
 * Number of series an instant query returns now with a finite value (throws on a query error): NaN from
 * 0/0 or ±Inf is no data a panel could show.
 */
export async function seriesCount(prometheus: string, query: string): Promise<number> {
  const data = await promGet<{ resultType: string; result: unknown }>(
    prometheus,
    `/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  const finite = (sample: unknown) => Array.isArray(sample) && Number.isFinite(Number(sample[1]));
  if (data.resultType === "scalar") return finite(data.result) ? 1 : 0;
  return (data.result as { value?: unknown }[]).filter((series) => finite(series.value)).length;
}

export interface Target {
  labels: Record<string, string>;
  health: string;
  lastError: string;
  scrapeUrl: string;
}
export const activeTargets = (prometheus: string) =>
  promGet<{ activeTargets: Target[] }>(prometheus, "/api/v1/targets?state=active").then(
    (d) => d.activeTargets,
  );

export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: { name: string; type: string; health: string; lastError?: string; state?: string }[];
}
export const ruleGroups = (prometheus: string) =>
  promGet<{ groups: RuleGroupStatus[] }>(prometheus, "/api/v1/rules").then((d) => d.groups);

export interface CheckLine {
  section: string;
  name: string;
  ok: boolean;
  detail: string;
}

async function retryUntil(deadline: number, attempt: () => Promise<CheckLine>): Promise<CheckLine> {
  let line = await attempt();
  while (!line.ok && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    line = await attempt();
  }
  return line;
}

/** Every scrape target Prometheus has is up. */
async function targetsCheck(prometheus: string): Promise<CheckLine> {
  const all = await activeTargets(prometheus).catch(() => [] as Target[]);
  const down = all.filter((t) => t.health !== "up");
  return {
    section: "targets",
    name: "every scrape target up",
    ok: all.length > 0 && down.length === 0,
    detail: down.length
      ? `down: ${down.map((t) => `${t.labels.job} (${t.lastError || t.health})`).join(", ")}`
      : all.map((t) => t.labels.job).join(", "),
  };
}

/** Every rule file is loaded and every rule evaluates without error. */
async function rulesCheck(prometheus: string, ruleFiles: string[]): Promise<CheckLine> {
  const groups = await ruleGroups(prometheus).catch(() => [] as RuleGroupStatus[]);
  const loaded = new Set(groups.map((g) => g.file.split("/").pop()));
  const missing = ruleFiles.filter((f) => !loaded.has(f));
  const unhealthy = groups.flatMap((g) =>
    g.rules.filter((r) => r.health !== "ok").map((r) => `${r.name}: ${r.lastError || r.health}`),
  );
  const rules = groups.reduce((n, g) => n + g.rules.length, 0);
  return {
    section: "rules",
    name: "every rule file loaded and evaluated",
    ok: missing.length === 0 && unhealthy.length === 0,
    detail:
      missing.length || unhealthy.length
        ? [missing.length ? `not loaded: ${missing.join(", ")}` : "", ...unhealthy.slice(0, 5)]
            .filter(Boolean)
            .join("; ")
        : `${ruleFiles.length} files, ${groups.length} groups, ${rules} rules`,
  };
}

/** A query that must answer with at least one series. */
async function queryCheck(section: string, name: string, q: string, from: string): Promise<CheckLine> {
  try {
    const n = await seriesCount(from, q);
    return { section, name, ok: n > 0, detail: n > 0 ? `${n} series` : `no data: ${q}` };
  } catch (err) {
    return { section, name, ok: false, detail: `query failed: ${(err as Error).message}: ${q}` };
  }
}

/**
 * Runs every check, waiting up to `timeoutMs` for data to appear (rate windows need a few scrapes,
 * recording rules a few evaluations, the cost exporter its first refresh).
 */
export async function runChecks({
  prometheus,
  ruleFiles,
  datasources = {},
  scrapeSeconds = 5,
  timeoutMs = 120_000,
}: {
  prometheus: string;
  ruleFiles: string[];
  /** The other data sources panels name by uid (the long-term store): uid → base URL. */
  datasources?: Record<string, string>;
  scrapeSeconds?: number;
  timeoutMs?: number;
}): Promise<CheckLine[]> {
  const deadline = Date.now() + timeoutMs;
  const lines: CheckLine[] = [];

  lines.push(await retryUntil(deadline, () => targetsCheck(prometheus)));

  lines.push(await retryUntil(deadline, () => rulesCheck(prometheus, ruleFiles)));

  const query = (section: string, name: string, q: string, from = prometheus) =>
    queryCheck(section, name, q, from);

  for (const q of METRIC_CONTRACT_QUERIES) {
    lines.push(await retryUntil(deadline, () => query("metric contract", q, q)));
  }
  for (const v of variableQueries()) {
    lines.push(
      await retryUntil(deadline, () =>
        query(`variables`, `${v.dashboard} $${v.name}`, `count by (${v.label}) (${v.metric})`),
      ),
    );
  }
  for (const d of dashboardQueries(DASHBOARDS_DIR, scrapeSeconds)) {
    lines.push(
      await retryUntil(deadline, async () => {
        const source = d.datasource === undefined ? prometheus : datasources[d.datasource];
        if (source === undefined) {
          return {
            section: `dashboard ${d.dashboard}`,
            name: d.panel,
            ok: false,
            detail: `no data source ${d.datasource} here`,
          };
        }
        const line = await query(`dashboard ${d.dashboard}`, d.panel, d.query, source);
        // A panel that says why it can be empty (the reconciliation before a whole day of history) is
        // answered when the query is: a query error still fails.
        return d.noValue && line.detail.startsWith("no data")
          ? { ...line, ok: true, detail: `no data yet, as the panel says ("${d.noValue}"): ${d.query}` }
          : line;
      }),
    );
  }
  return lines;
}

export function formatReport(lines: CheckLine[]): string {
  const out: string[] = [];
  let section = "";
  for (const line of lines) {
    if (line.section !== section) {
      section = line.section;
      out.push(`\n${section}`);
    }
    // A detail may quote Prometheus's error or a target's: one line, nothing a terminal acts on.
    out.push(`  ${line.ok ? "ok  " : "FAIL"}  ${terminalText(line.name)}  (${terminalText(line.detail)})`);
  }
  const failed = lines.filter((l) => !l.ok).length;
  out.push(
    `\n${failed === 0 ? "CHECK PASSED" : "CHECK FAILED"}: ${lines.length - failed} of ${lines.length} checks passed`,
  );
  return out.join("\n");
}
