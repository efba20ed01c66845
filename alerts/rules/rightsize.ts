import { RIGHTSIZE_SERIES } from "../../thresholds/series";
import { num } from "../../thresholds/units";
import { durationSeconds, loadRightsizeSettings, type RightsizeSettings } from "../rightsize-settings";
import { POD_WORKLOAD } from "./live-cost";
import type { RuleGroup, RuleGroupBuilder } from "./rule";

/**
 * Right-sizing: what each container uses, recorded once per `resolution` per namespace, workload and
 * container (so a week stays cheap to read), and the request recommended from it over `window`
 * (alerts/rightsize.yaml says why each number is what it is). In a cluster the use is cAdvisor's, as the
 * kubelet's ServiceMonitor of kube-prometheus-stack keeps it (`container_cpu_usage_seconds_total`,
 * `container_memory_working_set_bytes`, the CFS period counters), and the OOM kills kube-state-metrics'
 * (`kube_pod_container_status_restarts_total` with `kube_pod_container_status_last_terminated_reason`); on
 * `npm start` the services' own process CPU and resident memory under the demo inventory's pod names.
 *
 * `npm run rightsize` evaluates the same expressions (`rightsizeExpressions`) over its own window, so the
 * dashboard, the rules and the tool share one definition.
 */

/** The labels every right-sizing series carries: one series per container of a workload. */
export const CONTAINER_KEY = "namespace, workload, workload_kind, container";

const MIB = 1048576;
const GIB = 1073741824;
/** cAdvisor's series of a container (the pod's own cgroup has no container name; "POD" is the sandbox). */
const CONTAINERS = 'container!="", container!="POD"';
/** Puts a per-pod series under its workload. */
const underWorkload = (perPod: string) => `max by (${CONTAINER_KEY}) (
  ${perPod}
  * on (namespace, pod) group_left (workload, workload_kind)
  ${POD_WORKLOAD.replace(/\n/g, "\n  ")}
)`;
const RUNNING = `(max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1)`;
const requestsOf = (resource: "cpu" | "memory") =>
  `max by (namespace, pod, node, container) (kube_pod_container_resource_requests{resource="${resource}", unit="${resource === "cpu" ? "core" : "byte"}"})`;

/** The usage records, one rule each, at `resolution`. */
function usageRules(resolution: string) {
  const S = RIGHTSIZE_SERIES;
  return [
    {
      record: S.cpuUsage,
      expr: underWorkload(
        `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${CONTAINERS}}[${resolution}]))`,
      ),
    },
    {
      record: S.memoryWorkingSet,
      expr: underWorkload(
        `max by (namespace, pod, container) (max_over_time(container_memory_working_set_bytes{${CONTAINERS}}[${resolution}]))`,
      ),
    },
    {
      // A restart whose last termination was OOMKilled; the reason alone stays set long after the kill. Over
      // two resolutions: abutting windows would miss a restart between the last sample of one and the first
      // of the next (range selectors are left-open in Prometheus 3).
      record: S.oomKills,
      expr: underWorkload(`(
    max by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[${2 * durationSeconds(resolution)}s]))
    * on (namespace, pod, container) group_left ()
    max by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"})
  )`),
    },
    {
      // Only containers with a CPU limit have CFS periods; an idle one (no period) is not "unthrottled" data.
      record: S.cpuThrottled,
      expr: underWorkload(`(
    sum by (namespace, pod, container) (rate(container_cpu_cfs_throttled_periods_total{${CONTAINERS}}[${resolution}]))
    / (sum by (namespace, pod, container) (rate(container_cpu_cfs_periods_total{${CONTAINERS}}[${resolution}])) > 0)
  )`),
    },
    { record: S.cpuRequest, expr: underWorkload(requestsOf("cpu")) },
    { record: S.memoryRequest, expr: underWorkload(requestsOf("memory")) },
    {
      record: S.pods,
      expr: `count by (namespace, workload, workload_kind) (
  ${RUNNING}
  * on (namespace, pod) group_left (workload, workload_kind)
  ${POD_WORKLOAD.replace(/\n/g, "\n  ")}
)`,
    },
  ];
}

/** `value` rounded up to a multiple of `step` (both in the series' unit). */
const roundUp = (value: string, step: number) => `ceil(${value} / ${num(step)}) * ${num(step)}`;
/** The larger of two series with the same labels, either of which may be absent. */
const larger = (a: string, b: string) => `((${a} >= ${b}) or ${b}) or ${a}`;

/**
 * The recommendation over `settings.window`, as PromQL over the usage records: what the rules record at
 * the default window and what `npm run rightsize` asks for at its own. `recorded`: the rule group's own
 * records of the coverage and the recommendations, read by the later rules instead of evaluating them again.
 */
