/**
 * What Grafana does with a dashboard's JSON before it asks Prometheus anything, for the local read-only
 * viewer: the time range, the interval and step of each query, `$__rate_interval`, `$__range` and the
 * other built-ins, template variables (`$job`, `${job}`, `[[job]]`, options from `label_values(…)`
 * filtered by the variable's regex and sorted), legends and reductions. Pure functions with no Node.js or
 * DOM dependency: the viewer's page runs them in the browser and the unit tests in Node.
 *
 * Each rule follows Grafana 12's frontend (`rangeutil.calculateInterval`, `roundInterval`, the Prometheus
 * data source's `interpolateQueryExpr` and escaping) and its Prometheus backend (`promlib/models/query.go`:
 * step, `$__rate_interval` = max($__interval + scrape interval, 4 × scrape interval), `$__range` in whole
 * seconds, start and end aligned to the step). Sources and dates are in local/README.md.
 */

/** The parts of a dashboard the viewer reads (schema 42 as the Foundation SDK writes it). */
export interface Dashboard {
  uid: string;
  title: string;
  description?: string;
  time?: { from: string; to: string };
  refresh?: string;
  templating?: { list?: Variable[] };
  panels?: Panel[];
  links?: { title: string; url?: string; type?: string }[];
}

export interface Variable {
  type: string;
  name: string;
  label?: string;
  description?: string;
  query?: string | { query?: string };
  regex?: string;
  current?: { value?: string | string[]; text?: string | string[] };
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  sort?: number;
  hide?: number;
}

export interface Threshold {
  color: string;
  value: number | null;
}

export interface ValueMapping {
  type: string;
  options?: Record<string, { text?: string; color?: string }>;
}

export interface FieldDefaults {
  unit?: string;
  /** What the panel says instead of "No data" (Grafana's Standard options > No value). */
  noValue?: string;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: { mode?: string; steps?: Threshold[] };
  color?: { mode?: string; fixedColor?: string };
  mappings?: ValueMapping[];
  custom?: {
    drawStyle?: string;
    lineWidth?: number;
    fillOpacity?: number;
    spanNulls?: boolean;
    showPoints?: string;
    thresholdsStyle?: { mode?: string };
    stacking?: { mode?: string };
  };
}

export interface Target {
  expr?: string;
  refId?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  hide?: boolean;
  interval?: string;
  datasource?: { type?: string; uid?: string };
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  fieldConfig?: { defaults?: FieldDefaults };
  options?: Record<string, unknown>;
  /** Panels folded inside a collapsed row. */
  panels?: Panel[];
  collapsed?: boolean;
  interval?: string;
  /** Grafana's relative time override (`1y`): the panel shows that much up to the dashboard's end. */
  timeFrom?: string;
  maxDataPoints?: number;
  datasource?: { type?: string; uid?: string } | null;
}

// ---------------------------------------------------------------------------------------------------
// Time

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  M: 2_592_000_000,
  y: 31_536_000_000,
};

/** An interval as Grafana writes one (`500ms`, `30s`, `5m`, `1h`, `2d`, `1w`), in milliseconds. */
export function parseInterval(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|[smhdwMy])$/.exec(text.trim());
  const unit = match?.[2];
  if (!match || unit === undefined) throw new Error(`not an interval: ${JSON.stringify(text)}`);
  return Number(match[1]) * (UNIT_MS[unit] as number);
}

/** Grafana's rounding of range / resolution to an interval people read (rangeutil.roundInterval). */
export function roundInterval(ms: number): number {
  const steps: [below: number, rounded: number][] = [
    [10, 1],
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1_500, 1_000],
    [3_500, 2_000],
    [7_500, 5_000],
    [12_500, 10_000],
    [17_500, 15_000],
    [25_000, 20_000],
    [45_000, 30_000],
    [90_000, 60_000],
    [210_000, 120_000],
    [450_000, 300_000],
    [750_000, 600_000],
    [1_050_000, 900_000],
    [1_500_000, 1_200_000],
    [2_700_000, 1_800_000],
    [5_400_000, 3_600_000],
    [9_000_000, 7_200_000],
    [16_200_000, 10_800_000],
    [32_400_000, 21_600_000],
    [86_400_000, 43_200_000],
    [604_800_000, 86_400_000],
    [1_814_400_000, 604_800_000],
    [3_628_800_000, 2_592_000_000],
  ];
  for (const [below, rounded] of steps) if (ms < below) return rounded;
  return 31_536_000_000;
}

