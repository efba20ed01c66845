import { exact, formatSignedUsd, formatUnitPrice, formatUsd, type Money } from "@platform/prices";
import type { NodeGroupAllocation } from "./allocation";
import type { CostEstimate, CostRow, WorkloadRow } from "./estimate";
import type { GuardrailOutcome } from "./guardrail";
import type { ResourcePrice } from "./pricers/types";
import type { Budget } from "./report";

/** GitHub rejects issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface CommentContext {
  guardrail?: GuardrailOutcome | undefined;
  budget?: Budget | undefined;
  /** the usage file's path as a reader of the repository sees it */
  usageFileLabel?: string;
  /** what the stack's kind means for the estimate, said at the top */
  scopeNote?: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function headline(estimate: CostEstimate): string {
  const lowerBound = estimate.atLeast ? "at least " : "";
  const after = `${lowerBound}${formatUsd(estimate.totalAfter)}`;
  if (estimate.mode === "stack") return `Estimated monthly cost of stack ${estimate.stack}: ${after}`;
  const change = estimate.change;
  if (change.abs().lessThan(exact("0.005"))) {
    return `Monthly cost will not change, stays ${estimate.atLeast ? "at least" : "at"} ${formatUsd(estimate.totalAfter)}`;
  }
  const percent = estimate.changePercent
    ? ` (${change.isPositive() ? "+" : ""}${estimate.changePercent.toFixed()}%)`
    : "";
  return `Monthly cost will ${change.isPositive() ? "rise" : "fall"} by ${formatUsd(change.abs())}${percent}, to ${after}`;
}

/** "89 resources: 6 priced, 2 usage-based only, 80 free, 1 not priced". */
export function countsLine(estimate: CostEstimate): string {
  const { resources, priced, usage, notPriced, free } = estimate.counts;
  const parts = [
    `${priced} priced`,
    usage > 0 ? `${usage} usage-based only` : "",
    `${free} free`,
    notPriced > 0 ? `${notPriced} not priced` : "",
  ].filter(Boolean);
  return `${plural(resources, "resource")}: ${parts.join(", ")}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function shortType(type: string): string {
  if (type === "autoscaler:nodes") return "nodes the autoscaler adds";
  const [provider = "", module = "", kind = type] = type.split(":");
  const service = module.split("/")[0] ?? "";
  return provider === "kubernetes" ? `k8s ${kind}` : `${service} ${kind}`.trim();
}

/** Each component's arithmetic, then what could not be priced; `<br>` separated (GitHub renders it in tables). */
function arithmetic(price: ResourcePrice | undefined): string {
  if (!price) return "";
  const lines = price.components.map((c) => `${c.name}: ${c.arithmetic}`);
  if (lines.length === 0 && price.usage.length > 0) lines.push("usage-based only (below)");
  for (const reason of price.notPriced) lines.push(`not priced: ${reason}`);
  return lines.map(cell).join("<br>");
}

const CHANGE_WORD: Record<CostRow["change"], string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
};

function detailOf(row: CostRow): string {
  const before = arithmetic(row.before);
  const after = arithmetic(row.after);
  if (before && after && before !== after) return `before: ${before}<br>after: ${after}`;
  return after || before;
}

function diffRow(row: CostRow): string {
  return `| \`${cell(row.name)}\` ${CHANGE_WORD[row.change]} | ${cell(shortType(row.type))} | ${detailOf(row)} | ${formatUsd(row.beforeMonthly)} | ${formatUsd(row.afterMonthly)} | ${formatSignedUsd(row.afterMonthly.minus(row.beforeMonthly))} |`;
}

function stackRow(row: CostRow): string {
  return `| \`${cell(row.name)}\` | ${cell(shortType(row.type))} | ${detailOf(row)} | ${formatUsd(row.afterMonthly)} |`;
}

/** Rows worth a line in the table: something costs money, or something could not be priced. */
function shown(row: CostRow): boolean {
  return (
    !row.beforeMonthly.isZero() ||
    !row.afterMonthly.isZero() ||
    (row.before?.notPriced.length ?? 0) > 0 ||
    (row.after?.notPriced.length ?? 0) > 0
  );
}

interface Table {
  header: string[];
  rows: string[];
  footer: string[];
  elision: (hidden: number) => string;
}

