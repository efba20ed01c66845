import { eksNodeAllocatable, type NodeAllocatable } from "@platform/prices";
import { numberAt, objectAt, type PricedInput } from "./inputs";
import { type NodeSpec, nodeSpecOf } from "./pricers/eks";
import type { PodRequests, Workload } from "./workloads";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const MIB = 2 ** 20;

/** Whether the pods the program declares fit a node group, and how many nodes they need if not. */
export interface NodeGroupFit {
  nodeGroup: PricedInput;
  spec: NodeSpec;
  desired: number;
  max: number;
  allocatable: NodeAllocatable | undefined;
  /** what every node gives its DaemonSet pods */
  perNode: PodRequests & { pods: number };
  /** the Deployments and StatefulSets scheduled here, and the DaemonSets */
  workloads: Workload[];
  daemonSets: Workload[];
  /** pods of the Deployments and StatefulSets */
  pods: number;
  /** all requests at the node count the pods need (DaemonSets on every node) */
  requested: PodRequests;
  /** nodes the pods need, at least the desired size, at most the maximum */
  nodes: number;
  /** nodes the autoscaler would add beyond the desired size (0 when everything fits) */
  extraNodes: number;
  /** pods that would stay Pending even at the maximum size */
  pendingAtMax: number;
  /** workloads one of whose pods is larger than a whole empty node */
  tooLargeForANode: string[];
  notes: string[];
}

interface FreeNode {
  cpu: number;
  memory: number;
  pods: number;
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, unknown>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * Places every pod on the node group the way the Cluster Autoscaler's binpacking estimator does: pods in
 * decreasing size (CPU share + memory share of one node), each on the first node it fits, a new node opened
 * when none has room — from the desired size up to the maximum. Spreading rules and affinities are not
 * modelled: a pod must fit on one node, which is the question this answers.
 */
function place(
  pods: { workload: Workload; requests: PodRequests }[],
  allocatable: NodeAllocatable,
  perNode: PodRequests & { pods: number },
  desired: number,
  max: number,
): { nodes: number; pending: number; tooLarge: Set<string> } {
  const capacity: FreeNode = {
    cpu: allocatable.allocatable.cpuMillicores - perNode.cpuMillicores,
    memory: allocatable.allocatable.memoryMiB * MIB - perNode.memoryBytes,
    pods: allocatable.allocatable.pods - perNode.pods,
  };
  const nodes: FreeNode[] = Array.from({ length: desired }, () => ({ ...capacity }));
  const size = (r: PodRequests) =>
    r.cpuMillicores / allocatable.allocatable.cpuMillicores +
    r.memoryBytes / (allocatable.allocatable.memoryMiB * MIB);
  const ordered = [...pods].sort((a, b) => size(b.requests) - size(a.requests));
  const tooLarge = new Set<string>();
  let pending = 0;
  for (const { workload, requests } of ordered) {
    const fits = (node: FreeNode) =>
      node.cpu >= requests.cpuMillicores && node.memory >= requests.memoryBytes && node.pods >= 1;
    if (!fits(capacity)) {
      tooLarge.add(workload.name);
      pending++;
      continue;
    }
    let node = nodes.find(fits);
    if (!node && nodes.length < max) {
      node = { ...capacity };
      nodes.push(node);
    }
    if (!node) {
      pending++;
      continue;
    }
    node.cpu -= requests.cpuMillicores;
    node.memory -= requests.memoryBytes;
    node.pods -= 1;
  }
  return { nodes: nodes.length, pending, tooLarge };
}

/** One fit per node group on one side of a change. */
export function fitNodeGroups(
  resources: readonly PricedInput[],
  workloads: readonly Workload[],
): NodeGroupFit[] {
  const groups = resources.filter((r) => r.type === NODE_GROUP);
  if (groups.length === 0) return [];
  const assigned = new Map<PricedInput, Workload[]>(groups.map((g) => [g, []]));
  const notes = new Map<PricedInput, string[]>(groups.map((g) => [g, []]));
  const ambiguous = new Map<PricedInput, number>();
  for (const workload of workloads) {
    const matching = groups.filter((g) =>
      labelsMatch(workload.nodeSelector, objectAt(g.inputs, "labels") ?? {}),
    );
    const group = matching[0] ?? (groups[0] as PricedInput);
    if (matching.length !== 1 && groups.length > 1) ambiguous.set(group, (ambiguous.get(group) ?? 0) + 1);
    assigned.get(group)?.push(workload);
  }
  for (const [group, count] of ambiguous) {
    notes
      .get(group)
      ?.push(
        `${count} workload(s) whose node selector matches more than one node group (or none) are counted here`,
      );
  }
  return groups.map((group) => {
    const spec = nodeSpecOf(group, resources);
    const desired = numberAt(group.inputs, "scalingConfig.desiredSize") ?? 0;
    const max = Math.max(desired, numberAt(group.inputs, "scalingConfig.maxSize") ?? desired);
    const allocatable = spec.instanceType ? eksNodeAllocatable(spec.instanceType) : undefined;
    const mine = assigned.get(group) ?? [];
    const daemonSets = mine.filter((w) => w.kind === "DaemonSet");
    const scheduled = mine.filter((w) => w.kind !== "DaemonSet");
    const perNode = { cpuMillicores: 0, memoryBytes: 0, pods: 0 };
    for (const daemon of daemonSets) {
      perNode.cpuMillicores += daemon.pod.cpuMillicores;
      perNode.memoryBytes += daemon.pod.memoryBytes;
      perNode.pods += 1;
    }
    const pods = scheduled.flatMap((workload) =>
      Array.from({ length: workload.replicas }, () => ({ workload, requests: workload.pod })),
    );
    const groupNotes = notes.get(group) ?? [];
    let nodes = desired;
    let pendingAtMax = 0;
    let tooLargeForANode: string[] = [];
    if (!allocatable) {
      groupNotes.push(
        spec.instanceType
          ? `no capacity figures for ${spec.instanceType} in @platform/prices: whether the pods fit is not checked`
          : "instance type not known until apply: whether the pods fit is not checked",
      );
    } else {
      const placed = place(pods, allocatable, perNode, desired, max);
      nodes = placed.nodes;
      pendingAtMax = placed.pending;
      tooLargeForANode = [...placed.tooLarge];
    }
    const requested = {
      cpuMillicores: pods.reduce((s, p) => s + p.requests.cpuMillicores, 0) + perNode.cpuMillicores * nodes,
      memoryBytes: pods.reduce((s, p) => s + p.requests.memoryBytes, 0) + perNode.memoryBytes * nodes,
    };
    return {
      nodeGroup: group,
      spec,
      desired,
      max,
      allocatable,
      perNode,
      workloads: scheduled,
      daemonSets,
      pods: pods.length,
      requested,
      nodes,
      extraNodes: nodes - desired,
      pendingAtMax,
      tooLargeForANode,
      notes: groupNotes,
    };
  });
}
