import { describe, expect, it } from "vitest";
import { DECIMAL_TEXT, MAX_TIMER_MS, parseDecimal, UNSIGNED_DECIMAL_TEXT } from "./index.js";

describe("the decimal-text rule", () => {
  it("takes digits with an optional fraction, a minus only where a sign is allowed", () => {
    for (const text of ["0", "8080", "0.0104", "-3", "-0.25"])
      expect(DECIMAL_TEXT.test(text), text).toBe(true);
    expect(UNSIGNED_DECIMAL_TEXT.test("0.0104")).toBe(true);
    expect(UNSIGNED_DECIMAL_TEXT.test("-3")).toBe(false);
  });

  // Number() reads every one of these as a number.
  it.each(["0x10", "1e3", "+1", ".5", "5.", "", " ", "1_000", "Infinity", "1,5"])("refuses %j", (text) => {
    expect(DECIMAL_TEXT.test(text)).toBe(false);
    expect(parseDecimal(text)).toBeUndefined();
  });

  it("reads the number a text means; whole numbers only when asked, and nothing that overflows", () => {
    expect(parseDecimal("0.25")).toBe(0.25);
    expect(parseDecimal("-3", { int: true })).toBe(-3);
    expect(parseDecimal("8080.0", { int: true })).toBeUndefined();
    expect(parseDecimal("9".repeat(400))).toBeUndefined();
  });
});

describe("the longest timer", () => {
  it("is the longest delay setTimeout keeps: one millisecond more overflows (and would fire at once)", async () => {
    const overflows = async (ms: number) => {
      const warnings: string[] = [];
      const listen = (warning: Error) => warnings.push(warning.name);
      process.on("warning", listen);
      clearTimeout(setTimeout(() => {}, ms));
      await new Promise((resolve) => setImmediate(resolve));
      process.off("warning", listen);
      return warnings.includes("TimeoutOverflowWarning");
    };
    expect(await overflows(MAX_TIMER_MS)).toBe(false);
    expect(await overflows(MAX_TIMER_MS + 1)).toBe(true);
  });
});
