import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryPath } from "@platform/repository";
import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { promDurationMs } from "./retention.js";

const ALERTS_DIR = repositoryPath("alerts");
const FIVE_MINUTES_MS = 5 * 60_000;

/** Every range selector of an expression: the series it names and the window it reads, by PromQL's grammar. */
function rangeSelectors(expr: string): { series: string; windowMs: number }[] {
  const found: { series: string; windowMs: number }[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name !== "MatrixSelector") return;
      const text = (n: { from: number; to: number } | null) => (n ? expr.slice(n.from, n.to) : "");
      const selector = node.node.getChild("VectorSelector");
      const name = selector?.getChild("Identifier") ?? null;
      found.push({
        series: text(name),
        windowMs: promDurationMs(text(node.node.getChild("DurationExpr"))),
      });
    },
  });
  return found;
}

describe("the SLO's long windows", () => {
  const groups = (
    parse(readFileSync(join(ALERTS_DIR, "slo.rules.yml"), "utf8")) as {
      groups: { name: string; rules: { expr: string; record?: string }[] }[];
    }
  ).groups;
  const sli = groups.find((g) => g.name === "slo-sli");
  const selectors = (sli?.rules ?? []).flatMap((r) =>
    rangeSelectors(r.expr).map((s) => ({ ...s, record: r.record })),
  );

  it("read raw request series over five minutes only, so their cost does not grow with pods × window", () => {
    expect(selectors.some((s) => s.windowMs > FIVE_MINUTES_MS)).toBe(true);
    const rawOverLongWindows = selectors.filter(
      (s) => s.windowMs > FIVE_MINUTES_MS && !s.series.includes(":"),
    );
    expect(rawOverLongWindows).toEqual([]);
  });

  it("read only the group's own per-job five-minute rates beyond five minutes", () => {
    const ownFiveMinuteRates = new Set(
      (sli?.rules ?? []).flatMap((r) => (r.record?.endsWith(":rate5m") ? [r.record] : [])),
    );
    const longWindowSeries = new Set(
      selectors.filter((s) => s.windowMs > FIVE_MINUTES_MS).map((s) => s.series),
    );
    expect([...longWindowSeries].filter((s) => !ownFiveMinuteRates.has(s))).toEqual([]);
  });
});
