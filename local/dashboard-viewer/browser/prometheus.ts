/** The page's reads of the local Prometheus, through the viewer: a panel target's frames, a variable's values. */
import type { QueryTiming, Target } from "../grafana.js";
import type { Frame } from "./panel-kit.js";

export const PROMETHEUS = "/api/prometheus";

interface PromResponse<T> {
  status: string;
  data: T;
  error?: string;
}

export async function promGet<T>(
  path: string,
  params: Record<string, string | string[]>,
  base = PROMETHEUS,
): Promise<T> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  const res = await fetch(`${base}${path}?${search}`);
  const body = (await res.json()) as PromResponse<T>;
  if (body.status !== "success") throw new Error(body.error ?? `HTTP ${res.status}`);
  return body.data;
}

/** Prometheus sample values are strings: "NaN", "+Inf" and "-Inf" included. */
function sampleValue(text: string): number | null {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}
interface InstantSeries {
  metric: Record<string, string>;
  value: [number, string];
}

/** One target's frames: a range query, or an instant query at the end of the range (as Grafana runs them). */
export async function runTarget(
  target: Target,
  expr: string,
  timing: QueryTiming,
  base: string,
): Promise<Frame[]> {
  const instant = target.instant === true && target.range !== true;
  if (instant) {
    const data = await promGet<{ resultType: string; result: InstantSeries[] | [number, string] }>(
      "/api/v1/query",
      { query: expr, time: String(timing.toMs / 1000) },
      base,
    );
    if (data.resultType === "scalar") {
      const [time, value] = data.result as [number, string];
      return [{ labels: {}, times: [time], values: [sampleValue(value)], target, expr }];
    }
    return (data.result as InstantSeries[]).map((series) => ({
      labels: series.metric,
      times: [series.value[0]],
      values: [sampleValue(series.value[1])],
      target,
      expr,
    }));
  }
  const data = await promGet<{ resultType: string; result: RangeSeries[] }>(
    "/api/v1/query_range",
    {
      query: expr,
      start: String(timing.start / 1000),
      end: String(timing.end / 1000),
      step: String(timing.stepMs / 1000),
    },
    base,
  );
  return data.result.map((series) => ({
    labels: series.metric,
    times: series.values.map(([time]) => time),
    values: series.values.map(([, value]) => sampleValue(value)),
    target,
    expr,
  }));
}
