import type { CostEstimate, CostRow } from "./estimate";
import { formatUnitPrice, type ResourcePrice } from "./pricing";

/** GitHub rejects issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

const CENT = 0.005;

export function dollars(n: number): string {
  const rounded = Math.abs(n) < CENT ? 0 : n;
  return `${rounded < 0 ? "-" : ""}$${Math.abs(rounded).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

function signedDollars(n: number): string {
  if (Math.abs(n) < CENT) return "$0.00";
  return n > 0 ? `+${dollars(n)}` : dollars(n);
}

export function headline(estimate: CostEstimate): string {
  const after = dollars(estimate.totalAfter);
  if (estimate.mode === "stack") return `Estimated monthly cost of stack ${estimate.stack}: ${after}`;
  const delta = estimate.totalAfter - estimate.totalBefore;
  if (Math.abs(delta) < CENT) return `Monthly cost will not change, stays at ${after}`;
  return `Monthly cost will ${delta > 0 ? "rise" : "fall"} by ${dollars(Math.abs(delta))}, to ${after}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function shortType(type: string): string {
  const [provider = "", module = "", kind = type] = type.split(":");
  const service = module.split("/")[0] ?? "";
  return provider === "kubernetes" ? `k8s ${kind}` : `${service} ${kind}`.trim();
}

function describe(price: ResourcePrice | undefined): string {
  if (!price) return "";
  return price.detail || (price.usage.length > 0 ? "usage-based only" : "");
}

const CHANGE_WORD: Record<CostRow["change"], string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
};

function diffRow(row: CostRow): string {
  const before = describe(row.before);
  const after = describe(row.after);
  const detail = before && after && before !== after ? `${before} → ${after}` : after || before;
  return `| \`${cell(row.name)}\` ${CHANGE_WORD[row.change]} | ${cell(shortType(row.type))}${detail ? `: ${cell(detail)}` : ""} | ${dollars(row.beforeMonthly)} | ${dollars(row.afterMonthly)} | ${signedDollars(row.afterMonthly - row.beforeMonthly)} |`;
}

/** Rows worth a line in the table: something costs money, or something could not be priced. */
function shown(row: CostRow): boolean {
  return (
    row.beforeMonthly > 0 ||
    row.afterMonthly > 0 ||
    (row.before?.unpriced.length ?? 0) > 0 ||
    (row.after?.unpriced.length ?? 0) > 0
  );
}

function stackRow(row: CostRow): string {
  const detail = describe(row.after);
  return `| \`${cell(row.name)}\` | ${cell(shortType(row.type))}${detail ? `: ${cell(detail)}` : ""} | ${dollars(row.afterMonthly)} |`;
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
      header: ["| resource | type | monthly |", "| --- | --- | ---: |"],
      rows: estimate.rows.filter(shown).map(stackRow),
      footer: [`| **total** | | **${dollars(estimate.totalAfter)}** |`],
      elision: (n) => `| … ${n} more rows | | |`,
    };
  }
  const changed = estimate.rows.filter((r) => r.change !== "same" && shown(r));
  const same = estimate.rows.filter((r) => r.change === "same" && shown(r));
  const sameTotal = same.reduce((sum, r) => sum + r.afterMonthly, 0);
  const footer = [];
  if (same.length > 0) {
    footer.push(
      `| ${same.length} unchanged priced resource${same.length === 1 ? "" : "s"} | | ${dollars(sameTotal)} | ${dollars(sameTotal)} | $0.00 |`,
    );
  }
  footer.push(
    `| **total** | | **${dollars(estimate.totalBefore)}** | **${dollars(estimate.totalAfter)}** | **${signedDollars(estimate.totalAfter - estimate.totalBefore)}** |`,
  );
  return {
    header: ["| resource | type | before | after | change |", "| --- | --- | ---: | ---: | ---: |"],
    rows: changed.map(diffRow),
    footer,
    elision: (n) => `| … ${n} more rows | | | | |`,
  };
}

function details(summary: string, body: string[]): string {
  return ["<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>"].join("\n");
}

function detailSections(estimate: CostEstimate): string[] {
  const sections: string[] = [];
  if (estimate.usage.length > 0) {
    sections.push(
      details("Charges that depend on usage (not in the total)", [
        "| charge | unit price |",
        "| --- | ---: |",
        ...estimate.usage.map(
          (u) => `| ${cell(u.item)} | ${formatUnitPrice(u.unitPrice)} per ${cell(u.unit)} |`,
        ),
      ]),
    );
  }
  if (estimate.unpriced.length > 0) {
    sections.push(
      details(
        "Not priced",
        estimate.unpriced.map((u) => `- ${cell(u)}`),
      ),
    );
  }
  sections.push(
    details(
      "Assumptions",
      estimate.assumptions.map((a) => `- ${a}`),
    ),
  );
  const source = estimate.priceSource;
  sections.push(
    details("Price table", [
      `Region ${estimate.region}, ${source.currency}, ${source.hoursPerMonth} hours per month. Prices as of: ${source.recorded} (${source.kind}).`,
      "",
      source.note,
    ]),
  );
  return sections;
}

/**
 * The comment body: headline, table, then collapsed details. When it would exceed `maxChars`,
 * details go first (last section first), then table rows from the bottom (the smallest changes),
 * so the headline, the table header and the totals always survive.
 */
export function renderMarkdown(estimate: CostEstimate, maxChars = GITHUB_COMMENT_LIMIT): string {
  const head = [`**${headline(estimate)}**`, ""];
  const scope =
    estimate.mode === "stack"
      ? `Every resource the program creates for stack \`${estimate.stack}\` in ${estimate.region}, at on-demand list prices.`
      : `Stack \`${estimate.stack}\` in ${estimate.region}, at on-demand list prices.`;
  head.push(scope);
  if (estimate.unpriced.length > 0) {
    head.push("", `⚠️ ${estimate.unpriced.length} item(s) could not be priced; see "Not priced" below.`);
  }
  const table = buildTable(estimate);
  const sections = detailSections(estimate);
  const compose = (rows: string[], kept: string[], trimmedNote: boolean): string => {
    const parts = [head.join("\n"), [...table.header, ...rows, ...table.footer].join("\n")];
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
