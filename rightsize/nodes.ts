/**
 * What a change of requests does to the nodes, through the cost comment's own capacity model: the stack's
 * program under mocks, its workloads with the new requests, and pods placed on each node group as the
 * Cluster Autoscaler's estimator places them. A smaller request saves money only when a node can go; until
 * then it makes room, and this says for how many more pods. The same requests priced on Graviton and on Spot.
 */
import type { Catalogue } from "../catalogue/services.js";
import type { RequestEdit } from "./catalogue-edit.js";
import {
  fitNodeGroups,
  loadShippedPriceTable,
  type NodeGroupFit,
  type PricedInput,
  quantityToBytes,
  quantityToMillicores,
  regionPrices,
  resourcesUnderMocks,
  stackSettingsOf,
  type Workload,
  workloadsOf,
} from "./cost-engine.js";

/** The arm64 (Graviton) type of the same size for an x86 family, where the price table has both. */
export const GRAVITON_FAMILY: Readonly<Record<string, string>> = {
  t3: "t4g",
  t3a: "t4g",
  m5: "m6g",
  m6i: "m6g",
  m7i: "m7g",
};

export interface NodeGroupEffect {
  nodeGroup: string;
  instanceType: string;
  minSize: number;
  /** What the stack runs now (platform:nodeDesiredSize: no autoscaler changes it). */
  running: number;
  /** Nodes the requests need (at least the minimum), before and after the change. */
  neededBefore: number;
  neededAfter: number;
  nodeMonthlyUsd: number;
  /** (neededBefore − neededAfter) × a node's month. */
  savingMonthlyUsd: number;
  /** Pods a node takes (its pod limit, the EKS AL2023 maxPods). */
  podsPerNode: number | undefined;
  /**
   * Per changed workload: replicas that would still fit on neededAfter nodes beyond today's (and before the
   * change, on neededBefore); podLimited when the nodes' pod limit, not CPU or memory, stopped it.
   */
  morePodsFit: { workload: string; after: number; before: number; podLimited: boolean }[];
  graviton?: { instanceType: string; nodes: number; monthlyUsd: number; savingMonthlyUsd: number };
  spot?: { assumedDiscount: number; savingMonthlyUsd: number; qualifying: string[]; notQualifying: string[] };
}

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const num = (v: unknown) => (typeof v === "number" ? v : Number(v));

/** The node group with another size (and instance type): what the capacity model is asked. */
function sized(group: PricedInput, desired: number, max: number, instanceType?: string): PricedInput {
  const scaling = (group.inputs.scalingConfig ?? {}) as Record<string, unknown>;
  return {
    ...group,
    inputs: {
      ...group.inputs,
      scalingConfig: { ...scaling, desiredSize: desired, maxSize: max },
      ...(instanceType ? { instanceTypes: [instanceType] } : {}),
    },
  };
}

function fitOf(
  resources: readonly PricedInput[],
  group: PricedInput,
  replacement: PricedInput,
  workloads: Workload[],
) {
  const swapped = resources.map((r) => (r === group ? replacement : r));
  return fitNodeGroups(swapped, workloads).find((f) => f.nodeGroup.name === group.name) as NodeGroupFit;
}

/** The workloads with the catalogue's services at their new requests (single-container Deployments). */
export function withEdits(workloads: Workload[], edits: ReadonlyMap<string, RequestEdit>): Workload[] {
  return workloads.map((w) => {
    const edit = w.kind === "Deployment" ? edits.get(w.name.plain) : undefined;
    if (!edit) return w;
    return {
      ...w,
      pod: {
        cpuMillicores: edit.cpu
          ? (quantityToMillicores(edit.cpu) ?? w.pod.cpuMillicores)
          : w.pod.cpuMillicores,
        memoryBytes: edit.memory ? (quantityToBytes(edit.memory) ?? w.pod.memoryBytes) : w.pod.memoryBytes,
      },
    };
  });
}

/** Replicas of `workload` beyond today's that fit on `nodes` nodes (at most 200 looked for). */
function morePods(
  resources: readonly PricedInput[],
  group: PricedInput,
  workloads: Workload[],
  name: string,
  nodes: number,
) {
  const fixed = sized(group, nodes, nodes);
  let extra = 0;
  while (extra < 200) {
    const trial = workloads.map((w) =>
      w.name.plain === name && w.kind !== "DaemonSet" ? { ...w, replicas: w.replicas + extra + 1 } : w,
    );
    if (fitOf(resources, group, fixed, trial).pendingAtMax > 0) break;
    extra++;
  }
  return extra;
}