/** An interval in the largest whole unit, as Grafana's backend writes `$__interval` (`5s`, `1m`, `2h`). */
export function formatInterval(ms: number): string {
  for (const unit of ["y", "d", "h", "m", "s", "ms"] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  }
  return "1ms";
}

/** A duration as Go prints one (`20s`, `1m0s`, `1h30m0s`, `500ms`): how `$__rate_interval` reaches PromQL. */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1_000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  const s = `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}

/**
 * A dashboard time (`now`, `now-1h`, `now-15m`, or milliseconds since the epoch as Grafana's URLs carry
 * them) at `nowMs`. Rounding (`now/d`) is not supported: the committed dashboards do not use it.
 */
export function parseTime(text: string, nowMs: number): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = /^now(?:([-+])(\d+)(ms|[smhdwMy]))?$/.exec(trimmed);
  if (!match) throw new Error(`not a dashboard time: ${JSON.stringify(text)} (use now, now-1h, now-15m, …)`);
  if (!match[1]) return nowMs;
  const offset = parseInterval(`${match[2]}${match[3]}`);
  return match[1] === "-" ? nowMs - offset : nowMs + offset;
}

export interface QueryTiming {
  fromMs: number;
  toMs: number;
  /** `$__interval` as the frontend computes it (range / max data points, rounded, at least the min interval). */
  intervalMs: number;
  /** The step Prometheus is asked for (the backend's calculated interval). */
  stepMs: number;
  rateIntervalMs: number;
  /** Start and end of a range query, aligned down to the step. */
  start: number;
  end: number;
}

/**
 * The interval, step and `$__rate_interval` of one panel query, as Grafana computes them for a time range,
 * the panel's width in data points and the data source's scrape interval (its "Scrape interval", which the
 * local platform sets to its own). `minIntervalMs` is the panel's min interval when it sets one.
 */
export function queryTiming({
  fromMs,
  toMs,
  maxDataPoints,
  scrapeIntervalMs,
  minIntervalMs,
  utcOffsetSec = 0,
}: {
  fromMs: number;
  toMs: number;
  maxDataPoints: number;
  scrapeIntervalMs: number;
  minIntervalMs?: number | undefined;
  utcOffsetSec?: number;
}): QueryTiming {
  const range = toMs - fromMs;
  const resolution = Math.max(1, Math.round(maxDataPoints));
  const lowLimit = minIntervalMs ?? scrapeIntervalMs;
  // Frontend (PanelQueryRunner → rangeutil.calculateInterval).
  const intervalMs = Math.max(roundInterval(range / resolution), lowLimit);
  // Backend: the min interval is the request's interval; below it the range is rounded afresh, and never
  // finer than 11,000 points over the range.
  const raw = range / resolution;
  const calculated = raw < intervalMs ? intervalMs : roundInterval(raw);
  const safe = roundInterval(range / 11_000);
  const stepMs = Math.max(calculated, safe);
  const rateIntervalMs = Math.max(intervalMs + scrapeIntervalMs, 4 * scrapeIntervalMs);
  const align = (ms: number) =>
    Math.floor((ms + utcOffsetSec * 1000) / stepMs) * stepMs - utcOffsetSec * 1000;
  return { fromMs, toMs, intervalMs, stepMs, rateIntervalMs, start: align(fromMs), end: align(toMs) };
}

/**
 * Grafana's built-in variables in an expression, as its Prometheus backend replaces them: the `_ms` and
 * `_s` forms first, then the plain ones, in both `$name` and `${name}` spellings.
 */
export function interpolateBuiltins(expr: string, timing: QueryTiming): string {
  const rangeMs = timing.toMs - timing.fromMs;
  const rangeS = Math.round(rangeMs / 1000);
  const values: [string, string][] = [
    ["__interval_ms", String(timing.stepMs)],
    ["__interval", formatInterval(timing.stepMs)],
    ["__range_ms", String(rangeMs)],
    ["__range_s", String(rangeS)],
    ["__range", `${rangeS}s`],
    ["__rate_interval_ms", String(timing.rateIntervalMs)],
    ["__rate_interval", goDuration(timing.rateIntervalMs)],
  ];
  let out = expr;
  for (const [name, value] of values) out = out.replaceAll(`$${name}`, value);
  for (const [name, value] of values) out = out.replaceAll(`\${${name}}`, value);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Template variables

/** A variable's value as a dashboard is shown: what `$name` becomes in queries. */
export interface VariableValue {
  name: string;
  /** One value, or several for a multi-value variable; `$__all` when "All" is selected. */
  value: string | string[];
  options: string[];
  multi: boolean;
  includeAll: boolean;
  allValue?: string | null | undefined;
}

export const ALL = "$__all";

/** Grafana's classic escaping of a single value in a Prometheus query (backslash and single quote). */
function prometheusRegularEscape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/'/g, "\\\\'");
}

/** Grafana's classic escaping of one of several values, which end up in a regex matcher. */
function prometheusSpecialRegexEscape(value: string): string {
  return value.replace(/\\/g, "\\\\\\\\").replace(/[$^*{}[\]+?.()|]/g, "\\\\$&");
}

function selectedValues(variable: VariableValue): string[] {
  const values = Array.isArray(variable.value) ? variable.value : [variable.value];
  return values.includes(ALL) ? variable.options : values;
}

/** A variable's value in a Prometheus expression, with the format Grafana applies by default. */
function formatForPrometheus(variable: VariableValue): string {
  const all = Array.isArray(variable.value) ? variable.value.includes(ALL) : variable.value === ALL;
  if (all && variable.includeAll && variable.allValue) return variable.allValue;
  if (!variable.multi && !variable.includeAll) {
    return prometheusRegularEscape(selectedValues(variable)[0] ?? "");
  }
  const escaped = selectedValues(variable).map(prometheusSpecialRegexEscape);
  return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join("|")})`;
}