export function rightsizeExpressions(settings: RightsizeSettings, recorded = false) {
  const S = RIGHTSIZE_SERIES;
  const { window: W, cpu, memory } = settings;
  const samples = durationSeconds(W) / durationSeconds(settings.resolution);
  const coverage = `clamp_max(count_over_time(${S.cpuUsage}[${W}]) / ${samples}, 1)`;
  const enough = `on (${CONTAINER_KEY}) (${recorded ? S.coverage : coverage} >= ${num(settings.minCoverage)})`;
  const cpuQuantile = `quantile_over_time(${num(cpu.quantile)}, ${S.cpuUsage}[${W}])`;
  const cpuStep = cpu.stepMillicores / 1000;
  const cpuFromUse = `clamp_min(${roundUp(`${cpuQuantile} * ${num(1 + cpu.headroom)}`, cpuStep)}, ${num(cpu.floorMillicores / 1000)})`;
  const cpuThrottled = `(${roundUp(`${S.cpuRequest} * ${num(1 + cpu.headroom)}`, cpuStep)} and on (${CONTAINER_KEY}) (avg_over_time(${S.cpuThrottled}[${W}]) > ${num(cpu.throttledShare)}))`;
  const memoryMax = `max_over_time(${S.memoryWorkingSet}[${W}])`;
  const memoryStep = memory.stepMiB * MIB;
  const memoryFromUse = `clamp_min(${roundUp(`${memoryMax} * ${num(1 + memory.headroom)}`, memoryStep)}, ${memory.floorMiB * MIB})`;
  const memoryOom = `(${roundUp(`${S.memoryRequest} * ${num(memory.oomBumpRatio)}`, memoryStep)} and on (${CONTAINER_KEY}) (max_over_time(${S.oomKills}[${W}]) > 0))`;
  const cpuRecommendation = `(${larger(cpuFromUse, cpuThrottled)}) and ${enough}`;
  const memoryRecommendation = `(${larger(memoryFromUse, memoryOom)}) and ${enough}`;
  return {
    coverage,
    cpuQuantile,
    memoryMax,
    oomKills: `max_over_time(${S.oomKills}[${W}])`,
    cpuThrottled: `avg_over_time(${S.cpuThrottled}[${W}])`,
    cpuRecommendation,
    memoryRecommendation,
    freed: recorded
      ? freedExpression(S.cpuRecommendation, S.memoryRecommendation)
      : freedExpression(cpuRecommendation, memoryRecommendation),
  };
}

/**
 * What the running pods' requests above the recommendation cost per hour at their node's CPU and memory
 * rates (the live-cost split, OpenCost's): the requested share a recommendation frees (negative: a raise).
 */
function freedExpression(cpuRecommendation: string, memoryRecommendation: string): string {
  const part = (
    resource: "cpu" | "memory",
    recommendation: string,
    rate: string,
    unit = "",
  ) => `label_replace(
    (
      ${requestsOf(resource)}
      * on (namespace, pod) group_left (workload, workload_kind)
      ${POD_WORKLOAD.replace(/\n/g, "\n      ")}
      - on (${CONTAINER_KEY}) group_left ()
      (${recommendation})
    )${unit}
    * on (node) group_left () max by (node) (${rate})
    and on (namespace, pod) ${RUNNING},
    "resource", "${resource}", "", ""
  )`;
  return `sum by (${CONTAINER_KEY}, resource) (
  ${part("cpu", cpuRecommendation, "platform:live_cost_node_cpu_rate:usd_per_core_hour")}
  or
  ${part("memory", memoryRecommendation, "platform:live_cost_node_memory_rate:usd_per_gib_hour", ` / ${GIB}`)}
)`;
}

/** The usage records and, in the same group (so each reads the sample just recorded), the recommendations. */
export function rightsizeGroup(settings: RightsizeSettings): RuleGroup {
  const S = RIGHTSIZE_SERIES;
  const e = rightsizeExpressions(settings, true);
  return {
    name: "rightsize",
    interval: settings.resolution,
    rules: [
      ...usageRules(settings.resolution),
      { record: S.coverage, expr: e.coverage },
      { record: S.cpuQuantile, expr: e.cpuQuantile },
      { record: S.memoryMax, expr: e.memoryMax },
      { record: S.cpuRecommendation, expr: e.cpuRecommendation },
      { record: S.memoryRecommendation, expr: e.memoryRecommendation },
      { record: S.freed, expr: e.freed },
    ],
  };
}

/** The committed rule file's group: the defaults of alerts/rightsize.yaml. */
export const rightsizeRecording: RuleGroupBuilder = () => rightsizeGroup(loadRightsizeSettings());
