import {
  exact,
  formatQuantity,
  formatSignedUsd,
  formatUnitPrice,
  formatUsd,
  type Money,
} from "@platform/prices";
import type { NodeGroupAllocation } from "./allocation.js";
import { gibText, mibText } from "./binary-units.js";
import type { CostEstimate, WorkloadRow } from "./estimate.js";
import { liveLines } from "./live/live-text.js";
import { code, codeSpan, joinText, literal, prose, type Text, t } from "./text.js";

/** The collapsed sections below the table: workloads and capacity, usage, not priced, notes, assumptions. */

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const CHANGE_WORD = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
} as const;

/** A collapsed section within `room` characters: its lines are made only while they fit. */
export type Section = (room: number) => string | undefined;

export function details(
  summary: string,
  body: Iterable<string>,
  room = Number.POSITIVE_INFINITY,
): string | undefined {
  const lines = ["<details>", `<summary>${summary}</summary>`, ""];
  let length = lines.reduce((total, line) => total + line.length + 1, 0) + "\n</details>".length;
  for (const line of body) {
    length += line.length + 1;
    if (length > room) return undefined;
    lines.push(line);
  }
  lines.push("", "</details>");
  return lines.join("\n");
}

const gib = gibText;

/** As Number.prototype.toLocaleString("en-US"), without a formatter made per call. */
const enUs = new Intl.NumberFormat("en-US");

/**
 * A node group's capacity line is `- <name><side><rest>`: the name and the rest are made once per allocation,
 * since a diff compares every node group's line before and after and then shows some of them.
 */
const lineParts = new WeakMap<NodeGroupAllocation, { name: string; rest: string }>();

function capacityParts(allocation: NodeGroupAllocation): { name: string; rest: string } {
  const cached = lineParts.get(allocation);
  if (cached) return cached;
  const { fit, split } = allocation;
  const type = fit.spec.instanceType ?? "nodes";
  const name = t`${code(fit.nodeGroup.name)}`.markdown();
  const head = t`: ${fit.desired} × ${type} (max ${fit.max})`.markdown();
  let rest: string;
  if (!fit.allocatable || !fit.checked) {
    const why = fit.notes.length > 0 ? joinText(fit.notes, "; ").markdown() : "capacity not known";
    rest = `${head}: ${why}`;
  } else {
    const per = fit.allocatable.allocatable;
    const cpuOf = `${formatQuantity(fit.requested.cpuMillicores)}m of ${enUs.format(per.cpuMillicores * fit.nodes)}m CPU`;
    const memoryOf = `${gib(fit.requested.memoryBytes)} of ${gib(per.memoryMiB * fit.nodes * 2 ** 20)} GiB memory`;
    let verdict = "the requests fit at the desired size";
    if (fit.pendingAtMax > 0)
      verdict = `⚠️ ${plural(fit.pendingAtMax, "pod")} stay Pending even at ${fit.max} nodes`;
    else if (fit.extraNodes > 0)
      verdict = `needs ${plural(fit.extraNodes, "more node")} (${fit.nodes} of at most ${fit.max})`;
    const rates = split
      ? `; ${t`${type}`.markdown()} at ${formatUnitPrice(split.hourly)}/h = ${formatUnitPrice(split.perVcpuHour)}/vCPU-h + ${formatUnitPrice(split.perGiBHour)}/GiB-h; nodes ${formatUsd(allocation.nodesMonthly)}, requested ${formatUsd(allocation.allocated)}, idle ${formatUsd(allocation.idle)}`
      : "";
    rest = `${head}, each node ${per.cpuMillicores}m CPU, ${gib(per.memoryMiB * 2 ** 20)} GiB, ${per.pods} pods allocatable; ${plural(fit.pods, "pod")} plus ${plural(fit.daemonSets.length, "DaemonSet pod")} per node request ${cpuOf} and ${memoryOf} on ${fit.nodes} nodes: ${verdict}${rates}.`;
  }
  const parts = { name, rest };
  lineParts.set(allocation, parts);
  return parts;
}

