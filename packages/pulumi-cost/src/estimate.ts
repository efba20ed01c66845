import { type Money, type PriceTable, ZERO } from "@platform/prices";
import { componentsTotal } from "./components.js";
import type { CostEstimate, CostRow, EstimateOptions } from "./cost-estimate.js";
import { type PricedInput, sameResource } from "./inputs.js";
import type { ChangeKind, ResourceChange } from "./preview.js";
import type { ResourcePrice } from "./pricers/types.js";
import { priceSide, type Side } from "./side.js";
import { summarise } from "./summary.js";

export type {
  CostEstimate,
  CostRow,
  EstimateOptions,
  PriceClass,
  UsageLine,
  WorkloadRow,
} from "./cost-estimate.js";
export { classify } from "./cost-estimate.js";

export const SCALE_OUT_TYPE = "autoscaler:nodes";

/** A price shared by both sides of an unchanged resource is totalled once (and is then the same figure). */
const monthlies = new WeakMap<ResourcePrice, Money>();
export function monthlyOf(price: ResourcePrice | undefined): Money {
  if (!price) return ZERO;
  let monthly = monthlies.get(price);
  if (!monthly) {
    monthly = componentsTotal(price.components);
    monthlies.set(price, monthly);
  }
  return monthly;
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
  const twinOf = new Map<PricedInput, PricedInput>();
  for (const change of changes) {
    if (change.before) beforeAll.push(change.before);
    if (change.after) afterAll.push(change.after);
    if (change.before && change.after && sameResource(change.before, change.after))
      twinOf.set(change.after, change.before);
  }
  const before = priceSide(beforeAll, table, options, "before");
  // Most of a preview is unchanged: a resource priced by itself alone is priced once, for both sides.
  const after = priceSide(afterAll, table, options, "after", { side: before, twinOf });
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