function buildTable(estimate: CostEstimate): Table {
  if (estimate.mode === "stack") {
    return {
      header: ["| resource | type | arithmetic | monthly |", "| --- | --- | --- | ---: |"],
      rows: estimate.rows.filter(shown).map(stackRow),
      footer: [`| **total** | | | **${estimate.atLeast ? "≥ " : ""}${formatUsd(estimate.totalAfter)}** |`],
      elision: (n) => `| … ${n} more rows | | | |`,
    };
  }
  const changed = estimate.rows.filter((r) => r.change !== "same" && shown(r));
  const same = estimate.rows.filter((r) => r.change === "same" && shown(r));
  const sameTotal = same.reduce((total: Money, r) => total.plus(r.afterMonthly), exact(0));
  const footer: string[] = [];
  if (same.length > 0) {
    footer.push(
      `| ${plural(same.length, "unchanged priced resource")} | | | ${formatUsd(sameTotal)} | ${formatUsd(sameTotal)} | $0.00 |`,
    );
  }
  footer.push(
    `| **total** | | | **${formatUsd(estimate.totalBefore)}** | **${estimate.atLeast ? "≥ " : ""}${formatUsd(estimate.totalAfter)}** | **${formatSignedUsd(estimate.change)}** |`,
  );
  return {
    header: [
      "| resource | type | arithmetic | before | after | change |",
      "| --- | --- | --- | ---: | ---: | ---: |",
    ],
    rows: changed.map(diffRow),
    footer,
    elision: (n) => `| … ${n} more rows | | | | | |`,
  };
}

function details(summary: string, body: string[]): string {
  return ["<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>"].join("\n");
}

const gib = (bytes: number) =>
  exact(bytes)
    .dividedBy(2 ** 30)
    .toDecimalPlaces(2)
    .toFixed();

function capacityLine(allocation: NodeGroupAllocation, side: string): string {
  const { fit, split } = allocation;
  const type = fit.spec.instanceType ?? "nodes";
  const head = `\`${fit.nodeGroup.name}\`${side}: ${fit.desired} × ${type} (max ${fit.max})`;
  if (!fit.allocatable) return `- ${head}: ${fit.notes.join("; ") || "capacity not known"}`;
  const per = fit.allocatable.allocatable;
  const cpuOf = `${fit.requested.cpuMillicores.toLocaleString("en-US")}m of ${(per.cpuMillicores * fit.nodes).toLocaleString("en-US")}m CPU`;
  const memoryOf = `${gib(fit.requested.memoryBytes)} of ${gib(per.memoryMiB * fit.nodes * 2 ** 20)} GiB memory`;
  let verdict = "the requests fit at the desired size";
  if (fit.pendingAtMax > 0)
    verdict = `⚠️ ${plural(fit.pendingAtMax, "pod")} stay Pending even at ${fit.max} nodes`;
  else if (fit.extraNodes > 0)
    verdict = `needs ${plural(fit.extraNodes, "more node")} (${fit.nodes} of at most ${fit.max})`;
  const rates = split
    ? `; ${type} at ${formatUnitPrice(split.hourly)}/h = ${formatUnitPrice(split.perVcpuHour)}/vCPU-h + ${formatUnitPrice(split.perGiBHour)}/GiB-h; nodes ${formatUsd(allocation.nodesMonthly)}, requested ${formatUsd(allocation.allocated)}, idle ${formatUsd(allocation.idle)}`
    : "";
  return `- ${head}, each node ${per.cpuMillicores}m CPU, ${gib(per.memoryMiB * 2 ** 20)} GiB, ${per.pods} pods allocatable; ${plural(fit.pods, "pod")} plus ${plural(fit.daemonSets.length, "DaemonSet pod")} per node request ${cpuOf} and ${memoryOf} on ${fit.nodes} nodes: ${verdict}${rates}.`;
}

function workloadRow(row: WorkloadRow): string {
  const describe = (share: WorkloadRow["before"]) =>
    share
      ? `${share.pods} × (${share.workload.pod.cpuMillicores}m, ${exact(share.workload.pod.memoryBytes)
          .dividedBy(2 ** 20)
          .toFixed()} MiB)`
      : "";
  const b = describe(row.before);
  const a = describe(row.after);
  const pods = b && a && b !== a ? `${b} → ${a}` : a || b;
  const arithmeticOf = (row.after ?? row.before)?.components.map((c) => `${c.name}: ${c.arithmetic}`) ?? [];
  const before = row.before?.monthly ?? exact(0);
  const after = row.after?.monthly ?? exact(0);
  return `| ${cell(row.name)} ${CHANGE_WORD[row.change]} | ${row.kind} | ${pods} | ${arithmeticOf.map(cell).join("<br>")} | ${formatUsd(before)} | ${formatUsd(after)} | ${formatSignedUsd(after.minus(before))} |`;
}