function capacityLine(allocation: NodeGroupAllocation, side: string): string {
  const { name, rest } = capacityParts(allocation);
  return `- ${name}${side}${rest}`;
}

function workloadRow(row: WorkloadRow): string {
  const describe = (share: WorkloadRow["before"]) =>
    share
      ? `${share.pods} × (${share.workload.pod.cpuMillicores}m, ${mibText(share.workload.pod.memoryBytes)} MiB)`
      : "";
  const b = describe(row.before);
  const a = describe(row.after);
  const pods = b && a && b !== a ? `${b} → ${a}` : a || b;
  const arithmetic = ((row.after ?? row.before)?.components ?? []).map((c) =>
    t`${c.name}: ${c.arithmetic}`.markdown(true),
  );
  const before = row.before?.monthly ?? exact(0);
  const after = row.after?.monthly ?? exact(0);
  return `| ${row.name.markdown(true)} ${CHANGE_WORD[row.change]} | ${row.kind} | ${pods} | ${arithmetic.join("<br>")} | ${formatUsd(before)} | ${formatUsd(after)} | ${formatSignedUsd(after.minus(before))} |`;
}

/** Equal and with the same sign: what formats the same way (-0 and 0 do not). */
const same = (a: Money, b: Money) => a.eq(b) && a.isNegative() === b.isNegative();

/**
 * Whether two allocations show the same figures in every field their capacity line reads, so their lines are
 * the same without being made (most node groups of a diff are unchanged); when not, the lines are compared.
 */
function sameFigures(a: NodeGroupAllocation, b: NodeGroupAllocation): boolean {
  const [x, y] = [a.fit, b.fit];
  if (
    x.nodeGroup.name !== y.nodeGroup.name ||
    x.spec.instanceType !== y.spec.instanceType ||
    x.desired !== y.desired ||
    x.max !== y.max ||
    x.checked !== y.checked ||
    x.nodes !== y.nodes ||
    x.pods !== y.pods ||
    x.daemonSets.length !== y.daemonSets.length ||
    x.pendingAtMax !== y.pendingAtMax ||
    x.extraNodes !== y.extraNodes ||
    x.notes.length > 0 ||
    y.notes.length > 0
  ) {
    return false;
  }
  const [p, q] = [x.allocatable?.allocatable, y.allocatable?.allocatable];
  if (!p || !q) return false;
  if (p.cpuMillicores !== q.cpuMillicores || p.memoryMiB !== q.memoryMiB || p.pods !== q.pods) return false;
  if (!same(x.requested.cpuMillicores, y.requested.cpuMillicores)) return false;
  if (!same(x.requested.memoryBytes, y.requested.memoryBytes)) return false;
  const [s, r] = [a.split, b.split];
  if (!s !== !r) return false;
  if (s && r) {
    if (!same(s.hourly, r.hourly) || !same(s.perVcpuHour, r.perVcpuHour) || !same(s.perGiBHour, r.perGiBHour))
      return false;
  }
  return same(a.nodesMonthly, b.nodesMonthly) && same(a.allocated, b.allocated) && same(a.idle, b.idle);
}

function sameLine(a: NodeGroupAllocation, b: NodeGroupAllocation): boolean {
  if (sameFigures(a, b)) return true;
  const x = capacityParts(a);
  const y = capacityParts(b);
  return x.name === y.name && x.rest === y.rest;
}

function* capacityLines(estimate: CostEstimate): Generator<string> {
  const { before, after } = estimate.capacity;
  if (estimate.mode === "diff" && before.length > 0) {
    const afterLines = new Map(after.map((a) => [a.fit.nodeGroup.name, a]));
    for (const b of before) {
      const a = afterLines.get(b.fit.nodeGroup.name);
      if (!a || !sameLine(a, b)) yield capacityLine(b, " before");
    }
  }
  for (const a of after) yield capacityLine(a, estimate.mode === "diff" ? " after" : "");
}

