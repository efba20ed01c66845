import { CHART_PROFILES, type ChartPod, chartName } from "./charts.js";
import {
  arrayAt,
  at,
  boundedAt,
  objectAt,
  type PricedInput,
  quantityToBytes,
  quantityToMillicores,
  stringAt,
} from "./inputs.js";
import { BOUNDS, checked } from "./limits.js";
import { literal, type Text, t } from "./text.js";

/** What one pod asks the scheduler for. */
export interface PodRequests {
  cpuMillicores: number;
  memoryBytes: number;
}

/** Pods the program declares, directly or through a Helm release's values. */
export interface Workload {
  /** stable across before and after: the resource's URN or name, plus the chart pod */
  key: string;
  name: Text;
  kind: "Deployment" | "StatefulSet" | "DaemonSet";
  /** the Pulumi resource it comes from */
  resource: string;
  /** pods (a DaemonSet: one per node) */
  replicas: number;
  pod: PodRequests;
  nodeSelector: ReadonlyMap<string, string>;
  /** containers that request nothing (they still run, on whatever is left) */
  withoutRequests: string[];
}

const KINDS = new Map<string, Workload["kind"]>([
  ["kubernetes:apps/v1:Deployment", "Deployment"],
  ["kubernetes:apps/v1:StatefulSet", "StatefulSet"],
  ["kubernetes:apps/v1:DaemonSet", "DaemonSet"],
]);
export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** A container's requests, each within what the engine counts exactly (field named for the error). */
function requestsOf(resources: unknown, owner: PricedInput, field: string): PodRequests | undefined {
  const cpu = quantityToMillicores(at(resources, "requests.cpu"));
  const memory = quantityToBytes(at(resources, "requests.memory"));
  if (cpu === undefined && memory === undefined) return undefined;
  return {
    cpuMillicores: cpu === undefined ? 0 : checked(cpu, BOUNDS.exactUnits, owner, `${field}.requests.cpu`),
    memoryBytes:
      memory === undefined ? 0 : checked(memory, BOUNDS.exactUnits, owner, `${field}.requests.memory`),
  };
}

/**
 * A pod's effective requests as the scheduler computes them: the sum of its containers (and of init
 * containers that keep running as sidecars), or the largest ordinary init container if that is more.
 */
export function podRequests(
  podSpec: unknown,
  owner: PricedInput,
): { pod: PodRequests; withoutRequests: string[] } {
  const pod = { cpuMillicores: 0, memoryBytes: 0 };
  const withoutRequests: string[] = [];
  let initCpu = 0;
  let initMemory = 0;
  (arrayAt(podSpec, "containers") ?? []).forEach((container, i) => {
    const requests = requestsOf(at(container, "resources"), owner, `containers[${i}].resources`);
    if (!requests) withoutRequests.push(stringAt(container, "name") ?? "container");
    pod.cpuMillicores += requests?.cpuMillicores ?? 0;
    pod.memoryBytes += requests?.memoryBytes ?? 0;
  });
  (arrayAt(podSpec, "initContainers") ?? []).forEach((container, i) => {
    const requests = requestsOf(at(container, "resources"), owner, `initContainers[${i}].resources`);
    if (!requests) return;
    if (stringAt(container, "restartPolicy") === "Always") {
      pod.cpuMillicores += requests.cpuMillicores;
      pod.memoryBytes += requests.memoryBytes;
    } else {
      initCpu = Math.max(initCpu, requests.cpuMillicores);
      initMemory = Math.max(initMemory, requests.memoryBytes);
    }
  });
  return {
    pod: {
      cpuMillicores: checked(Math.max(pod.cpuMillicores, initCpu), BOUNDS.exactUnits, owner, "requests.cpu"),
      memoryBytes: checked(
        Math.max(pod.memoryBytes, initMemory),
        BOUNDS.exactUnits,
        owner,
        "requests.memory",
      ),
    },
    withoutRequests,
  };
}

function stringMap(value: unknown): ReadonlyMap<string, string> {
  const record = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  return new Map(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** A chart pod's count: the product of its replica values, each within Kubernetes' int32. */
function chartReplicas(release: PricedInput, values: unknown, pod: ChartPod): number {
  let count = 1;
  for (const path of pod.replicas) {
    const set = boundedAt(release, path, BOUNDS.replicas, values, `values.${path}`);
    count *=
      set ??
      (pod.replicaDefaults && Object.hasOwn(pod.replicaDefaults, path) ? pod.replicaDefaults[path] : 1) ??
      1;
  }
  return checked(count, BOUNDS.replicas, release, `values.${pod.replicas.join(" × ")}`);
}

function fromHelmRelease(resource: PricedInput, notes: Text[]): Workload[] {
  const chart = chartName(resource);
  const values = at(resource.inputs, "values") ?? {};
  const profile = CHART_PROFILES.get(chart);
  const release = stringAt(resource.inputs, "name") ?? resource.name;
  if (!profile) {
    notes.push(t`Helm chart ${chart || resource.name}: its pods are not counted (no chart profile)`);
    return [];
  }
  const workloads: Workload[] = [];
  for (const pod of profile) {
    if (!pod.enabled(values)) continue;
    const shape = { cpuMillicores: 0, memoryBytes: 0 };
    const withoutRequests: string[] = [];
    for (const container of pod.containers) {
      const copies = container.copies?.(values) ?? 1;
      const requests = requestsOf(objectAt(values, container.path), resource, `values.${container.path}`);
      if (!requests) {
        if (copies > 0) withoutRequests.push(container.path);
        continue;
      }
      shape.cpuMillicores += requests.cpuMillicores * copies;
      shape.memoryBytes += requests.memoryBytes * copies;
    }
    workloads.push({
      key: `${resource.urn ?? resource.name}#${pod.name}`,
      name: t`${release}: ${literal(pod.name)}`,
      kind: pod.kind,
      resource: resource.name,
      replicas: chartReplicas(resource, values, pod),
      pod: shape,
      nodeSelector: new Map(),
      withoutRequests,
    });
  }
  return workloads;
}

/** Every workload on one side of a change, and what could not be counted. */
export function workloadsOf(resources: readonly PricedInput[]): { workloads: Workload[]; notes: Text[] } {
  const workloads: Workload[] = [];
  const notes: Text[] = [];
  for (const resource of resources) {
    if (resource.type === HELM_RELEASE) {
      workloads.push(...fromHelmRelease(resource, notes));
      continue;
    }
    const kind = KINDS.get(resource.type);
    if (!kind) continue;
    const podSpec = at(resource.inputs, "spec.template.spec");
    const { pod, withoutRequests } = podRequests(podSpec, resource);
    workloads.push({
      key: resource.urn ?? `${resource.type}::${resource.name}`,
      name: t`${stringAt(resource.inputs, "metadata.name") ?? resource.name}`,
      kind,
      resource: resource.name,
      replicas: kind === "DaemonSet" ? 1 : (boundedAt(resource, "spec.replicas", BOUNDS.replicas) ?? 1),
      pod,
      nodeSelector: stringMap(at(podSpec, "nodeSelector")),
      withoutRequests,
    });
  }
  return { workloads, notes };
}
