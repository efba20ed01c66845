import { formatUsd, type Money, type PriceTable, percentOf, regionPrices, sum, ZERO } from "@platform/prices";
import { allocateNodeGroup, type NodeGroupAllocation, type WorkloadShare } from "./allocation";
import { fitNodeGroups } from "./capacity";
import { componentsTotal } from "./components";
import type { PricedInput } from "./inputs";
import type { ChangeKind, ResourceChange } from "./preview";
import { priceNodes } from "./pricers/eks";
import { priceResource } from "./pricers/registry";
import { PriceSheet, type PricingContext, type ResourcePrice, type UsageCharge } from "./pricers/types";
import type { UsageAssumptions } from "./usage-file";
import { workloadsOf } from "./workloads";

/** One resource, before and after; also the nodes an autoscaler adds for the workloads' requests. */
export interface CostRow {
  name: string;
  type: string;
  change: ChangeKind;
  urn?: string;
  /** the component the resource belongs to, e.g. `platform:cluster:EksCluster` */
  parent?: { type: string; name: string };
  before?: ResourcePrice;
  after?: ResourcePrice;
  beforeMonthly: Money;
  afterMonthly: Money;
  /** a row of nodes the workloads need beyond a node group's desired size, not a resource of the program */
  scaleOut?: { nodeGroup: string };
}

export type PriceClass = "priced" | "usage" | "notPriced" | "free";

/** A workload's share of its node group, before and after. */
export interface WorkloadRow {
  key: string;
  name: string;
  kind: string;
  change: ChangeKind;
  before?: WorkloadShare;
  after?: WorkloadShare;
}

export interface UsageLine {
  resource: string;
  charge: UsageCharge;
  side: "before" | "after";
}

export interface CostEstimate {
  mode: "diff" | "stack";
  stack: string;
  region: string;
  /** the first day of the 730 hours estimated (UTC) */
  monthStart: string;
  rows: CostRow[];
  totalBefore: Money;
  totalAfter: Money;
  change: Money;
  /** change ÷ before, one decimal; undefined when there was nothing before */
  changePercent: Money | undefined;
  counts: { resources: number; priced: number; usage: number; notPriced: number; free: number };
  /** every "resource: reason" that could not be priced, on the side that matters (after, else before) */
  notPriced: string[];
  /** true when something on the after side could not be priced: the total is a lower bound */
  atLeast: boolean;
  usage: { lines: UsageLine[]; before: Money; after: Money; file: string | undefined };
  workloads: WorkloadRow[];
  capacity: { before: NodeGroupAllocation[]; after: NodeGroupAllocation[] };
  warnings: string[];
  notes: string[];
  assumptions: string[];
  priceSource: {
    recorded: string;
    kind: string;
    note: string;
    hoursPerMonth: Money;
    currency: string;
    sources: PriceTable["sources"];
  };
}

export interface EstimateOptions {
  stack: string;
  region: string;
  usage: UsageAssumptions;
  /** the first hour of the estimated month */
  monthStart: Date;
}

const ASSUMPTIONS = [
  "Monthly = {hours} hours from {start} (UTC), on-demand, Linux, shared tenancy; no free tier, Savings Plans, Reserved Instances, credits or tax.",
  "Every line is quantity × unit price rounded to the cent; totals add the rounded lines.",
  "Managed node groups: instanceTypes[0] × scalingConfig.desiredSize, each with its root volume (the launch template's, or diskSize, default 20 GiB gp3).",
  "Persistent volumes are priced as the EBS type of the StorageClass the program declares for them, at their requested size rounded up to whole GiB; a class the program does not declare is not priced.",
  "A Kubernetes Service of type LoadBalancer is an NLB when annotated for one (aws-load-balancer-type nlb/external), otherwise a Classic Load Balancer.",
  "Workloads: requests × pods priced as a share of their node group's instance price, split into CPU and memory rates as OpenCost splits it; a share of nodes already counted, not added to the total.",
  "Capacity: pods placed on nodes' allocatable capacity (EKS AL2023: capacity less kube-reserved and the eviction threshold) largest first, as the Cluster Autoscaler estimates; nodes needed beyond the desired size (up to the maximum) are counted in the total.",
  "Usage-based charges are estimated from the usage file and shown apart; they are never in the fixed total.",
];

