import { describe, expect, it } from "vitest";
import { autoDecimals, cssColor, formatTick, formatValue, mappedValue, thresholdColor } from "./units.js";

describe("values in Grafana's units", () => {
  it("picks the decimals a value needs, as Grafana does when a panel sets none", () => {
    expect(autoDecimals(12.345)).toBe(1);
    expect(autoDecimals(1.2)).toBe(2);
    expect(autoDecimals(0.0123)).toBe(4);
    expect(autoDecimals(0.0000012)).toBe(8);
    expect(autoDecimals(42)).toBe(0);
    expect(autoDecimals(12_345.6)).toBe(0);
  });

  it.each([
    [0.0123, "percentunit", undefined, "1.23%"],
    [1, "percentunit", undefined, "100%"],
    [0.99912, "percentunit", 3, "99.912%"],
    [0.012, "s", undefined, "12 ms"],
    [0, "s", undefined, "0 s"],
    [0.0042, "s", undefined, "4.20 ms"],
    [95, "s", undefined, "1.58 min"],
    [12.5, "reqps", undefined, "12.5 req/s"],
    [240.5, "currencyUSD", undefined, "$241"],
    [0.42, "currencyUSD", undefined, "$0.420"],
    [1500, "currencyUSD", undefined, "$1.50K"],
    [0.0000012, "currencyUSD", 6, "$0.000001"],
    [-3, "currencyUSD", undefined, "-$3"],
    [1536, "bytes", undefined, "1.50 KiB"],
    [12_345, "short", undefined, "12.3 K"],
    [3.5, "suffix: orders/min", 1, "3.5 orders/min"],
    [2.25, "x", 1, "2.3 x"],
    [7, "none", undefined, "7"],
    [null, "s", undefined, "No data"],
    [Number.POSITIVE_INFINITY, "s", undefined, "+Inf"],
  ])("formats %s in %s (decimals %s) as %s", (value, unit, decimals, text) => {
    expect(formatValue(value, unit, decimals)).toBe(text);
  });

  it("writes axis ticks without trailing zeros unless the panel sets decimals", () => {
    expect([0, 0.5, 1, 1.5].map((v) => formatTick(v, "reqps"))).toEqual([
      "0 req/s",
      "0.5 req/s",
      "1 req/s",
      "1.5 req/s",
    ]);
    expect(formatTick(0.0042, "s")).toBe("4.2 ms");
    expect(formatTick(1500, "currencyUSD")).toBe("$1.5K");
    expect(formatTick(0.5, "percentunit", 1)).toBe("50.0%");
  });

  it("colours a value by its thresholds, the first step being the base", () => {
    const steps = [
      { color: "green", value: null },
      { color: "orange", value: 0.8 },
      { color: "red", value: 1 },
    ];
    expect(thresholdColor(0.5, steps)).toBe("#73BF69");
    expect(thresholdColor(0.8, steps)).toBe("#FF9830");
    expect(thresholdColor(1.2, steps)).toBe("#F2495C");
    expect(thresholdColor(null, steps)).toBe("#73BF69");
    expect(cssColor("#123456")).toBe("#123456");
  });

  it("applies value mappings", () => {
    const mappings = [
      { type: "value", options: { "0": { text: "failed", color: "red" }, "1": { text: "ok" } } },
    ];
    expect(mappedValue(0, mappings)).toEqual({ text: "failed", color: "red" });
    expect(mappedValue(1, mappings)).toEqual({ text: "ok" });
    expect(mappedValue(2, mappings)).toBeUndefined();
  });
});
