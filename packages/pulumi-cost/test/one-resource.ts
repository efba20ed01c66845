import type { CostConfigInput } from "../src/config.js";
import { estimateOf, step } from "./fixtures.js";

/** One resource created alone: its monthly total, its lines' arithmetic, its usage lines and what is not priced. */
export function one(type: string, inputs: Record<string, unknown>, config: CostConfigInput = {}, name = "r") {
  const e = estimateOf([step("create", type, name, undefined, inputs)], config);
  const row = e.rows.find((r) => r.name === name);
  return {
    monthly: row?.afterMonthly.toFixed(2),
    lines: row?.after?.components.map((c) => `${c.name.plain}: ${c.arithmetic.plain}`) ?? [],
    usage: e.usage.lines.map((l) => ({
      item: l.charge.item.plain,
      unitPrice: l.charge.unitPrice.toFixed(),
      estimate: l.charge.estimate?.monthly.toFixed(2),
    })),
    notPriced: e.notPriced.map((t) => t.plain),
    atLeast: e.atLeast,
    counts: e.counts,
  };
}
