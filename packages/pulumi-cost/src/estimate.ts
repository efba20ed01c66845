import { type Money, type PriceTable, ZERO } from "@platform/prices";
import type { NodeGroupAllocation, WorkloadShare } from "./allocation.js";
import { componentsTotal } from "./components.js";
import type { CostConfig } from "./config.js";
import type { PricedInput } from "./inputs.js";
import type { ChangeKind, ResourceChange } from "./preview.js";
import type { ResourcePrice, UsageCharge } from "./pricers/types.js";
import { priceSide, type Side } from "./side.js";
import { summarise } from "./summary.js";
import type { Text } from "./text.js";

/** One resource, before and after; also the nodes an autoscaler adds for the workloads' requests. */
export interface CostRow {
  name: string;
  type: string;
  change: ChangeKind;
  urn?: string;
  /** the component the resource belongs to, e.g. `platform:cluster:EksCluster` */
  parent?: { type: string; name: string };
  /** the region it is billed in */
  region?: string;
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
  name: Text;
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
  /** the stack's own region (its default AWS provider's) */
  region: string;
  /** every region something was priced in */
  regions: string[];
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
  notPriced: Text[];
  /** true when something on the after side could not be priced: the total is a lower bound */
  atLeast: boolean;
  usage: { lines: UsageLine[]; before: Money; after: Money; source: string | undefined };
  workloads: WorkloadRow[];
  capacity: { before: NodeGroupAllocation[]; after: NodeGroupAllocation[] };
  /** what the configuration says to every reader, at the top */
  notices: Text[];
  warnings: Text[];
  notes: Text[];
  assumptions: string[];
  priceSource: {
    recorded: string;
    kind: string;
    note: string;
    hoursPerMonth: Money;
    currency: string;
    sources: PriceTable["sources"];
    /** what was asked of the AWS Price List API for this run (--live-prices) */
    live?: PriceTable["live"];
  };
}

export interface EstimateOptions {
  stack: string;
  /** the stack's region, for resources whose provider names none and for Kubernetes objects */
  region: string | undefined;
  config: CostConfig;
  /** the first hour of the estimated month */
  monthStart: Date;
}

export const SCALE_OUT_TYPE = "autoscaler:nodes";

export function classify(price: ResourcePrice | undefined): PriceClass {
  if (!price) return "free";
  if (price.components.length > 0) return "priced";
  if (price.notPriced.length > 0) return "notPriced";
  if (price.usage.length > 0) return "usage";
  return "free";
}

export function monthlyOf(price: ResourcePrice | undefined): Money {
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

function rowOf(change: ResourceChange, before: Side, after: Side): CostRow {
  const b = change.before ? before.prices.get(change.before) : undefined;
  const a = change.after ? after.prices.get(change.after) : undefined;
  const side = change.after ?? change.before;
  const row: CostRow = {
    name: change.name,
    type: change.type,
    change: change.change,
    urn: change.urn,
    beforeMonthly: monthlyOf(b),
    afterMonthly: monthlyOf(a),
  };
  if (side?.parent) row.parent = side.parent;
  if (side?.region) row.region = side.region;
  if (b) row.before = b;
  if (a) row.after = a;
  return row;
}

/** Prices each change in a preview before and after; unchanged resources count in both totals. */
export function estimateChanges(
  changes: readonly ResourceChange[],
  table: PriceTable,
  options: EstimateOptions,
): CostEstimate {
  const beforeAll: PricedInput[] = [];
  const afterAll: PricedInput[] = [];
  for (const change of changes) {
    if (change.before) beforeAll.push(change.before);
    if (change.after) afterAll.push(change.after);
  }
  const before = priceSide(beforeAll, table, options, "before");
  const after = priceSide(afterAll, table, options, "after");
  const rows = changes.map((change) => rowOf(change, before, after));
  rows.push(...scaleOutRows(before, after, "diff"));
  return summarise("diff", table, options, rows, before, after);
}

/** Prices every resource a program registers, as if the stack were created from nothing. */
export function estimateStack(
  resources: readonly PricedInput[],
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
      ...((r.region ?? options.region) ? { region: r.region ?? options.region } : {}),
      ...(a ? { after: a } : {}),
      beforeMonthly: ZERO,
      afterMonthly: monthlyOf(a),
    };
  });
  rows.push(...scaleOutRows(undefined, after, "stack"));
  return summarise("stack", table, options, rows, undefined, after);
}
