import { CHART_PROFILES } from "./charts";
import {
  arrayAt,
  at,
  numberAt,
  objectAt,
  type PricedInput,
  quantityToBytes,
  quantityToMillicores,
  stringAt,
} from "./inputs";

/** What one pod asks the scheduler for. */
export interface PodRequests {
  cpuMillicores: number;
  memoryBytes: number;
}

/** Pods the program declares, directly or through a Helm release's values. */
export interface Workload {
  /** stable across before and after: the resource's URN or name, plus the chart pod */
  key: string;
  name: string;
  kind: "Deployment" | "StatefulSet" | "DaemonSet";
  /** the Pulumi resource it comes from */
  resource: string;
  /** pods (a DaemonSet: one per node) */
  replicas: number;
  pod: PodRequests;
  nodeSelector: Record<string, string>;
  /** containers that request nothing (they still run, on whatever is left) */
  withoutRequests: string[];
}

const KINDS: Record<string, Workload["kind"]> = {
  "kubernetes:apps/v1:Deployment": "Deployment",
  "kubernetes:apps/v1:StatefulSet": "StatefulSet",
  "kubernetes:apps/v1:DaemonSet": "DaemonSet",
};
const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);

function requestsOf(resources: unknown): PodRequests | undefined {
  const cpu = quantityToMillicores(at(resources, "requests.cpu"));
  const memory = quantityToBytes(at(resources, "requests.memory"));
  if (cpu === undefined && memory === undefined) return undefined;
  return { cpuMillicores: cpu ?? 0, memoryBytes: memory ?? 0 };
}

/**
 * A pod's effective requests as the scheduler computes them: the sum of its containers (and of init
 * containers that keep running as sidecars), or the largest ordinary init container if that is more.
 */
export function podRequests(podSpec: unknown): { pod: PodRequests; withoutRequests: string[] } {
  const pod = { cpuMillicores: 0, memoryBytes: 0 };
  const withoutRequests: string[] = [];
  let initCpu = 0;
  let initMemory = 0;
  for (const container of arrayAt(podSpec, "containers") ?? []) {
    const requests = requestsOf(at(container, "resources"));
    if (!requests) withoutRequests.push(stringAt(container, "name") ?? "container");
    pod.cpuMillicores += requests?.cpuMillicores ?? 0;
    pod.memoryBytes += requests?.memoryBytes ?? 0;
  }
  for (const container of arrayAt(podSpec, "initContainers") ?? []) {
    const requests = requestsOf(at(container, "resources"));
    if (!requests) continue;
    if (stringAt(container, "restartPolicy") === "Always") {
      pod.cpuMillicores += requests.cpuMillicores;
      pod.memoryBytes += requests.memoryBytes;
    } else {
      initCpu = Math.max(initCpu, requests.cpuMillicores);
      initMemory = Math.max(initMemory, requests.memoryBytes);
    }
  }
  return {
    pod: {
      cpuMillicores: Math.max(pod.cpuMillicores, initCpu),
      memoryBytes: Math.max(pod.memoryBytes, initMemory),
    },
    withoutRequests,
  };
}

function stringRecord(value: unknown): Record<string, string> {
  const record = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(
    Object.entries(record).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

function fromHelmRelease(resource: PricedInput, notes: string[]): Workload[] {
  const chart = stringAt(resource.inputs, "chart") ?? "";
  const chartName = chart.split("/").pop() ?? chart;
  const values = at(resource.inputs, "values") ?? {};
  const profile = CHART_PROFILES[chartName];
  const release = stringAt(resource.inputs, "name") ?? resource.name;
  if (!profile) {
    notes.push(
      `Helm chart ${chartName || resource.name}: its pods are not counted (no profile in infra/cost/charts.ts)`,
    );
    return [];
  }
  const workloads: Workload[] = [];
  for (const pod of profile) {
    if (!pod.enabled(values)) continue;
    const shape = { cpuMillicores: 0, memoryBytes: 0 };
    const withoutRequests: string[] = [];
    for (const container of pod.containers) {
      const copies = container.copies?.(values) ?? 1;
      const requests = requestsOf(objectAt(values, container.path));
      if (!requests) {
        if (copies > 0) withoutRequests.push(container.path);
        continue;
      }
      shape.cpuMillicores += requests.cpuMillicores * copies;
      shape.memoryBytes += requests.memoryBytes * copies;
    }
    workloads.push({
      key: `${resource.urn ?? resource.name}#${pod.name}`,
      name: `${release}: ${pod.name}`,
      kind: pod.kind,
      resource: resource.name,
      replicas: pod.replicas(values),
      pod: shape,
      nodeSelector: {},
      withoutRequests,
    });
  }
  return workloads;
}

/** Every workload on one side of a change, and what could not be counted. */
export function workloadsOf(resources: readonly PricedInput[]): { workloads: Workload[]; notes: string[] } {
  const workloads: Workload[] = [];
  const notes: string[] = [];
  for (const resource of resources) {
    if (HELM_TYPES.has(resource.type)) {
      workloads.push(...fromHelmRelease(resource, notes));
      continue;
    }
    const kind = KINDS[resource.type];
    if (!kind) continue;
    const podSpec = at(resource.inputs, "spec.template.spec");
    const { pod, withoutRequests } = podRequests(podSpec);
    workloads.push({
      key: resource.urn ?? `${resource.type}::${resource.name}`,
      name: stringAt(resource.inputs, "metadata.name") ?? resource.name,
      kind,
      resource: resource.name,
      replicas: kind === "DaemonSet" ? 1 : (numberAt(resource.inputs, "spec.replicas") ?? 1),
      pod,
      nodeSelector: stringRecord(at(podSpec, "nodeSelector")),
      withoutRequests,
    });
  }
  return { workloads, notes };
}
