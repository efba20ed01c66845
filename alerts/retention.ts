/**
 * How far back the rules read: the longest look-back of any rule expression (range selectors, subqueries and
 * offsets, nested as written; an instant selector looks back Prometheus's 5-minute lookback delta). The
 * Prometheus that evaluates the rules must keep at least that much; beyond it, history belongs to the
 * long-term store. Read from the rule files themselves, parsed by Prometheus's own PromQL grammar
 * (@prometheus-io/lezer-promql), so a new window in a rule moves the retention with it.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";

/** A node of the parsed expression (the grammar's own type, whichever module system loads it). */
type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

/** Prometheus's default `--query.lookback-delta`: how far back an instant selector finds a sample. */
const LOOKBACK_DELTA_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
  y: 365 * DAY_MS,
};

/** A PromQL duration (`90s`, `1h30m`, `3d`) in milliseconds. */
export function promDurationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|[smhdwy])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new Error(`not a PromQL duration: ${text}`);
  }
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_MS[unit as string] as number), 0);
}

const childrenOf = (node: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
};

/** The look-back of one expression node, in milliseconds. */
function lookbackOf(node: SyntaxNode, text: string): number {
  const of = (child: SyntaxNode) => lookbackOf(child, text);
  const duration = (child: SyntaxNode | undefined) =>
    child ? promDurationMs(text.slice(child.from, child.to)) : 0;
  const children = childrenOf(node);
  switch (node.name) {
    case "VectorSelector":
      return LOOKBACK_DELTA_MS;
    case "MatrixSelector":
      return duration(children.find((c) => c.name === "DurationExpr"));
    case "SubqueryExpr": {
      const [inner, range] = children;
      return (inner ? of(inner) : 0) + duration(range);
    }
    case "OffsetExpr": {
      const [inner] = children;
      return (inner ? of(inner) : 0) + duration(children.find((c) => c.name === "OffsetDurationExpr"));
    }
    default:
      return Math.max(0, ...children.map(of));
  }
}

/** How far back one PromQL expression reads, in milliseconds; throws on an expression that does not parse. */
export function expressionLookbackMs(expr: string): number {
  const tree = parser.parse(expr);
  let error: SyntaxNode | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && !error) error = node.node;
    },
  });
  if (error) throw new Error(`PromQL does not parse at ${error.from}: ${expr}`);
  return lookbackOf(tree.topNode, expr);
}

/** The longest look-back of any rule in these rule files (name → YAML), with the rule that has it. */
export function longestLookback(files: Record<string, string>): { ms: number; rule: string; file: string } {
  let longest = { ms: 0, rule: "", file: "" };
  for (const [file, text] of Object.entries(files)) {
    const doc = parse(text) as { groups: { rules: { expr: string; record?: string; alert?: string }[] }[] };
    for (const rule of doc.groups.flatMap((g) => g.rules)) {
      const ms = expressionLookbackMs(rule.expr);
      if (ms > longest.ms) longest = { ms, rule: rule.record ?? rule.alert ?? "", file };
    }
  }
  return longest;
}

/** A look-back as a retention Prometheus takes, in whole days, rounded up (`3d`). */
export const retentionFor = (lookbackMs: number): string => `${Math.ceil(lookbackMs / DAY_MS)}d`;

/** The retention a Prometheus evaluating these rules needs: their longest look-back in whole days. */
export const retentionForRules = (files: Record<string, string>): string =>
  retentionFor(longestLookback(files).ms);
