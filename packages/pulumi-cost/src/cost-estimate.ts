import type { Money, PriceTable } from "@platform/prices";
import type { NodeGroupAllocation, WorkloadShare } from "./allocation.js";
import type { CostConfig } from "./config.js";
import type { ChangeKind } from "./preview.js";
import type { ResourcePrice, UsageCharge } from "./pricers/types.js";
import type { Text } from "./text.js";

/** What an estimate is, apart from how it is made: estimate.ts prices the rows, summary.ts totals them. */
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

export function classify(price: ResourcePrice | undefined): PriceClass {
  if (!price) return "free";
  if (price.components.length > 0) return "priced";
  if (price.notPriced.length > 0) return "notPriced";
  if (price.usage.length > 0) return "usage";
  return "free";
}
