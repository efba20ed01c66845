import { exact, type Money } from "@platform/prices";

/**
 * Bytes in MiB and GiB as exact decimal text, as Decimal writes them. A count of bytes is almost always a whole
 * number below 2^53: then plain integer arithmetic gives the same digits without a Decimal division (thousands
 * per report); anything else takes the Decimal way.
 */

/** A whole number of bytes below 2^53, or undefined. */
function safeBytes(bytes: number | Money): number | undefined {
  const n = typeof bytes === "number" ? bytes : bytes.isInteger() ? bytes.toNumber() : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** bytes ÷ 2^20, every digit: "128", "0.5". */
export function mibText(bytes: number | Money): string {
  const n = safeBytes(bytes);
  // A whole quotient of a safe integer by a power of two is exact in a double and printed in full.
  if (n !== undefined && n % 2 ** 20 === 0) return String(n / 2 ** 20);
  return (typeof bytes === "number" ? exact(bytes) : bytes).dividedBy(2 ** 20).toFixed();
}

/** bytes ÷ 2^30 rounded half up to two decimals, without trailing zeros: "62.5", "7.81", "4". */
export function gibText(bytes: number | Money): string {
  const n = safeBytes(bytes);
  const hundredths = n === undefined ? undefined : n * 100;
  if (hundredths === undefined || !Number.isSafeInteger(hundredths)) {
    return (typeof bytes === "number" ? exact(bytes) : bytes)
      .dividedBy(2 ** 30)
      .toDecimalPlaces(2)
      .toFixed();
  }
  const whole = Math.floor(hundredths / 2 ** 30);
  const rest = hundredths - whole * 2 ** 30;
  const rounded = rest * 2 >= 2 ** 30 ? whole + 1 : whole;
  const units = Math.floor(rounded / 100);
  const cents = rounded % 100;
  if (cents === 0) return String(units);
  return cents % 10 === 0 ? `${units}.${cents / 10}` : `${units}.${String(cents).padStart(2, "0")}`;
}
