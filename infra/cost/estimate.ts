import type { ChangeKind, ResourceChange } from "./preview";
import { type PriceTable, regionPrices } from "./prices";
import {
  type PricedInput,
  type PricingContext,
  priceResource,
  type ResourcePrice,
  type UsageCharge,
} from "./pricing";

export interface CostRow {
  name: string;
  type: string;
  change: ChangeKind;
  before?: ResourcePrice;
  after?: ResourcePrice;
  beforeMonthly: number;
  afterMonthly: number;
}

export interface CostEstimate {
  mode: "diff" | "stack";
  stack: string;
  region: string;
  rows: CostRow[];
  totalBefore: number;
  totalAfter: number;
  /** usage-based charges seen on either side, one entry per item */
  usage: UsageCharge[];
  /** "resource: reason" for every part that could not be priced */
  unpriced: string[];
  assumptions: string[];
  priceSource: { recorded: string; kind: string; note: string; hoursPerMonth: number; currency: string };
}

const ASSUMPTIONS = [
  "Monthly = hourly price × {hours} hours, on-demand, Linux, shared tenancy; no free tier, Savings Plans, Reserved Instances, credits or tax.",
  "EKS control plane at the standard-support rate; a Kubernetes version in extended support costs more.",
  "Managed node groups: instanceTypes[0] × scalingConfig.desiredSize, each with its root volume (diskSize, default 20 GiB, priced as gp3) unless a launch template sets the disk.",
  "Persistent volumes (PersistentVolumeClaims, StatefulSet claim templates, Helm chart storage values) are priced as gp3 EBS at their requested size, rounded up to whole GiB.",
  "A Kubernetes Service of type LoadBalancer is an NLB when annotated for one (aws-load-balancer-type nlb/external), otherwise a Classic Load Balancer.",
  "Data transfer, load balancer capacity units, NAT data processing, requests and log volume depend on usage and are listed separately, not totalled.",
];

function contextFor(table: PriceTable, region: string, resources: PricedInput[]): PricingContext {
  return {
    prices: regionPrices(table, region),
    hoursPerMonth: table.hoursPerMonth,
    launchTemplates: resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate"),
  };
}

/** AWS provider v7 lets a resource name its own region; price it there when the table has it. */
function resourceRegion(resource: PricedInput, stackRegion: string, table: PriceTable): string {
  const own = resource.inputs.region;
  return typeof own === "string" && table.regions[own] ? own : stackRegion;
}

function price(resource: PricedInput | undefined, table: PriceTable, region: string, all: PricedInput[]) {
  if (!resource) return undefined;
  return priceResource(resource, contextFor(table, resourceRegion(resource, region, table), all));
}

function summarise(
  mode: CostEstimate["mode"],
  stack: string,
  region: string,
  table: PriceTable,
  rows: CostRow[],
): CostEstimate {
  const usage = new Map<string, UsageCharge>();
  const unpriced: string[] = [];
  for (const row of rows) {
    for (const side of [row.before, row.after]) {
      for (const charge of side?.usage ?? []) usage.set(charge.item, charge);
    }
    for (const reason of new Set([...(row.before?.unpriced ?? []), ...(row.after?.unpriced ?? [])])) {
      unpriced.push(`${row.name} (${row.type}): ${reason}`);
    }
  }
  const priced = rows.filter((r) => r.before || r.after);
  priced.sort(
    (a, b) =>
      Math.abs(b.afterMonthly - b.beforeMonthly) - Math.abs(a.afterMonthly - a.beforeMonthly) ||
      b.afterMonthly - a.afterMonthly ||
      a.name.localeCompare(b.name),
  );
  return {
    mode,
    stack,
    region,
    rows: priced,
    totalBefore: priced.reduce((sum, r) => sum + r.beforeMonthly, 0),
    totalAfter: priced.reduce((sum, r) => sum + r.afterMonthly, 0),
    usage: [...usage.values()].sort((a, b) => a.item.localeCompare(b.item)),
    unpriced,
    assumptions: ASSUMPTIONS.map((a) => a.replace("{hours}", String(table.hoursPerMonth))),
    priceSource: {
      recorded: table.recorded,
      kind: table.source.kind,
      note: table.source.note,
      hoursPerMonth: table.hoursPerMonth,
      currency: table.currency,
    },
  };
}

/** Prices each change in a preview before and after; unchanged resources count in both totals. */
export function estimateChanges(
  changes: ResourceChange[],
  table: PriceTable,
  options: { stack: string; region: string },
): CostEstimate {
  const beforeAll = changes.flatMap((c) => (c.before ? [c.before] : []));
  const afterAll = changes.flatMap((c) => (c.after ? [c.after] : []));
  const rows = changes.map((c): CostRow => {
    const before = price(c.before, table, options.region, beforeAll);
    const after = price(c.after, table, options.region, afterAll);
    return {
      name: c.name,
      type: c.type,
      change: c.change,
      before,
      after,
      beforeMonthly: before?.monthly ?? 0,
      afterMonthly: after?.monthly ?? 0,
    };
  });
  return summarise("diff", options.stack, options.region, table, rows);
}

/** Prices every resource a program registers, as if the stack were created from nothing. */
export function estimateStack(
  resources: PricedInput[],
  table: PriceTable,
  options: { stack: string; region: string },
): CostEstimate {
  const rows = resources.map((r): CostRow => {
    const after = price(r, table, options.region, resources);
    return {
      name: r.name,
      type: r.type,
      change: "create",
      after,
      beforeMonthly: 0,
      afterMonthly: after?.monthly ?? 0,
    };
  });
  return summarise("stack", options.stack, options.region, table, rows);
}
