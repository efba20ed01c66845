import { eksNodeAllocatable, exact, type Money, type NodeAllocatable } from "@platform/prices";
import { objectAt, type PricedInput } from "./inputs.js";
import { type PlacementBudget, placePods } from "./placement.js";
import { type NodeSpec, nodeGroupSizes, nodeSpecOf } from "./pricers/nodes.js";
import type { ResourceIndex } from "./pricers/types.js";
import { type Text, t } from "./text.js";
import type { PodRequests, Workload } from "./workloads.js";

export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
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
  requested: { cpuMillicores: Money; memoryBytes: Money };
  /** nodes the pods need, at least the desired size, at most the maximum */
  nodes: number;
  /** nodes the autoscaler would add beyond the desired size (0 when everything fits) */
  extraNodes: number;
  /** pods that would stay Pending even at the maximum size */
  pendingAtMax: number;
  /** workloads one of whose pods is larger than a whole empty node */
  tooLargeForANode: Text[];
  /** false when the placement stopped on its work limit: nodes and pending are not known */
  checked: boolean;
  notes: Text[];
}

/** Node groups by `label=value`, so a workload's node selector finds its groups without a scan of them all. */
function groupsBySelector(groups: readonly PricedInput[]) {
  const byLabel = new Map<string, PricedInput[]>();
  for (const group of groups) {
    for (const [key, value] of Object.entries(objectAt(group.inputs, "labels") ?? {})) {
      const id = `${key}=${String(value)}`;
      const list = byLabel.get(id);
      if (list) list.push(group);
      else byLabel.set(id, [group]);
    }
  }
  return (selector: ReadonlyMap<string, string>): readonly PricedInput[] => {
    if (selector.size === 0) return groups;
    let smallest: readonly PricedInput[] | undefined;
    for (const [key, value] of selector) {
      const list = byLabel.get(`${key}=${value}`) ?? [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return (smallest ?? []).filter((group) => {
      const labels = objectAt(group.inputs, "labels") ?? {};
      return [...selector].every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value);
    });
  };
}

/** Each workload's node group: the one its node selector matches, else the first; and how many were unsure. */
function assign(groups: readonly PricedInput[], workloads: readonly Workload[]) {
  const matchingOf = groupsBySelector(groups);
  const assigned = new Map<PricedInput, Workload[]>(groups.map((g) => [g, []]));
  const ambiguous = new Map<PricedInput, number>();
  for (const workload of workloads) {
    const matching = matchingOf(workload.nodeSelector);
    const group = matching[0] ?? (groups[0] as PricedInput);
    if (matching.length !== 1 && groups.length > 1) ambiguous.set(group, (ambiguous.get(group) ?? 0) + 1);
    assigned.get(group)?.push(workload);
  }
  return { assigned, ambiguous };
}

/** The scheduled pods on the node group's allocatable room, less what its DaemonSets take on every node. */
function place(
  scheduled: readonly Workload[],
  allocatable: NodeAllocatable,
  perNode: PodRequests & { pods: number },
  sizes: { desired: number; max: number; budget: PlacementBudget },
  notes: Text[],
): { nodes: number; pendingAtMax: number; tooLargeForANode: Text[]; checked: boolean } {
  const { allocatable: per } = allocatable;
  const placed = placePods(
    scheduled.map((workload) => ({ key: workload, requests: workload.pod, count: workload.replicas })),
    {
      room: {
        cpuMillicores: per.cpuMillicores - perNode.cpuMillicores,
        memoryBytes: per.memoryMiB * MIB - perNode.memoryBytes,
        pods: per.pods - perNode.pods,
      },
      scale: { cpuMillicores: per.cpuMillicores, memoryBytes: per.memoryMiB * MIB },
      ...sizes,
    },
  );
  if (!placed.complete) {
    notes.push(
      t`whether the pods fit is not checked: placing them would take more work than one preview may cause`,
    );
    return { nodes: sizes.desired, pendingAtMax: 0, tooLargeForANode: [], checked: false };
  }
  return {
    nodes: placed.nodes,
    pendingAtMax: placed.pending,
    tooLargeForANode: [...placed.tooLarge].map((w) => w.name),
    checked: true,
  };
}

function fitOne(
  group: PricedInput,
  mine: Workload[],
  resources: ResourceIndex,
  budget: PlacementBudget,
  notes: Text[],
): NodeGroupFit {
  const spec = nodeSpecOf(group, resources);
  const sizes = nodeGroupSizes(group);
  const desired = sizes.desired ?? 0;
  const max = Math.max(desired, sizes.max ?? desired);
  const allocatable = spec.instanceType ? eksNodeAllocatable(spec.instanceType) : undefined;
  const daemonSets = mine.filter((w) => w.kind === "DaemonSet");
  const scheduled = mine.filter((w) => w.kind !== "DaemonSet");
  const perNode = { cpuMillicores: 0, memoryBytes: 0, pods: 0 };
  for (const daemon of daemonSets) {
    perNode.cpuMillicores += daemon.pod.cpuMillicores;
    perNode.memoryBytes += daemon.pod.memoryBytes;
    perNode.pods += 1;
  }
  const pods = scheduled.reduce((total, w) => total + w.replicas, 0);
  const { nodes, pendingAtMax, tooLargeForANode, checked } = allocatable
    ? place(scheduled, allocatable, perNode, { desired, max, budget }, notes)
    : { nodes: desired, pendingAtMax: 0, tooLargeForANode: [], checked: true };
  if (!allocatable) {
    notes.push(
      spec.instanceType
        ? t`no capacity figures for ${spec.instanceType}: whether the pods fit is not checked`
        : t`instance type not known until apply: whether the pods fit is not checked`,
    );
  }
  const requested = {
    cpuMillicores: requestedTotal(scheduled, (w) => w.pod.cpuMillicores, perNode.cpuMillicores, nodes),
    memoryBytes: requestedTotal(scheduled, (w) => w.pod.memoryBytes, perNode.memoryBytes, nodes),
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
    pods,
    requested,
    nodes,
    extraNodes: nodes - desired,
    pendingAtMax,
    tooLargeForANode,
    checked,
    notes,
  };
}

/**
 * Σ replicas × request + per node × nodes, exactly: in a double while every step stays a safe integer (a
 * product of two that is not one is never taken for one), else in a BigInt; one decimal at the end.
 */
function requestedTotal(
  scheduled: readonly Workload[],
  pick: (w: Workload) => number,
  perNode: number,
  nodes: number,
): Money {
  let small = 0;
  let big: bigint | undefined;
  for (let i = 0; i <= scheduled.length; i++) {
    const w = scheduled[i];
    const [count, each] = w ? [w.replicas, pick(w)] : [nodes, perNode];
    const product = count * each;
    if (big === undefined && Number.isSafeInteger(product) && Number.isSafeInteger(small + product))
      small += product;
    else big = (big ?? BigInt(small)) + BigInt(count) * BigInt(each);
  }
  return big === undefined ? exact(small) : exact(big.toString());
}

/** One fit per node group on one side of a change. */
export function fitNodeGroups(
  resources: ResourceIndex,
  workloads: readonly Workload[],
  budget: PlacementBudget,
): NodeGroupFit[] {
  const groups = resources.ofType(NODE_GROUP);
  if (groups.length === 0) return [];
  const { assigned, ambiguous } = assign(groups, workloads);
  return groups.map((group) => {
    const notes: Text[] = [];
    const unsure = ambiguous.get(group);
    if (unsure) {
      notes.push(
        t`${unsure} workload(s) whose node selector matches more than one node group (or none) are counted here`,
      );
    }
    return fitOne(group, assigned.get(group) ?? [], resources, budget, notes);
  });
}
