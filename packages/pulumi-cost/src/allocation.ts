import {
  exact,
  type Money,
  type NodePriceSplit,
  priceIn,
  splitNodePrice,
  sum,
  toCents,
  ZERO,
} from "@platform/prices";
import type { NodeGroupFit } from "./capacity.js";
import { type CostComponent, component } from "./components.js";
import type { PricingContext } from "./pricers/types.js";
import type { Workload } from "./workloads.js";

const GIB = 2 ** 30;

/** Node groups of one instance type share its split; OpenCost's is a division, worth doing once. */
const splits = new Map<string, NodePriceSplit>();
function splitOf(key: string, hourly: Money, vcpu: number, memoryGiB: number): NodePriceSplit {
  let split = splits.get(key);
  if (!split) {
    split = splitNodePrice(hourly, vcpu, memoryGiB);
    if (splits.size < 10_000) splits.set(key, split);
  }
  return split;
}

const nodeMonths = new Map<string, Money>();

/**
 * Pods of the same requests at the same rates cost the same: an unchanged workload, or many alike, make their
 * lines once (exact decimals, so a division and a few products each).
 */
const shareLines = new Map<string, { components: CostComponent[]; monthly: Money }>();
function linesOf(key: string, workload: Workload, pods: number, split: NodePriceSplit, hours: Money) {
  let lines = shareLines.get(key);
  if (!lines) {
    const components = shareOf(workload, pods, split, hours);
    lines = { components, monthly: sum(components.map((c) => c.monthly)) };
    if (shareLines.size < 10_000) shareLines.set(key, lines);
  }
  return lines;
}

/**
 * What a workload's requests cost as a share of its node group, as OpenCost allocates: requested vCPUs ×
 * the node's price per vCPU-hour plus requested GiB × its price per GiB-hour. A share of nodes already
 * priced, so never added to the total; the nodes the requests need beyond the desired size are (see
 * estimate.ts).
 */
export interface WorkloadShare {
  workload: Workload;
  nodeGroup: string;
  /** pods counted: replicas, or one per node for a DaemonSet */
  pods: number;
  components: CostComponent[];
  monthly: Money;
}

export interface NodeGroupAllocation {
  fit: NodeGroupFit;
  /** the node's price split into CPU and memory rates, when the instance type is priced */
  split: (NodePriceSplit & { instanceType: string; hourly: Money }) | undefined;
  shares: WorkloadShare[];
  /** the nodes' instance-hours (root volumes apart), at the node count the pods need */
  nodesMonthly: Money;
  allocated: Money;
  /** what no request claims */
  idle: Money;
}

function shareOf(workload: Workload, pods: number, split: NodePriceSplit, hours: Money): CostComponent[] {
  const cores = exact(workload.pod.cpuMillicores).dividedBy(1000);
  const gib = exact(workload.pod.memoryBytes).dividedBy(GIB);
  const lines: CostComponent[] = [];
  if (!cores.isZero()) {
    lines.push(
      component("CPU requests", [pods, [cores, "vCPU"], [hours, "h"]], split.perVcpuHour, {
        unit: "vCPU-hours",
        priceUnit: "vCPU-h",
      }),
    );
  }
  if (!gib.isZero()) {
    lines.push(
      component("memory requests", [pods, [gib, "GiB"], [hours, "h"]], split.perGiBHour, {
        unit: "GiB-hours",
        priceUnit: "GiB-h",
      }),
    );
  }
  return lines;
}

/** The node group's price shared out over its workloads' requests; the rest is idle. */
export function allocateNodeGroup(
  fit: NodeGroupFit,
  context: PricingContext | undefined,
): NodeGroupAllocation {
  const instanceType = fit.spec.instanceType;
  const hourly =
    instanceType && context ? priceIn(context.prices, "ec2InstanceHour", instanceType) : undefined;
  const typeFigures = fit.allocatable;
  if (!instanceType || !hourly || !typeFigures || !context) {
    return { fit, split: undefined, shares: [], nodesMonthly: ZERO, allocated: ZERO, idle: ZERO };
  }
  const splitKey = `${hourly.toString()}|${typeFigures.vcpu}|${typeFigures.memoryGiB}`;
  const split = splitOf(splitKey, hourly, typeFigures.vcpu, typeFigures.memoryGiB);
  const rates = `${splitKey}|${context.hoursPerMonth.toString()}`;
  const shares: WorkloadShare[] = [...fit.workloads, ...fit.daemonSets].map((workload) => {
    const pods = workload.kind === "DaemonSet" ? fit.nodes : workload.replicas;
    const key = `${rates}|${pods}|${workload.pod.cpuMillicores}|${workload.pod.memoryBytes}`;
    const { components, monthly } = linesOf(key, workload, pods, split, context.hoursPerMonth);
    return { workload, nodeGroup: fit.nodeGroup.name, pods, components, monthly };
  });
  // As the nodes' own line would round it: nodes × hours × hourly, to the cent (the same for many groups).
  const nodesKey = `${rates}|${fit.nodes}`;
  let nodesMonthly = nodeMonths.get(nodesKey);
  if (!nodesMonthly) {
    nodesMonthly = toCents(exact(fit.nodes).times(context.hoursPerMonth).times(hourly));
    if (nodeMonths.size < 10_000) nodeMonths.set(nodesKey, nodesMonthly);
  }
  const allocated = sum(shares.map((s) => s.monthly));
  return {
    fit,
    split: { ...split, instanceType, hourly },
    shares,
    nodesMonthly,
    allocated,
    idle: nodesMonthly.minus(allocated),
  };
}