function workloadSection(estimate: CostEstimate): string | undefined {
  const rows =
    estimate.mode === "stack" ? estimate.workloads : estimate.workloads.filter((w) => w.change !== "same");
  const capacity = [
    ...estimate.capacity.before
      .filter(
        (b) =>
          estimate.mode === "diff" &&
          !estimate.capacity.after.some(
            (a) =>
              a.fit.nodeGroup.name === b.fit.nodeGroup.name && capacityLine(a, "") === capacityLine(b, ""),
          ),
      )
      .map((a) => capacityLine(a, " before")),
    ...estimate.capacity.after.map((a) => capacityLine(a, estimate.mode === "diff" ? " after" : "")),
  ];
  if (rows.length === 0 && capacity.length === 0) return undefined;
  const body: string[] = [];
  if (capacity.length > 0) body.push("Node capacity:", "", ...capacity, "");
  if (rows.length > 0) {
    body.push(
      "Requests × pods as a share of the node's price (a share of nodes already in the total, not added to it):",
      "",
      "| workload | kind | pods × (CPU, memory) requested | arithmetic | before | after | change |",
      "| --- | --- | --- | --- | ---: | ---: | ---: |",
      ...rows.map(workloadRow),
    );
  }
  const changed = estimate.mode === "stack" ? "" : `: ${plural(rows.length, "workload")} changed`;
  return details(`Kubernetes workloads and node capacity${changed}`, body);
}

function usageSection(estimate: CostEstimate, context: CommentContext): string | undefined {
  const lines = estimate.usage.lines.filter((l) => l.side === "after" || estimate.mode === "stack");
  const shownLines = lines.length > 0 ? lines : estimate.usage.lines;
  if (shownLines.length === 0) return undefined;
  const file = context.usageFileLabel ?? "the usage file";
  const total =
    estimate.mode === "diff"
      ? `${formatUsd(estimate.usage.after)} a month (before: ${formatUsd(estimate.usage.before)})`
      : `${formatUsd(estimate.usage.after)} a month`;
  return details(`Usage-based charges, estimated from ${file}: ${total}, not in the total`, [
    "| charge | resource | unit price | estimate |",
    "| --- | --- | ---: | --- |",
    ...shownLines.map(
      (l) =>
        `| ${cell(l.charge.item)} | \`${cell(l.resource)}\` | ${formatUnitPrice(l.charge.unitPrice)} per ${cell(l.charge.unit)} | ${
          l.charge.estimate
            ? cell(`${l.charge.estimate.arithmetic} (${l.charge.basis ?? "usage file"})`)
            : "no usage given"
        } |`,
    ),
  ]);
}

function detailSections(estimate: CostEstimate, context: CommentContext): string[] {
  const sections: string[] = [];
  const workloads = workloadSection(estimate);
  if (workloads) sections.push(workloads);
  const usage = usageSection(estimate, context);
  if (usage) sections.push(usage);
  if (estimate.notPriced.length > 0) {
    sections.push(
      details(
        `Not priced (${estimate.notPriced.length})`,
        estimate.notPriced.map((u) => `- ${cell(u)}`),
      ),
    );
  }
  if (estimate.notes.length > 0)
    sections.push(
      details(
        "Notes",
        estimate.notes.map((n) => `- ${cell(n)}`),
      ),
    );
  sections.push(
    details(
      "Assumptions",
      estimate.assumptions.map((a) => `- ${a}`),
    ),
  );
  const source = estimate.priceSource;
  sections.push(
    details("Price table", [
      `Region ${estimate.region}, ${source.currency}, ${source.hoursPerMonth.toFixed()} hours per month. Prices as of ${source.recorded} (${source.kind}).`,
      "",
      source.note,
      "",
      ...source.sources.map((s) => `- ${cell(s.what)}: ${cell(s.source)} (read ${s.read})`),
    ]),
  );
  return sections;
}