const SCALE_OUT_TYPE = "autoscaler:nodes";

interface Side {
  prices: Map<PricedInput, ResourcePrice | undefined>;
  allocations: NodeGroupAllocation[];
  scaleOut: Map<string, ResourcePrice>;
  shares: Map<string, WorkloadShare>;
  notes: string[];
  warnings: string[];
}

function contextFor(
  table: PriceTable,
  region: string,
  resources: readonly PricedInput[],
  options: EstimateOptions,
): PricingContext {
  return {
    prices: regionPrices(table, region),
    hoursPerMonth: table.hoursPerMonth,
    resources,
    usage: options.usage,
    monthStart: options.monthStart,
  };
}

/** AWS provider v7 lets a resource name its own region; price it there when the table has it. */
function regionOf(resource: PricedInput, stackRegion: string, table: PriceTable): string {
  const own = resource.inputs.region;
  return typeof own === "string" && table.regions[own] ? own : stackRegion;
}

function priceSide(
  resources: readonly PricedInput[],
  table: PriceTable,
  options: EstimateOptions,
  label: string,
): Side {
  const contexts = new Map<string, PricingContext>();
  const context = (region: string) => {
    let found = contexts.get(region);
    if (!found) {
      found = contextFor(table, region, resources, options);
      contexts.set(region, found);
    }
    return found;
  };
  const prices = new Map<PricedInput, ResourcePrice | undefined>();
  for (const resource of resources) {
    prices.set(resource, priceResource(resource, context(regionOf(resource, options.region, table))));
  }
  const stackContext = context(options.region);
  const { workloads, notes } = workloadsOf(resources);
  const warnings: string[] = [];
  const allocations = fitNodeGroups(resources, workloads).map((fit) => allocateNodeGroup(fit, stackContext));
  const scaleOut = new Map<string, ResourcePrice>();
  const shares = new Map<string, WorkloadShare>();
  for (const allocation of allocations) {
    const { fit } = allocation;
    for (const share of allocation.shares) shares.set(share.workload.key, share);
    const group = fit.nodeGroup.name;
    const type = fit.spec.instanceType ?? "nodes";
    if (fit.extraNodes > 0) {
      const sheet = new PriceSheet(stackContext);
      priceNodes(sheet, fit.spec, fit.extraNodes, "added");
      const price = sheet.result();
      if (price) scaleOut.set(group, price);
      warnings.push(
        `${label === "after" ? "" : "Before this change: "}the pods' requests do not fit node group \`${group}\` at its desired size of ${fit.desired} × ${type}: ` +
          `the autoscaler adds ${fit.extraNodes} node${fit.extraNodes === 1 ? "" : "s"} (maximum ${fit.max}), ${formatUsd(componentsTotal(price?.components ?? []))} a month, counted in the total. ` +
          `Without a Cluster Autoscaler or Karpenter, raise the desired size to ${fit.nodes}, or those pods stay Pending.`,
      );
    }
    if (fit.pendingAtMax > 0) {
      warnings.push(
        `${label === "after" ? "" : "Before this change: "}even at its maximum size of ${fit.max} × ${type}, node group \`${group}\` cannot hold every pod: ` +
          `${fit.pendingAtMax} pod${fit.pendingAtMax === 1 ? "" : "s"} would stay Pending` +
          (fit.tooLargeForANode.length > 0
            ? ` (${fit.tooLargeForANode.join(", ")} ask${fit.tooLargeForANode.length === 1 ? "s" : ""} for more than one ${type} can give)`
            : "") +
          ".",
      );
    }
    notes.push(...fit.notes.map((n) => `${group}: ${n}`));
  }
  const addOns = resources
    .filter((r) => r.type === "aws:eks/addon:Addon")
    .map((r) => (typeof r.inputs.addonName === "string" ? r.inputs.addonName : r.name));
  if (addOns.length > 0 && allocations.length > 0) {
    notes.push(
      `The pods of the EKS add-ons (${addOns.join(", ")}) are not counted against node capacity: EKS sets their requests, the program does not.`,
    );
  }
  return { prices, allocations, scaleOut, shares, notes, warnings };
}

