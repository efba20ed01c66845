/**
 * What Grafana does with a dashboard's JSON before it asks Prometheus anything, for the local read-only
 * viewer: the time range, the interval and step of each query, `$__rate_interval`, `$__range` and the
 * other built-ins, legends and reductions (template variables: grafana-variables.ts). Pure functions with no
 * Node.js or DOM dependency: the viewer's page runs them in the browser and the unit tests in Node.
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