function formatExplicitly(variable: VariableValue, format: string): string {
  const values = selectedValues(variable);
  switch (format) {
    case "raw":
      return values.join(",");
    case "csv":
      return values.join(",");
    case "pipe":
      return values.join("|");
    case "regex": {
      const escaped = values.map((v) => v.replace(/[\\^$*+?.()|[\]{}/]/g, "\\$&"));
      return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join("|")})`;
    }
    default:
      return formatForPrometheus(variable);
  }
}

/**
 * Replaces the dashboard's own variables (`$job`, `${job}`, `${job:regex}`, `[[job]]`) as Grafana's
 * template service does; names it does not know (the built-ins, a typo) stay as written.
 */
export function interpolateVariables(expr: string, variables: ReadonlyMap<string, VariableValue>): string {
  return expr.replace(
    /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g,
    (
      whole,
      plain?: string,
      bracketName?: string,
      bracketFormat?: string,
      braceName?: string,
      braceFormat?: string,
    ) => {
      const name = plain ?? bracketName ?? braceName;
      const variable = name === undefined ? undefined : variables.get(name);
      if (!variable) return whole;
      const format = bracketFormat ?? braceFormat;
      return format ? formatExplicitly(variable, format) : formatForPrometheus(variable);
    },
  );
}

/** A variable's query as text (`query` is a string in old dashboards, an object in new ones). */
export function variableQueryText(variable: Variable): string {
  return typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
}

/** `label_values(metric, label)` or `label_values(label)`, as the Prometheus data source reads them. */
export function parseLabelValuesQuery(query: string): { metric?: string; label: string } | undefined {
  const match = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(query);
  if (!match?.[2]) return undefined;
  return match[1] ? { metric: match[1], label: match[2] } : { label: match[2] };
}

/** A `/pattern/flags` regex as Grafana stores a variable's regex, or undefined for an empty one. */
function variableRegex(text: string | undefined): RegExp | undefined {
  if (!text) return undefined;
  const match = /^\/(.*)\/([gimsuy]*)$/s.exec(text);
  return match ? new RegExp(match[1] as string, (match[2] ?? "").replace("g", "")) : new RegExp(text);
}

/**
 * A query variable's options from the values its query found: filtered by its regex (a capture group, or
 * the named group `value`, picks the part kept), without repeats, sorted as its `sort` says (0 none,
 * 1/2 alphabetical, 3/4 numerical, 5/6 alphabetical ignoring case, 7/8 natural; odd ascending).
 */
export function variableOptions(values: readonly string[], regexText?: string, sort = 0): string[] {
  const regex = variableRegex(regexText);
  const kept: string[] = [];
  for (const value of values) {
    if (!regex) {
      kept.push(value);
      continue;
    }
    const match = regex.exec(value);
    if (!match) continue;
    const picked = match.groups?.value ?? match.groups?.text ?? (match[1] ? match[1] : value);
    kept.push(picked);
  }
  const unique = [...new Set(kept)];
  const ascending = sort % 2 === 1;
  const compare: ((a: string, b: string) => number) | undefined =
    sort === 1 || sort === 2
      ? (a, b) => (a < b ? -1 : a > b ? 1 : 0)
      : sort === 3 || sort === 4
        ? (a, b) =>
            (Number.parseFloat(a.replace(/^\D+/, "")) || 0) - (Number.parseFloat(b.replace(/^\D+/, "")) || 0)
        : sort === 5 || sort === 6
          ? (a, b) => a.toLowerCase().localeCompare(b.toLowerCase())
          : sort === 7 || sort === 8
            ? (a, b) => a.localeCompare(b, undefined, { numeric: true })
            : undefined;
  if (!compare) return unique;
  const sorted = unique.sort(compare);
  return ascending ? sorted : sorted.reverse();
}

/**
 * The value a variable shows: the one asked for (a `var-<name>` URL parameter, else the saved current
 * value) when the options hold it, else the first option, as Grafana does after refreshing the options.
 */
export function chooseValue(
  variable: Pick<Variable, "multi" | "includeAll">,
  options: readonly string[],
  wanted: readonly string[],
): string | string[] {
  const available = (value: string) =>
    options.includes(value) || (variable.includeAll === true && value === ALL);
  const kept = wanted.filter(available);
  if (variable.multi) {
    if (kept.length > 0) return kept;
    return options.length > 0 ? [options[0] as string] : [...wanted];
  }
  if (kept[0] !== undefined) return kept[0];
  if (variable.includeAll && options.length > 0) return ALL;
  return options[0] ?? wanted[0] ?? "";
}

/** The values a variable was saved with. */
export function savedValues(variable: Variable): string[] {
  const value = variable.current?.value;
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The options of variables whose options are written in the dashboard (custom, constant, textbox). */
export function staticOptions(variable: Variable): string[] | undefined {
  const query = variableQueryText(variable);
  switch (variable.type) {
    case "custom":
      return query
        .split(/(?<!\\),/)
        .map((part) => part.trim().replace(/\\,/g, ","))
        .filter(Boolean);
    case "constant":
      return [query];
    case "textbox":
      return [savedValues(variable)[0] ?? query];
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Series

/** A series name from a legend format such as `p95 {{endpoint}}` (a missing label is empty). */
export function renderLegend(
  format: string | undefined,
  labels: Record<string, string>,
  expr: string,
): string {
  if (format && format !== "__auto") {
    return format.replace(/\{\{\s*(.+?)\s*\}\}/g, (_all, name: string) => labels[name] ?? "");
  }
  const { __name__: metric, ...rest } = labels;
  const pairs = Object.entries(rest)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}="${value}"`);
  if (pairs.length === 0) return metric ?? expr;
  return `${metric ?? ""}{${pairs.join(", ")}}`;
}

/** The reducers of stat, gauge and bar gauge panels (`reduceOptions.calcs`) that the viewer knows. */
export function reduce(values: readonly (number | null)[], calc: string): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  switch (calc) {
    case "last":
      return values.at(-1) ?? null;
    case "first":
      return values[0] ?? null;
    case "firstNotNull":
      return present[0] ?? null;
    case "mean":
      return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
    case "sum":
      return present.length ? present.reduce((a, b) => a + b, 0) : null;
    case "max":
      return present.length ? Math.max(...present) : null;
    case "min":
      return present.length ? Math.min(...present) : null;
    case "count":
      return values.length;
    case "range":
      return present.length ? Math.max(...present) - Math.min(...present) : null;
    case "delta":
      return present.length ? (present.at(-1) as number) - (present[0] as number) : null;
    default:
      return present.at(-1) ?? null;
  }
}

/** Every panel of a dashboard in order, with those inside collapsed rows after their row. */
export function allPanels(panels: readonly Panel[] = []): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels)]);
}