function guardrailLines(guardrail: GuardrailOutcome | undefined): string[] {
  if (!guardrail) return [];
  if (guardrail.firstDeploy && guardrail.budget) {
    const judged = `First deploy of stack \`${guardrail.stack}\`: the increase guardrail does not apply; ${formatUsd(guardrail.totalAfter)} of budget ${formatUsd(guardrail.budget.monthlyUsd)} (${guardrail.budget.source})`;
    if (!guardrail.over) return [`✅ ${judged}.`];
    const why = guardrail.reasons.join("; ");
    return guardrail.approvedBy
      ? [`☑️ ${judged}: ${why}, approved by @${guardrail.approvedBy} with the \`cost-approved\` label.`]
      : [
          `❌ ${judged}: ${why}. The preview check fails until a maintainer adds the \`cost-approved\` label.`,
        ];
  }
  const limits = [
    guardrail.thresholds.monthlyIncreaseUsd
      ? `${formatUsd(guardrail.thresholds.monthlyIncreaseUsd)} a month`
      : "",
    guardrail.thresholds.monthlyIncreasePercent
      ? `${guardrail.thresholds.monthlyIncreasePercent.toFixed()}%`
      : "",
  ]
    .filter(Boolean)
    .join(" or ");
  if (!guardrail.over)
    return [`✅ Within stack \`${guardrail.stack}\`'s cost guardrail (an increase of at most ${limits}).`];
  const why = guardrail.reasons.join("; ");
  if (guardrail.approvedBy) {
    return [
      `☑️ Over stack \`${guardrail.stack}\`'s cost guardrail (${why}), approved by @${guardrail.approvedBy} with the \`cost-approved\` label.`,
    ];
  }
  return [
    `❌ Over stack \`${guardrail.stack}\`'s cost guardrail: ${why}. The preview check fails until a maintainer adds the \`cost-approved\` label.`,
  ];
}

function headBlock(estimate: CostEstimate, context: CommentContext): string {
  const head = [`**${headline(estimate)}**`, ""];
  const scope =
    estimate.mode === "stack"
      ? `Every resource the program creates for stack \`${estimate.stack}\` in ${estimate.region}`
      : `Stack \`${estimate.stack}\` in ${estimate.region}`;
  head.push(
    `${scope}, at on-demand list prices (price table: ${estimate.priceSource.recorded}), for the ${estimate.priceSource.hoursPerMonth.toFixed()} hours from ${estimate.monthStart}. ${countsLine(estimate)}.`,
  );
  const alerts: string[] = [...guardrailLines(context.guardrail)];
  if (context.scopeNote) alerts.push(`ℹ️ ${context.scopeNote}`);
  // A first deploy's guardrail line already weighs the total against the budget.
  const budgetJudged = context.guardrail?.firstDeploy === true && context.guardrail.budget !== undefined;
  if (context.budget && !budgetJudged && estimate.totalAfter.greaterThan(context.budget.monthlyUsd)) {
    alerts.push(
      `⚠️ ${formatUsd(estimate.totalAfter)} is above the stack's monthly budget of ${formatUsd(context.budget.monthlyUsd)} (${context.budget.source}).`,
    );
  }
  alerts.push(...estimate.warnings.map((w) => `⚠️ ${w}`));
  if (estimate.notPriced.length > 0) {
    alerts.push(
      `⚠️ ${plural(estimate.notPriced.length, "item")} could not be priced; see "Not priced" below.`,
    );
  }
  if (alerts.length > 0) head.push("", ...alerts.map((a) => `- ${a}`));
  return head.join("\n");
}

/**
 * The comment body: headline, warnings, table, then collapsed details. When it would exceed `maxChars`,
 * details go first (last section first), then table rows from the bottom (the smallest changes), so the
 * headline, the warnings, the table header and the totals always survive.
 */
export function renderMarkdown(
  estimate: CostEstimate,
  maxChars = GITHUB_COMMENT_LIMIT,
  context: CommentContext = {},
): string {
  const head = headBlock(estimate, context);
  const table = buildTable(estimate);
  const sections = detailSections(estimate, context);
  const compose = (rows: string[], kept: string[], trimmedNote: boolean): string => {
    const parts = [head, [...table.header, ...rows, ...table.footer].join("\n")];
    if (kept.length > 0) parts.push(kept.join("\n\n"));
    if (trimmedNote) parts.push("_Some details were left out to fit GitHub's comment size limit._");
    return `${parts.join("\n\n")}\n`;
  };
  let body = compose(table.rows, sections, false);
  if (body.length <= maxChars) return body;
  for (let keep = sections.length - 1; keep >= 0; keep--) {
    body = compose(table.rows, sections.slice(0, keep), true);
    if (body.length <= maxChars) return body;
  }
  let low = 0;
  let high = table.rows.length;
  // Binary search for the most rows that fit, with the "… N more rows" line in place.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const candidate = compose(
      [...table.rows.slice(0, mid), table.elision(table.rows.length - mid)],
      [],
      true,
    );
    if (candidate.length <= maxChars) low = mid;
    else high = mid - 1;
  }
  return compose([...table.rows.slice(0, low), table.elision(table.rows.length - low)], [], true);
}