/** Workloads that can run on Spot: two replicas or more, and a disruption budget that keeps one running. */
function spotQualification(resources: readonly PricedInput[], workloads: Workload[]) {
  const budgets = resources.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget");
  const qualifying: string[] = [];
  const notQualifying: string[] = [];
  for (const w of workloads.filter((w) => w.kind !== "DaemonSet")) {
    const pdb = budgets.find(
      (b) => (b.inputs.metadata as { name?: string } | undefined)?.name === w.name.plain,
    );
    const minAvailable = num((pdb?.inputs.spec as { minAvailable?: unknown } | undefined)?.minAvailable);
    if (w.replicas >= 2 && minAvailable >= 1) qualifying.push(w.name.plain);
    else
      notQualifying.push(
        `${w.name} (${w.replicas} replica${w.replicas === 1 ? "" : "s"}${pdb ? "" : ", no disruption budget"})`,
      );
  }
  return { qualifying, notQualifying };
}

export interface NodeEffectOptions {
  stack: string;
  catalogue: Catalogue;
  edits: ReadonlyMap<string, RequestEdit>;
  /** Spot's discount off on-demand, assumed: the price table holds on-demand prices only. */
  spotDiscount: number;
  resources?: PricedInput[];
}

export async function nodeEffects(options: NodeEffectOptions): Promise<NodeGroupEffect[]> {
  const resources = options.resources ?? (await resourcesUnderMocks(options.stack)).resources;
  const table = loadShippedPriceTable();
  const prices = regionPrices(table, stackSettingsOf(options.stack).region);
  const hours = table.hoursPerMonth.toNumber();
  const { workloads } = workloadsOf(resources);
  const after = withEdits(workloads, options.edits);
  const monthly = (type: string) => (prices.ec2InstanceHour.get(type)?.toNumber() ?? Number.NaN) * hours;
  return resources
    .filter((r) => r.type === NODE_GROUP)
    .map((group) => {
      const scaling = (group.inputs.scalingConfig ?? {}) as Record<string, unknown>;
      const minSize = num(scaling.minSize ?? scaling.desiredSize ?? 1);
      const maxSize = num(scaling.maxSize ?? minSize);
      const need = (ws: Workload[], type?: string) =>
        fitOf(resources, group, sized(group, minSize, maxSize, type), ws);
      const before = need(workloads);
      const afterFit = need(after);
      const instanceType = before.spec.instanceType ?? "unknown";
      const nodeMonthlyUsd = monthly(instanceType);
      const changed = [...options.edits.keys()].filter((name) =>
        afterFit.workloads.some((w) => w.name.plain === name),
      );
      const effect: NodeGroupEffect = {
        nodeGroup: group.name,
        instanceType,
        minSize,
        running: num(scaling.desiredSize ?? minSize),
        neededBefore: before.nodes,
        neededAfter: afterFit.nodes,
        nodeMonthlyUsd,
        savingMonthlyUsd: (before.nodes - afterFit.nodes) * nodeMonthlyUsd,
        podsPerNode: afterFit.allocatable?.allocatable.pods,
        morePodsFit: changed.map((name) => {
          const more = morePods(resources, group, after, name, afterFit.nodes);
          const podRoom = afterFit.allocatable
            ? (afterFit.allocatable.allocatable.pods - afterFit.perNode.pods) * afterFit.nodes - afterFit.pods
            : undefined;
          return {
            workload: name,
            after: more,
            before: morePods(resources, group, workloads, name, before.nodes),
            podLimited: more === podRoom,
          };
        }),
      };
      const [family, size] = instanceType.split(".");
      const arm = family && GRAVITON_FAMILY[family] ? `${GRAVITON_FAMILY[family]}.${size}` : undefined;
      if (arm && prices.ec2InstanceHour.get(arm)) {
        const nodes = need(after, arm).nodes;
        const monthlyUsd = nodes * monthly(arm);
        effect.graviton = {
          instanceType: arm,
          nodes,
          monthlyUsd,
          savingMonthlyUsd: afterFit.nodes * nodeMonthlyUsd - monthlyUsd,
        };
      }
      effect.spot = {
        assumedDiscount: options.spotDiscount,
        savingMonthlyUsd: afterFit.nodes * nodeMonthlyUsd * options.spotDiscount,
        ...spotQualification(resources, afterFit.workloads),
      };
      return effect;
    });
}
