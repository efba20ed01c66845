import { centsString, type Money, type PriceTable, percentOf, sum, ZERO } from "@platform/prices";
import type { WorkloadShare } from "./allocation.js";
import {
  type CostEstimate,
  type CostRow,
  classify,
  type EstimateOptions,
  type UsageLine,
  type WorkloadRow,
} from "./cost-estimate.js";
import { liveWarning } from "./live/live-text.js";
import type { ChangeKind } from "./preview.js";
import type { Side } from "./side.js";
import { code, prose, type Text, t } from "./text.js";

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

/** The default locale's order, as String.prototype.localeCompare gives it, without a collator per call. */
const collator = new Intl.Collator();

/** Largest change first, then the largest cost, then by name and type. */
function sortRows(rows: CostRow[]): CostRow[] {
  const amount = (money: Money) => (money.isZero() ? 0 : money.toNumber());
  const keyed = rows.map((row) => {
    // one figure when both sides share a price (an unchanged resource)
    const unchanged = row.afterMonthly === row.beforeMonthly || row.afterMonthly.equals(row.beforeMonthly);
    const delta = unchanged ? 0 : Math.abs(amount(row.afterMonthly.minus(row.beforeMonthly)));
    return { row, delta, after: amount(row.afterMonthly) };
  });
  keyed.sort(
    (a, b) =>
      b.delta - a.delta ||
      b.after - a.after ||
      collator.compare(a.row.name, b.row.name) ||
      collator.compare(a.row.type, b.row.type),
  );
  return keyed.map((k) => k.row);
}

function workloadRows(mode: CostEstimate["mode"], before: Side | undefined, after: Side): WorkloadRow[] {
  const keys = new Set([...(before?.shares.keys() ?? []), ...after.shares.keys()]);
  const shape = (s: WorkloadShare | undefined) =>
    s
      ? `${s.pods}|${s.workload.pod.cpuMillicores}|${s.workload.pod.memoryBytes}|${centsString(s.monthly)}`
      : "";
  const rows: WorkloadRow[] = [...keys].map((key) => {
    const b = before?.shares.get(key);
    const a = after.shares.get(key);
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
  const names = new Map(rows.map((row) => [row, row.name.plain]));
  return rows.sort((x, y) => collator.compare(names.get(x) ?? "", names.get(y) ?? ""));
}

function usageOf(rows: readonly CostRow[], source: string | undefined): CostEstimate["usage"] {
  const lines: UsageLine[] = [];
  for (const row of rows) {
    for (const charge of row.before?.usage ?? []) lines.push({ resource: row.name, charge, side: "before" });
    for (const charge of row.after?.usage ?? []) lines.push({ resource: row.name, charge, side: "after" });
  }
  const total = (side: "before" | "after") =>
    sum(
      lines
        .filter((l) => l.side === side && l.charge.estimate)
        .map((l) => l.charge.estimate?.monthly ?? ZERO),
    );
  return { lines, before: total("before"), after: total("after"), source };
}

/** Texts once each, by their words, in the order first seen. */
function distinct(texts: readonly Text[]): Text[] {
  const seen = new Map<string, Text>();
  for (const text of texts) if (!seen.has(text.plain)) seen.set(text.plain, text);
  return [...seen.values()];
}

function countsOf(resourceRows: readonly CostRow[]) {
  const counts = { resources: resourceRows.length, priced: 0, usage: 0, notPriced: 0, free: 0 };
  const notPriced: Text[] = [];
  let atLeast = false;
  for (const row of resourceRows) {
    counts[classify(row.after ?? row.before)]++;
    const reasons = row.after?.notPriced ?? row.before?.notPriced ?? [];
    if ((row.after?.notPriced.length ?? 0) > 0) atLeast = true;
    for (const reason of reasons) notPriced.push(t`${row.name} (${row.type}): ${reason}`);
  }
  return { counts, notPriced, atLeast };
}

export function summarise(
  mode: CostEstimate["mode"],
  table: PriceTable,
  options: EstimateOptions,
  rows: CostRow[],
  before: Side | undefined,
  after: Side,
): CostEstimate {
  const resourceRows = rows.filter((r) => !r.scaleOut);
  const { counts, notPriced, atLeast: unpriced } = countsOf(resourceRows);
  notPriced.push(...after.unchecked);
  const atLeast = unpriced || after.unchecked.length > 0;
  const totalBefore = sum(rows.map((r) => r.beforeMonthly));
  const totalAfter = sum(rows.map((r) => r.afterMonthly));
  const change: Money = totalAfter.minus(totalBefore);
  const notices = options.config.notices.map(prose);
  const notes = distinct([...notices, ...(before?.notes ?? []), ...after.notes]);
  const resourceWarnings: Text[] = [];
  for (const row of resourceRows) {
    const side = row.after ?? row.before;
    for (const note of side?.notes ?? []) notes.push(t`${row.name}: ${note}`);
    for (const warning of side?.warnings ?? []) resourceWarnings.push(t`${code(row.name)}: ${warning}`);
  }
  const afterWarnings = new Set(after.warnings.map((w) => w.plain));
  const start = options.monthStart.toISOString().slice(0, 10);
  const regions = [...new Set([...(before?.regions ?? []), ...after.regions])].sort();
  return {
    mode,
    stack: options.stack,
    region: options.region ?? regions[0] ?? "unknown",
    regions,
    monthStart: start,
    rows: sortRows(rows),
    totalBefore,
    totalAfter,
    change,
    changePercent: percentOf(change, totalBefore),
    counts,
    notPriced,
    atLeast,
    usage: usageOf(rows, options.config.usage.source),
    workloads: workloadRows(mode, before, after),
    capacity: { before: before?.allocations ?? [], after: after.allocations },
    notices,
    warnings: [
      ...[liveWarning(table.live)].filter((w): w is Text => w !== undefined),
      ...resourceWarnings,
      ...(before?.warnings ?? []).filter((w) => !afterWarnings.has(w.plain)),
      ...after.warnings,
    ],
    notes,
    assumptions: ASSUMPTIONS.map((a) =>
      a.replace("{hours}", table.hoursPerMonth.toFixed()).replace("{start}", start),
    ),
    priceSource: {
      recorded: table.recorded,
      kind: table.source.kind,
      note: table.source.note,
      hoursPerMonth: table.hoursPerMonth,
      currency: table.currency,
      sources: table.sources,
      ...(table.live ? { live: table.live } : {}),
    },
  };
}