function workloadSection(estimate: CostEstimate): Section | undefined {
  const rows =
    estimate.mode === "stack" ? estimate.workloads : estimate.workloads.filter((w) => w.change !== "same");
  const hasCapacity =
    estimate.capacity.after.length > 0 || (estimate.mode === "diff" && estimate.capacity.before.length > 0);
  if (rows.length === 0 && !hasCapacity) return undefined;
  function* body(): Generator<string> {
    const capacity = capacityLines(estimate);
    const first = capacity.next();
    if (!first.done) {
      yield* ["Node capacity:", "", first.value];
      yield* capacity;
      yield "";
    }
    if (rows.length > 0) {
      yield "Requests × pods as a share of the node's price (a share of nodes already in the total, not added to it):";
      yield* [
        "",
        "| workload | kind | pods × (CPU, memory) requested | arithmetic | before | after | change |",
      ];
      yield "| --- | --- | --- | --- | ---: | ---: | ---: |";
      for (const row of rows) yield workloadRow(row);
    }
  }
  const changed = estimate.mode === "stack" ? "" : `: ${plural(rows.length, "workload")} changed`;
  return (room) => details(`Kubernetes workloads and node capacity${changed}`, body(), room);
}

function usageSection(estimate: CostEstimate): Section | undefined {
  const lines = estimate.usage.lines.filter((l) => l.side === "after" || estimate.mode === "stack");
  const shownLines = lines.length > 0 ? lines : estimate.usage.lines;
  if (shownLines.length === 0) return undefined;
  const total =
    estimate.mode === "diff"
      ? `${formatUsd(estimate.usage.after)} a month (before: ${formatUsd(estimate.usage.before)})`
      : `${formatUsd(estimate.usage.after)} a month`;
  const source = estimate.usage.source;
  const summary = source
    ? `Usage-based charges, estimated from ${prose(source).markdown()}: ${total}, not in the total`
    : "Usage-based charges, not in the total (no usage configured: unit prices only)";
  function* body(): Generator<string> {
    yield* ["| charge | resource | unit price | estimate |", "| --- | --- | ---: | --- |"];
    for (const l of shownLines) {
      const estimateText = l.charge.estimate
        ? t`${l.charge.estimate.arithmetic} (${l.charge.basis ?? literal("usage file")})`.markdown(true)
        : "no usage given";
      yield `| ${l.charge.item.markdown(true)} | ${codeSpan(l.resource, true)} | ${formatUnitPrice(l.charge.unitPrice)} per ${l.charge.unit} | ${estimateText} |`;
    }
  }
  return (room) => details(summary, body(), room);
}

function* bullets(texts: readonly Text[]): Generator<string> {
  for (const text of texts) yield `- ${text.markdown()}`;
}

/** The collapsed sections in the order they are dropped last to first when the comment is too long. */
export function detailSections(estimate: CostEstimate): Section[] {
  const sections: Section[] = [];
  const workloads = workloadSection(estimate);
  if (workloads) sections.push(workloads);
  const usage = usageSection(estimate);
  if (usage) sections.push(usage);
  if (estimate.notPriced.length > 0)
    sections.push((room) =>
      details(`Not priced (${estimate.notPriced.length})`, bullets(estimate.notPriced), room),
    );
  if (estimate.notes.length > 0) sections.push((room) => details("Notes", bullets(estimate.notes), room));
  sections.push((room) =>
    details(
      "Assumptions",
      estimate.assumptions.map((a) => `- ${a}`),
      room,
    ),
  );
  const source = estimate.priceSource;
  const regions = estimate.regions.length > 1 ? estimate.regions : [estimate.region];
  const where = joinText(
    regions.map((region) => t`${region}`),
    ", ",
  ).markdown();
  const table = [
    `${regions.length > 1 ? "Regions" : "Region"} ${where}, ${source.currency}, ${source.hoursPerMonth.toFixed()} hours per month. Prices as of ${source.recorded} (${source.kind}).`,
    "",
    source.note,
    "",
    // A price table may come from a file (--prices): its words are shown, never its links or markup.
    ...source.sources.map(
      (s) =>
        `- ${prose(s.what).markdown()}: ${prose(s.source).markdown()} (read ${prose(s.read).markdown()})`,
    ),
    ...(source.live ? liveLines(source.live) : []),
  ];
  sections.push((room) => details("Price table", table, room));
  return sections;
}
