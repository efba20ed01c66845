/**
 * Cost Explorer answers amounts as decimal strings ("12.3456789012"). Summing them as floats drifts,
 * so amounts are held as integers of 10⁻¹⁰ units (more digits than Cost Explorer sends) and turned into
 * a number only when a metric is written.
 */
export const AMOUNT_DECIMALS = 10;
const SCALE = 10n ** BigInt(AMOUNT_DECIMALS);
// Cost Explorer's own amount text, exponent included: wider than the decimal text of @platform/numbers on purpose.
const COST_EXPLORER_AMOUNT = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** An exact amount: an integer count of 10⁻¹⁰ currency units. */
export type Amount = bigint;

/** Parses a decimal string exactly (digits beyond 10 decimals round half away from zero); undefined if it is not a number. */
export function parseAmount(text: string): Amount | undefined {
  const match = COST_EXPLORER_AMOUNT.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = "0", fraction = "", exponentText] = match;
  // Cost Explorer sometimes writes tiny amounts in exponent form ("1.2E-7"); move the point instead of using floats.
  const exponent = exponentText ? Number(exponentText) : 0;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 40) return undefined;
  let digits = `${whole}${fraction}`;
  let pointAt = whole.length + exponent;
  if (pointAt < 0) {
    digits = `${"0".repeat(-pointAt)}${digits}`;
    pointAt = 0;
  }
  if (pointAt > digits.length) digits = digits.padEnd(pointAt, "0");
  const wholeDigits = digits.slice(0, pointAt) || "0";
  const fractionDigits = digits.slice(pointAt);
  const kept = fractionDigits.slice(0, AMOUNT_DECIMALS).padEnd(AMOUNT_DECIMALS, "0");
  const roundUp = (fractionDigits[AMOUNT_DECIMALS] ?? "0") >= "5";
  const magnitude = BigInt(wholeDigits) * SCALE + BigInt(kept) + (roundUp ? 1n : 0n);
  return sign === "-" ? -magnitude : magnitude;
}

/** The exact decimal text of an amount, without trailing zeros ("12.5", "0", "-0.0000000001"). */
export function formatAmount(amount: Amount): string {
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const whole = magnitude / SCALE;
  const fraction = (magnitude % SCALE).toString().padStart(AMOUNT_DECIMALS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** The nearest double to the exact amount (one rounding, at the very end). */
export function amountToNumber(amount: Amount): number {
  return Number(formatAmount(amount));
}

/** amount × numerator / denominator, rounded half away from zero, exactly. */
export function scaleAmount(amount: Amount, numerator: bigint, denominator: bigint): Amount {
  const product = amount * numerator;
  const half = denominator / 2n;
  return product >= 0n ? (product + half) / denominator : -((-product + half) / denominator);
}