export function classify(price: ResourcePrice | undefined): PriceClass {
  if (!price) return "free";
  if (price.components.length > 0) return "priced";
  if (price.notPriced.length > 0) return "notPriced";
  if (price.usage.length > 0) return "usage";
  return "free";
}

function rowOrder(a: CostRow, b: CostRow): number {
  const delta = (r: CostRow) => r.afterMonthly.minus(r.beforeMonthly).abs();
  return (
    delta(b).comparedTo(delta(a)) ||
    b.afterMonthly.comparedTo(a.afterMonthly) ||
    a.name.localeCompare(b.name) ||
    a.type.localeCompare(b.type)
  );
}

function summarise(
  mode: CostEstimate["mode"],
  table: PriceTable,
  options: EstimateOptions,
  rows: CostRow[],
  before: Side | undefined,
  after: Side,
): CostEstimate {
  const resourceRows = rows.filter((r) => !r.scaleOut);
  const counts = { resources: resourceRows.length, priced: 0, usage: 0, notPriced: 0, free: 0 };
  const notPriced: string[] = [];
  let atLeast = false;
  for (const row of resourceRows) {
    const side = row.after ?? row.before;
    counts[classify(side)]++;
    const reasons = row.after?.notPriced ?? row.before?.notPriced ?? [];
    if ((row.after?.notPriced.length ?? 0) > 0) atLeast = true;
    for (const reason of reasons) notPriced.push(`${row.name} (${row.type}): ${reason}`);
  }
  const usageLines: UsageLine[] = [];
  for (const row of rows) {
    for (const [side, price] of [
      ["before", row.before],
      ["after", row.after],
    ] as const) {
      for (const charge of price?.usage ?? []) usageLines.push({ resource: row.name, charge, side });
    }
  }
  const usageTotal = (side: "before" | "after") =>
    sum(
      usageLines
        .filter((l) => l.side === side && l.charge.estimate)
        .map((l) => l.charge.estimate?.monthly ?? ZERO),
    );
  const workloadKeys = new Set([...(before?.shares.keys() ?? []), ...after.shares.keys()]);
  const workloads: WorkloadRow[] = [...workloadKeys].map((key) => {
    const b = before?.shares.get(key);
    const a = after.shares.get(key);
    const shape = (s: WorkloadShare | undefined) =>
      s
        ? `${s.pods}|${s.workload.pod.cpuMillicores}|${s.workload.pod.memoryBytes}|${s.monthly.toFixed(2)}`
        : "";
    let change: ChangeKind = "same";
    if (mode === "stack" || (!b && a)) change = "create";
    else if (b && !a) change = "delete";
    else if (shape(b) !== shape(a)) change = "update";
    const named = (a ?? b) as WorkloadShare;
    return {
      key,
      name: named.workload.name,
      kind: named.workload.kind,
      change,
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
    };
  });
  workloads.sort((x, y) => x.name.localeCompare(y.name));
  const sorted = [...rows].sort(rowOrder);
  const totalBefore = sum(rows.map((r) => r.beforeMonthly));
  const totalAfter = sum(rows.map((r) => r.afterMonthly));
  const change = totalAfter.minus(totalBefore);
  const notes = [...new Set([...(before?.notes ?? []), ...after.notes])];
  const resourceWarnings: string[] = [];
  for (const row of resourceRows) {
    const side = row.after ?? row.before;
    for (const note of side?.notes ?? []) notes.push(`${row.name}: ${note}`);
    for (const warning of side?.warnings ?? []) resourceWarnings.push(`\`${row.name}\`: ${warning}`);
  }
  return {
    mode,
    stack: options.stack,
    region: options.region,
    monthStart: options.monthStart.toISOString().slice(0, 10),
    rows: sorted,
    totalBefore,
    totalAfter,
    change,
    changePercent: percentOf(change, totalBefore),
    counts,
    notPriced,
    atLeast,
    usage: {
      lines: usageLines,
      before: usageTotal("before"),
      after: usageTotal("after"),
      file: options.usage.file,
    },
    workloads,
    capacity: { before: before?.allocations ?? [], after: after.allocations },
    warnings: [
      ...resourceWarnings,
      ...(before?.warnings ?? []).filter((w) => !after.warnings.includes(w)),
      ...after.warnings,
    ],
    notes,
    assumptions: ASSUMPTIONS.map((a) =>
      a
        .replace("{hours}", table.hoursPerMonth.toFixed())
        .replace("{start}", options.monthStart.toISOString().slice(0, 10)),
    ),
    priceSource: {
      recorded: table.recorded,
      kind: table.source.kind,
      note: table.source.note,
      hoursPerMonth: table.hoursPerMonth,
      currency: table.currency,
      sources: table.sources,
    },
  };
}

