/**
 * The recorded series that alerts/ writes and dashboards/ (and the tools above them) read, named once. A rule
 * records under these names and a panel queries them, so neither holds a copy of the other's text.
 */

/**
 * The series each published threshold becomes (`settings.rules.yml`). Dashboards draw against these names
 * (budget line, objectives), so they show the stack's values from Prometheus instead of holding copies. The
 * names keep the `settings_` of earlier versions: the long-term store holds history under them.
 */
export const THRESHOLD_SERIES = {
  availabilityObjective: "platform:settings_slo_availability:objective",
  latencyObjective: "platform:settings_slo_latency:objective",
  latencyThresholdSeconds: "platform:settings_slo_latency_threshold:seconds",
  monthlyBudgetUsd: "platform:settings_monthly_budget:usd",
  costPerRequestCeilingUsd: "platform:settings_cost_per_request_ceiling:usd",
} as const;

/** The stack's estimate at its last deploy, recorded by the deploy (alerts/rules/cost-estimate.ts). */
export const COST_ESTIMATE_SERIES = {
  monthly: "platform:cost_estimate_monthly:usd",
  hourly: "platform:cost_estimate:usd_per_hour",
} as const;

/** Right-sizing's records (alerts/rules/rightsize.ts), one series per container of a workload. */
export const RIGHTSIZE_SERIES = {
  /** The busiest pod's CPU over the last resolution, in cores. */
  cpuUsage: "platform:container_cpu_usage:cores",
  /** The busiest pod's largest working set over the last resolution. */
  memoryWorkingSet: "platform:container_memory_working_set:bytes",
  /** Restarts in the last resolution of pods whose container was last terminated OOMKilled. */
  oomKills: "platform:container_oom_kills:increase",
  /** The most throttled pod's share of CFS periods throttled over the last resolution. */
  cpuThrottled: "platform:container_cpu_throttled:ratio",
  cpuRequest: "platform:container_cpu_request:cores",
  memoryRequest: "platform:container_memory_request:bytes",
  /** Running pods per workload (labels namespace, workload, workload_kind). */
  pods: "platform:workload_pods_running:count",
  /** The share of the window whose use was recorded (1 = all of it). */
  coverage: "platform:rightsize_coverage:ratio",
  cpuQuantile: "platform:rightsize_cpu_usage_quantile:cores",
  memoryMax: "platform:rightsize_memory_working_set_max:bytes",
  cpuRecommendation: "platform:rightsize_cpu_recommendation:cores",
  memoryRecommendation: "platform:rightsize_memory_recommendation:bytes",
  /** What the running pods' requests above the recommendation cost, at their nodes' live-cost rates (label resource). */
  freed: "platform:rightsize_requests_freed:usd_per_hour",
} as const;
