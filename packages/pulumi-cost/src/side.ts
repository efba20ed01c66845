import { formatUsd, type PriceTable, pricesIn } from "@platform/prices";
import { allocateNodeGroup, type NodeGroupAllocation, type WorkloadShare } from "./allocation.js";
import { fitNodeGroups, type NodeGroupFit } from "./capacity.js";
import { componentsTotal } from "./components.js";
import type { CostConfig } from "./config.js";
import type { PricedInput } from "./inputs.js";
import { LIMITS } from "./limits.js";
import { PlacementBudget } from "./placement.js";
import { priceNodes } from "./pricers/nodes.js";
import { type PricingSetup, priceResource } from "./pricers/registry.js";
import { PriceSheet, type PricingContext, ResourceIndex, type ResourcePrice } from "./pricers/types.js";
import { code, joinText, literal, type Text, t } from "./text.js";
import { workloadsOf } from "./workloads.js";

export interface SideOptions {
  /** the region of resources whose provider names none (and of Kubernetes objects) */
  region: string | undefined;
  config: CostConfig;
  monthStart: Date;
}

/** One side of a change (before or after), priced. */
export interface Side {
  prices: Map<PricedInput, ResourcePrice | undefined>;
  allocations: NodeGroupAllocation[];
  /** the nodes the workloads need beyond each node group's desired size */
  scaleOut: Map<string, ResourcePrice>;
  shares: Map<string, WorkloadShare>;
  notes: Text[];
  warnings: Text[];
  /** node groups whose capacity could not be checked: what they need beyond their desired size is unknown */
  unchecked: Text[];
  /** the regions something was priced in */
  regions: Set<string>;
  /** resources whose price depends on nothing but themselves: the same on the other side when they are */
  selfPriced: Set<PricedInput>;
}

/** The other side of a change, already priced, and each resource's twin there (what it was before). */
export interface PricedTwins {
  side: Side;
  twinOf: ReadonlyMap<PricedInput, PricedInput>;
}

function contexts(table: PriceTable, index: ResourceIndex, options: SideOptions, side: "before" | "after") {
  const made = new Map<string, PricingContext | undefined>();
  return (region: string | undefined): PricingContext | undefined => {
    if (region === undefined) return undefined;
    if (made.has(region)) return made.get(region);
    const prices = pricesIn(table, region);
    const context = prices && {
      prices,
      region,
      hoursPerMonth: table.hoursPerMonth,
      resources: index,
      usage: options.config.usage,
      resourceUsage: options.config.resourceUsage,
      eks: options.config.eks,
      monthStart: options.monthStart,
      get side() {
        index.sideReads++;
        return side;
      },
    };
    made.set(region, context);
    return context;
  };
}

function capacityWarnings(
  fit: NodeGroupFit,
  added: ResourcePrice | undefined,
  side: "before" | "after",
): Text[] {
  const group = fit.nodeGroup.name;
  const type = fit.spec.instanceType ?? "nodes";
  const prefix = literal(side === "after" ? "" : "Before this change: ");
  const warnings: Text[] = [];
  if (fit.extraNodes > 0) {
    const nodes = fit.extraNodes === 1 ? "node" : "nodes";
    warnings.push(
      t`${prefix}the pods' requests do not fit node group ${code(group)} at its desired size of ${fit.desired} × ${type}: the autoscaler adds ${fit.extraNodes} ${literal(nodes)} (maximum ${fit.max}), ${literal(formatUsd(componentsTotal(added?.components ?? [])))} a month, counted in the total. Without a Cluster Autoscaler or Karpenter, raise the desired size to ${fit.nodes}, or those pods stay Pending.`,
    );
  }
  if (fit.pendingAtMax > 0) {
    const large = fit.tooLargeForANode;
    const why =
      large.length > 0
        ? t` (${joinText(large, ", ")} ${literal(large.length === 1 ? "asks" : "ask")} for more than one ${type} can give)`
        : t``;
    warnings.push(
      t`${prefix}even at its maximum size of ${fit.max} × ${type}, node group ${code(group)} cannot hold every pod: ${fit.pendingAtMax} ${literal(fit.pendingAtMax === 1 ? "pod" : "pods")} would stay Pending${why}.`,
    );
  }
  return warnings;
}