function monthlyOf(price: ResourcePrice | undefined): Money {
  return price ? componentsTotal(price.components) : ZERO;
}

function scaleOutRows(before: Side | undefined, after: Side, mode: CostEstimate["mode"]): CostRow[] {
  const groups = new Set([...(before?.scaleOut.keys() ?? []), ...after.scaleOut.keys()]);
  return [...groups].map((group) => {
    const b = before?.scaleOut.get(group);
    const a = after.scaleOut.get(group);
    let change: ChangeKind = "update";
    if (mode === "stack" || !b) change = "create";
    else if (!a) change = "delete";
    else if (monthlyOf(a).equals(monthlyOf(b))) change = "same";
    return {
      name: `${group} (autoscaler)`,
      type: SCALE_OUT_TYPE,
      change,
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
      beforeMonthly: monthlyOf(b),
      afterMonthly: monthlyOf(a),
      scaleOut: { nodeGroup: group },
    };
  });
}

/** Prices each change in a preview before and after; unchanged resources count in both totals. */
export function estimateChanges(
  changes: ResourceChange[],
  table: PriceTable,
  options: EstimateOptions,
): CostEstimate {
  const beforeAll = changes.flatMap((c) => (c.before ? [c.before] : []));
  const afterAll = changes.flatMap((c) => (c.after ? [c.after] : []));
  const before = priceSide(beforeAll, table, options, "before");
  const after = priceSide(afterAll, table, options, "after");
  const rows: CostRow[] = changes.map((c) => {
    const b = c.before ? before.prices.get(c.before) : undefined;
    const a = c.after ? after.prices.get(c.after) : undefined;
    const parent = (c.after ?? c.before)?.parent;
    return {
      name: c.name,
      type: c.type,
      change: c.change,
      urn: c.urn,
      ...(parent ? { parent } : {}),
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
      beforeMonthly: monthlyOf(b),
      afterMonthly: monthlyOf(a),
    };
  });
  rows.push(...scaleOutRows(before, after, "diff"));
  return summarise("diff", table, options, rows, before, after);
}

/** Prices every resource a program registers, as if the stack were created from nothing. */
export function estimateStack(
  resources: PricedInput[],
  table: PriceTable,
  options: EstimateOptions,
): CostEstimate {
  const after = priceSide(resources, table, options, "after");
  const rows: CostRow[] = resources.map((r) => {
    const a = after.prices.get(r);
    return {
      name: r.name,
      type: r.type,
      change: "create",
      ...(r.urn ? { urn: r.urn } : {}),
      ...(r.parent ? { parent: r.parent } : {}),
      ...(a ? { after: a } : {}),
      beforeMonthly: ZERO,
      afterMonthly: monthlyOf(a),
    };
  });
  rows.push(...scaleOutRows(undefined, after, "stack"));
  return summarise("stack", table, options, rows, undefined, after);
}
