import { exact, formatSignedUsd, formatUsd, type Money } from "@platform/prices";
import type { Budget } from "./config.js";
import { type CostEstimate, type CostRow, SCALE_OUT_TYPE } from "./estimate.js";
import type { GuardrailOutcome } from "./guardrail.js";
import { CHANGE_WORD, detailSections, plural } from "./markdown-details.js";
import type { ResourcePrice } from "./pricers/types.js";
import { code, codeSpan, joinText, literal, prose, type Text, t, words } from "./text.js";

/** GitHub rejects issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface CommentContext {
  guardrail?: GuardrailOutcome | undefined;
  budget?: Budget | undefined;
  /** the label a maintainer approves a change over the guardrail with */
  approvalLabel?: string;
}

export function headline(estimate: CostEstimate): Text {
  const lowerBound = estimate.atLeast ? "at least " : "";
  const after = literal(`${lowerBound}${formatUsd(estimate.totalAfter)}`);
  if (estimate.mode === "stack") return t`Estimated monthly cost of stack ${estimate.stack}: ${after}`;
  const change = estimate.change;
  if (change.abs().lessThan(exact("0.005"))) {
    return words(
      `Monthly cost will not change, stays ${estimate.atLeast ? "at least" : "at"} ${formatUsd(estimate.totalAfter)}`,
    );
  }
  const percent = estimate.changePercent
    ? ` (${change.isPositive() ? "+" : ""}${estimate.changePercent.toFixed()}%)`
    : "";
  return t`Monthly cost will ${literal(change.isPositive() ? "rise" : "fall")} by ${literal(formatUsd(change.abs()))}${literal(percent)}, to ${after}`;
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

function shortType(type: string): Text {
  if (type === SCALE_OUT_TYPE) return words("nodes the autoscaler adds");
  const [provider = "", module = "", kind = type] = type.split(":");
  const service = module.split("/")[0] ?? "";
  if (provider === "kubernetes") return t`k8s ${kind}`;
  return service ? t`${service} ${kind}` : t`${kind}`;
}

/** Each component's arithmetic, then what could not be priced; `<br>` separated (GitHub renders it in tables). */
function arithmetic(price: ResourcePrice | undefined): string {
  if (!price) return "";
  const lines = price.components.map((c) => t`${c.name}: ${c.arithmetic}`);
  if (lines.length === 0 && price.usage.length > 0) lines.push(words("usage-based only (below)"));
  for (const reason of price.notPriced) lines.push(t`not priced: ${reason}`);
  return lines.map((line) => line.markdown(true)).join("<br>");
}

function detailOf(row: CostRow): string {
  const before = arithmetic(row.before);
  const after = arithmetic(row.after);
  if (before && after && before !== after) return `before: ${before}<br>after: ${after}`;
  return after || before;
}

function diffRow(row: CostRow): string {
  return `| ${codeSpan(row.name, true)} ${CHANGE_WORD[row.change]} | ${shortType(row.type).markdown(true)} | ${detailOf(row)} | ${formatUsd(row.beforeMonthly)} | ${formatUsd(row.afterMonthly)} | ${formatSignedUsd(row.afterMonthly.minus(row.beforeMonthly))} |`;
}

function stackRow(row: CostRow): string {
  return `| ${codeSpan(row.name, true)} | ${shortType(row.type).markdown(true)} | ${detailOf(row)} | ${formatUsd(row.afterMonthly)} |`;
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
  /** the rows, each written out only when the comment has room for it */
  rows: CostRow[];
  row: (row: CostRow) => string;
  footer: string[];
  elision: (hidden: number) => string;
}

function buildTable(estimate: CostEstimate): Table {
  const bound = estimate.atLeast ? "≥ " : "";
  if (estimate.mode === "stack") {
    return {
      header: ["| resource | type | arithmetic | monthly |", "| --- | --- | --- | ---: |"],
      rows: estimate.rows.filter(shown),
      row: stackRow,
      footer: [`| **total** | | | **${bound}${formatUsd(estimate.totalAfter)}** |`],
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
    `| **total** | | | **${formatUsd(estimate.totalBefore)}** | **${bound}${formatUsd(estimate.totalAfter)}** | **${formatSignedUsd(estimate.change)}** |`,
  );
  return {
    header: [
      "| resource | type | arithmetic | before | after | change |",
      "| --- | --- | --- | ---: | ---: | ---: |",
    ],
    rows: changed,
    row: diffRow,
    footer,
    elision: (n) => `| … ${n} more rows | | | | | |`,
  };
}

function guardrailLine(guardrail: GuardrailOutcome | undefined, label: string): Text[] {
  if (!guardrail) return [];
  const labelled = t`with the ${code(label)} label`;
  const stack = code(guardrail.stack);
  const why = words(guardrail.reasons.join("; "));
  const approver = guardrail.approvedBy;
  if (guardrail.firstDeploy && guardrail.budget) {
    const judged = t`First deploy of stack ${stack}: the increase guardrail does not apply; ${literal(formatUsd(guardrail.totalAfter))} of budget ${literal(formatUsd(guardrail.budget.monthlyUsd))} (${prose(guardrail.budget.source)})`;
    if (!guardrail.over) return [t`✅ ${judged}.`];
    return approver
      ? [t`☑️ ${judged}: ${why}, approved by @${approver} ${labelled}.`]
      : [t`❌ ${judged}: ${why}. The preview check fails until a maintainer adds the ${code(label)} label.`];
  }
  const { monthlyIncreaseUsd, monthlyIncreasePercent } = guardrail.thresholds;
  const limits = [
    monthlyIncreaseUsd ? `${formatUsd(monthlyIncreaseUsd)} a month` : "",
    monthlyIncreasePercent ? `${monthlyIncreasePercent.toFixed()}%` : "",
  ]
    .filter(Boolean)
    .join(" or ");
  if (!guardrail.over)
    return [t`✅ Within stack ${stack}'s cost guardrail (an increase of at most ${literal(limits)}).`];
  if (approver)
    return [t`☑️ Over stack ${stack}'s cost guardrail (${why}), approved by @${approver} ${labelled}.`];
  return [
    t`❌ Over stack ${stack}'s cost guardrail: ${why}. The preview check fails until a maintainer adds the ${code(label)} label.`,
  ];
}

function headBlock(estimate: CostEstimate, context: CommentContext): string {
  const head = [`**${headline(estimate).markdown()}**`, ""];
  const regions = estimate.regions.length > 1 ? estimate.regions : [estimate.region];
  const where = joinText(
    regions.map((region) => t`${region}`),
    ", ",
  );
  const scope =
    estimate.mode === "stack"
      ? t`Every resource the program creates for stack ${code(estimate.stack)} in ${where}`
      : t`Stack ${code(estimate.stack)} in ${where}`;
  const live = estimate.priceSource.live?.found.length ?? 0;
  const fetched = live > 0 ? `; ${live} ${live === 1 ? "price" : "prices"} from the AWS Price List API` : "";
  head.push(
    `${scope.markdown()}, at on-demand list prices (price table: ${estimate.priceSource.recorded}${fetched}), for the ${estimate.priceSource.hoursPerMonth.toFixed()} hours from ${estimate.monthStart}. ${countsLine(estimate)}.`,
  );
  const alerts: Text[] = [...guardrailLine(context.guardrail, context.approvalLabel ?? "cost-approved")];
  alerts.push(...estimate.notices.map((notice) => t`ℹ️ ${notice}`));
  // A first deploy's guardrail line already weighs the total against the budget.
  const budgetJudged = context.guardrail?.firstDeploy === true && context.guardrail.budget !== undefined;
  const { budget } = context;
  if (budget && !budgetJudged && estimate.totalAfter.greaterThan(budget.monthlyUsd)) {
    alerts.push(
      t`⚠️ ${literal(formatUsd(estimate.totalAfter))} is above the stack's monthly budget of ${literal(formatUsd(budget.monthlyUsd))} (${prose(budget.source)}).`,
    );
  }
  alerts.push(...estimate.warnings.map((w) => t`⚠️ ${w}`));
  if (estimate.notPriced.length > 0) {
    alerts.push(
      words(`⚠️ ${plural(estimate.notPriced.length, "item")} could not be priced; see "Not priced" below.`),
    );
  }
  if (alerts.length > 0) head.push("", ...alerts.map((a) => `- ${a.markdown()}`));
  return head.join("\n");
}

const TRIMMED = "_Some details were left out to fit GitHub's comment size limit._";

/**
 * The comment body: headline, warnings, table, then collapsed details. When it would exceed `maxChars`,
 * details go first (last section first), then table rows from the bottom (the smallest changes), so the
 * headline, the warnings, the table header and the totals always survive. Rows and sections are written out
 * only while they fit: a preview of thousands of changes costs what the comment shows.
 */
export function renderMarkdown(
  estimate: CostEstimate,
  maxChars = GITHUB_COMMENT_LIMIT,
  context: CommentContext = {},
): string {
  const head = headBlock(estimate, context);
  const table = buildTable(estimate);
  const compose = (rows: string[], kept: string[], trimmedNote: boolean): string => {
    const parts = [head, [...table.header, ...rows, ...table.footer].join("\n")];
    if (kept.length > 0) parts.push(kept.join("\n\n"));
    if (trimmedNote) parts.push(TRIMMED);
    return `${parts.join("\n\n")}\n`;
  };
  // Rows while they fit beside the note that details were left out; past that, rows are trimmed too.
  const base = compose([], [], true).length;
  const rows: string[] = [];
  let used = 0;
  for (const row of table.rows) {
    const line = table.row(row);
    if (base + used + line.length + 1 > maxChars) break;
    rows.push(line);
    used += line.length + 1;
  }
  if (rows.length < table.rows.length) return trimmedRows(table, rows, compose, maxChars);
  const withRows = compose(rows, [], false).length;
  const kept: string[] = [];
  let length = withRows;
  for (const section of detailSections(estimate)) {
    const text = section(maxChars - length - 2);
    if (text === undefined) return fewerSections(rows, kept, compose, maxChars);
    kept.push(text);
    length += text.length + 2;
  }
  return compose(rows, kept, false);
}

/** Every row fits, not every section: as many sections as fit with the note that some were left out. */
function fewerSections(
  rows: string[],
  kept: string[],
  compose: (rows: string[], kept: string[], trimmed: boolean) => string,
  maxChars: number,
): string {
  for (let keep = kept.length; keep >= 0; keep--) {
    const body = compose(rows, kept.slice(0, keep), true);
    if (body.length <= maxChars) return body;
  }
  return compose(rows, [], true);
}

/** Not every row fits: the most rows that do, with the line that says how many more there are. */
function trimmedRows(
  table: Table,
  candidates: string[],
  compose: (rows: string[], kept: string[], trimmed: boolean) => string,
  maxChars: number,
): string {
  const total = table.rows.length;
  let count = candidates.length;
  const body = (n: number) => compose([...candidates.slice(0, n), table.elision(total - n)], [], true);
  while (count > 0 && body(count).length > maxChars) count--;
  return body(count);
}
