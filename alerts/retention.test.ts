import { describe, expect, it } from "vitest";
import { loadDefaultThresholds } from "../thresholds/thresholds";
import { expressionLookbackMs, longestLookback, promDurationMs, retentionForRules } from "./retention";
import { buildRuleFiles } from "./rule-files";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("how far back the rules read", () => {
  it("adds ranges, subqueries and offsets as they nest; an instant selector looks back 5 minutes", () => {
    expect(expressionLookbackMs("up == 0")).toBe(5 * MIN);
    expect(expressionLookbackMs("sum by (job) (rate(x[3d]))")).toBe(3 * DAY);
    expect(expressionLookbackMs("rate(x[6h] offset 3m) / rate(y[10m])")).toBe(6 * HOUR + 3 * MIN);
    expect(expressionLookbackMs("last_over_time(avg_over_time(x[1d])[1d:1d])")).toBe(2 * DAY);
    expect(expressionLookbackMs("max_over_time(x[1h:5m]) offset 1d")).toBe(DAY + HOUR + 5 * MIN);
    expect(promDurationMs("1h30m")).toBe(90 * MIN);
    expect(() => expressionLookbackMs("rate(x[5m]")).toThrow(/does not parse/);
    expect(() => promDurationMs("5 minutes")).toThrow(/not a PromQL duration/);
  });

  it("the committed rules need seven days: the right-sizing window (the SLO's slowest burn rate reads three)", () => {
    const files = buildRuleFiles(loadDefaultThresholds());
    expect(longestLookback(files)).toMatchObject({ ms: 7 * DAY, file: "rightsize.rules.yml" });
    expect(retentionForRules(files)).toBe("7d");
    const { "rightsize.rules.yml": _rightsize, ...others } = files;
    expect(longestLookback(others)).toMatchObject({ ms: 3 * DAY, file: "slo.rules.yml" });
  });

  it("a longer window in any rule moves the retention with it", () => {
    const files = {
      "x.rules.yml":
        "groups:\n  - name: x\n    rules:\n      - record: a\n        expr: avg_over_time(b[8d])\n",
    };
    expect(retentionForRules(files)).toBe("8d");
  });
});
