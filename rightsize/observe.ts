/**
 * What Prometheus knows of each container over the window: the expressions of the right-sizing rules
 * (alerts/rules/rightsize.ts) evaluated with the tool's own window, at the resolution the cluster's rule
 * group really records at.
 */
import type { RightsizeSettings } from "../alerts/rightsize-settings.js";
import { rightsizeExpressions } from "../alerts/rules/rightsize.js";
import { RIGHTSIZE_SERIES } from "../thresholds/series.js";
import type { PrometheusClient, Sample } from "./prometheus.js";

export interface ContainerKey {
  namespace: string;
  workload: string;
  workloadKind: string;
  container: string;
}

export interface Observed extends ContainerKey {
  /** Share of the window recorded (0–1). */
  coverage: number;
  pods: number | undefined;
  cpu: { requestCores?: number; usedCores?: number; recommendedCores?: number; throttledShare?: number };
  memory: { requestBytes?: number; maxBytes?: number; recommendedBytes?: number; oomKilled: boolean };
  /** $/hour the running pods' requests above the recommendation cost, per resource (negative: a raise). */
  freedUsdPerHour: { cpu?: number; memory?: number };
}

const keyOf = (l: Record<string, string>) =>
  [l.namespace, l.workload, l.workload_kind, l.container].join("\u0000");

/** The rule group's interval as Prometheus evaluates it, which the coverage divides the window by. */
export async function recordedResolution(prometheus: PrometheusClient): Promise<string> {
  const seconds = await prometheus.groupInterval("rightsize");
  if (seconds === undefined) {
    throw new Error(
      `Prometheus at ${prometheus.base} has no "rightsize" rule group: load alerts/rightsize.rules.yml (the cluster's PrometheusRules and npm start do)`,
    );
  }
  return `${Math.round(seconds)}s`;
}

export async function observe(
  prometheus: PrometheusClient,
  settings: RightsizeSettings,
): Promise<Observed[]> {
  const e = rightsizeExpressions(settings);
  const S = RIGHTSIZE_SERIES;
  const names = [
    "coverage",
    "cpuQuantile",
    "memoryMax",
    "oomKills",
    "cpuThrottled",
    "cpuRecommendation",
    "memoryRecommendation",
    "freed",
    "cpuRequest",
    "memoryRequest",
    "pods",
  ] as const;
  const exprs: Record<(typeof names)[number], string> = {
    ...e,
    cpuRequest: S.cpuRequest,
    memoryRequest: S.memoryRequest,
    pods: S.pods,
  };
  const answers = await Promise.all(names.map((name) => prometheus.query(exprs[name])));
  const results = Object.fromEntries(names.map((name, i) => [name, answers[i] as Sample[]]));
  const byKey = (name: (typeof names)[number]) =>
    new Map((results[name] ?? []).map((s) => [keyOf(s.labels), s.value]));
  const coverage = byKey("coverage");
  const cpuQuantile = byKey("cpuQuantile");
  const memoryMax = byKey("memoryMax");
  const oom = byKey("oomKills");
  const throttled = byKey("cpuThrottled");
  const cpuRec = byKey("cpuRecommendation");
  const memRec = byKey("memoryRecommendation");
  const cpuReq = byKey("cpuRequest");
  const memReq = byKey("memoryRequest");
  const pods = new Map(
    (results.pods ?? []).map((s) => [
      [s.labels.namespace, s.labels.workload, s.labels.workload_kind].join("\u0000"),
      s.value,
    ]),
  );
  const freed = new Map<string, { cpu?: number; memory?: number }>();
  for (const s of results.freed ?? []) {
    const entry = freed.get(keyOf(s.labels)) ?? {};
    if (s.labels.resource === "cpu" || s.labels.resource === "memory") entry[s.labels.resource] = s.value;
    freed.set(keyOf(s.labels), entry);
  }
  const keys = new Set([...coverage.keys(), ...cpuReq.keys()]);
  return [...keys].sort().map((key) => {
    const [namespace = "", workload = "", workloadKind = "", container = ""] = key.split("\u0000");
    return {
      namespace,
      workload,
      workloadKind,
      container,
      coverage: coverage.get(key) ?? 0,
      pods: pods.get([namespace, workload, workloadKind].join("\u0000")),
      cpu: {
        requestCores: cpuReq.get(key),
        usedCores: cpuQuantile.get(key),
        recommendedCores: cpuRec.get(key),
        throttledShare: throttled.get(key),
      },
      memory: {
        requestBytes: memReq.get(key),
        maxBytes: memoryMax.get(key),
        recommendedBytes: memRec.get(key),
        oomKilled: (oom.get(key) ?? 0) > 0,
      },
      freedUsdPerHour: freed.get(key) ?? {},
    };
  });
}