/** The nodes the autoscaler adds, priced in the node group's own region. */
function scaleOutPrice(fit: NodeGroupFit, context: PricingContext | undefined, region: string | undefined) {
  if (!context) {
    const reason = region
      ? t`no prices for region ${region} in the price table (never priced at another region's)`
      : t`the region it is billed in is not known`;
    return { components: [], notPriced: [reason], usage: [], notes: [], warnings: [] } as ResourcePrice;
  }
  const sheet = new PriceSheet(context);
  priceNodes(sheet, fit.spec, fit.extraNodes, "added");
  return sheet.result();
}

/** The twin's price, when pricing the resource again would give the same. */
function twinPrice(resource: PricedInput, twins: PricedTwins | undefined, options: SideOptions) {
  const twin = twins?.twinOf.get(resource);
  if (!twin || !twins?.side.selfPriced.has(twin) || options.config.resourceUsage.mentions(resource.name))
    return undefined;
  return { price: twins.side.prices.get(twin) };
}

export function priceSide(
  resources: readonly PricedInput[],
  table: PriceTable,
  options: SideOptions,
  side: "before" | "after",
  twins?: PricedTwins,
): Side {
  const index = new ResourceIndex(resources);
  const contextIn = contexts(table, index, options, side);
  const regionOf = (resource: PricedInput) => resource.region ?? options.region;
  const { freeTypes, resourceUsage } = options.config;
  const prices = new Map<PricedInput, ResourcePrice | undefined>();
  const regions = new Set<string>();
  const selfPriced = new Set<PricedInput>();
  const setups = new Map<string | undefined, PricingSetup>();
  for (const resource of resources) {
    const region = regionOf(resource);
    let setup = setups.get(region);
    if (!setup) {
      setup = { context: contextIn(region), region, freeTypes, resourceUsage, side };
      setups.set(region, setup);
    }
    const reads = index.sideReads;
    const reused = twinPrice(resource, twins, options);
    const price = reused ? reused.price : priceResource(resource, setup);
    if (index.sideReads === reads) selfPriced.add(resource);
    if (region && price && price.components.length > 0) regions.add(region);
    prices.set(resource, price);
  }
  const { workloads, notes } = workloadsOf(resources);
  const budget = new PlacementBudget(LIMITS.placementWork, LIMITS.placementNodes);
  const result: Side = {
    prices,
    allocations: [],
    scaleOut: new Map(),
    shares: new Map(),
    notes,
    warnings: [],
    unchecked: [],
    regions,
    selfPriced,
  };
  for (const fit of fitNodeGroups(index, workloads, budget)) {
    const group = fit.nodeGroup.name;
    const region = regionOf(fit.nodeGroup);
    const context = contextIn(region);
    const allocation = allocateNodeGroup(fit, context);
    result.allocations.push(allocation);
    for (const share of allocation.shares) result.shares.set(share.workload.key, share);
    const added = fit.extraNodes > 0 ? scaleOutPrice(fit, context, region) : undefined;
    if (added) result.scaleOut.set(group, added);
    result.warnings.push(...capacityWarnings(fit, added, side));
    if (!fit.checked) {
      result.unchecked.push(
        t`${group} (nodes the workloads need): whether the pods fit was not checked, so the nodes they need beyond the desired size are not priced`,
      );
    }
    notes.push(...fit.notes.map((note) => t`${group}: ${note}`));
  }
  const addOns = index
    .ofType("aws:eks/addon:Addon")
    .map((r) => t`${typeof r.inputs.addonName === "string" ? r.inputs.addonName : r.name}`);
  if (addOns.length > 0 && result.allocations.length > 0) {
    notes.push(
      t`The pods of the EKS add-ons (${joinText(addOns, ", ")}) are not counted against node capacity: EKS sets their requests, the program does not.`,
    );
  }
  return result;
}
