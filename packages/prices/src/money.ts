import { DECIMAL_TEXT } from "@platform/numbers";
import { Decimal } from "decimal.js";

/**
 * Exact decimal money. Prices are decimal strings ("0.0832") and every sum and product is exact; a figure
 * is rounded to the cent once, where it becomes a line a person reads (half up, as invoices round).
 * A Decimal constructor of our own, so no other code's global Decimal settings change our arithmetic.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -30 });
export type Money = Decimal;

/** Counts (nodes, GiB, replicas) are mostly small whole numbers: one immutable Decimal each, made once. */
const SMALL_WHOLES = 4096;
const smallWholes: (Money | undefined)[] = [];
function smallWhole(value: number): Money {
  let made = smallWholes[value];
  if (!made) {
    made = new Money(value);
    smallWholes[value] = made;
  }
  return made;
}

/**
 * An exact amount from a decimal string, a whole number or another amount. A fractional JavaScript number is
 * refused: it is already a binary approximation (0.1 + 0.2), which is what this module exists to avoid.
 */
export function exact(value: string | number | Decimal): Money {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new Error(
        `exact(${value}): pass fractional amounts as decimal strings, not as JavaScript numbers`,
      );
    }
    // (-0 stays a Decimal of its own: it prints its sign)
    return (value > 0 || Object.is(value, 0)) && value < SMALL_WHOLES ? smallWhole(value) : new Money(value);
  }
  if (typeof value === "string" && !DECIMAL_TEXT.test(value.trim())) {
    throw new Error(`exact(${JSON.stringify(value)}): not a decimal number`);
  }
  return new Money(value);
}

export const ZERO: Money = new Money(0);

export function sum(values: Iterable<Money>): Money {
  let total = ZERO;
  for (const value of values) if (!value.isZero()) total = total.plus(value);
  return total;
}

/** Rounded to the cent, half up. */
export function toCents(value: Money): Money {
  // Most amounts are already cents (every component's monthly figure is): no new Decimal for them.
  if (value.decimalPlaces() <= 2) return value.isZero() ? ZERO : value;
  const rounded = value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return rounded.isZero() ? ZERO : rounded;
}

/**
 * An amount of at most two decimals as `toFixed(2)` writes it, without the new Decimal `toFixed` rounds into
 * (a report writes thousands of these).
 */
function twoDecimals(cents: Money): string {
  if (cents.e >= 21) return cents.toFixed(2); // toString would write an exponent
  const plain = cents.toString();
  const point = plain.indexOf(".");
  if (point === -1) return `${plain}.00`;
  return plain.length - point === 2 ? `${plain}0` : plain;
}

/** The cents-exact decimal string of an amount: "129.47", "-3.00", "0.00". */
export function centsString(value: Money): string {
  return twoDecimals(toCents(value));
}

function groupThousands(digits: string): string {
  const point = digits.indexOf(".");
  const whole = point === -1 ? digits : digits.slice(0, point);
  if (whole.length <= 3) return digits;
  let grouped = "";
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) grouped += ",";
    grouped += whole[i];
  }
  return point === -1 ? grouped : `${grouped}${digits.slice(point)}`;
}

/** "$1,234.50", "-$2.00". */
export function formatUsd(value: Money): string {
  const digits = twoDecimals(toCents(value));
  return digits.startsWith("-") ? `-$${groupThousands(digits.slice(1))}` : `$${groupThousands(digits)}`;
}

/** "+$1.00", "-$1.00", "$0.00": a change. */
export function formatSignedUsd(value: Money): string {
  const cents = toCents(value);
  if (cents.isZero()) return "$0.00";
  return cents.isPositive() ? `+${formatUsd(cents)}` : formatUsd(cents);
}

/** A unit price as AWS lists it: at least cents, and every digit it has ("$0.0832", "$1.00"). */
export function formatUnitPrice(value: Money): string {
  // Unit prices are the table's own few Decimals, each written on thousands of lines.
  let written = unitPrices.get(value);
  if (written === undefined) {
    const plain = value.toFixed();
    const [whole = "0", fraction = ""] = plain.replace(/^-/, "").split(".");
    written = `${value.isNegative() ? "-" : ""}$${groupThousands(whole)}.${fraction.padEnd(2, "0")}`;
    unitPrices.set(value, written);
  }
  return written;
}
const unitPrices = new WeakMap<Money, string>();

/** A quantity with every digit it has and thousands grouped: "1,460", "0.125". */
export function formatQuantity(value: Money | number): string {
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    return `${value < 0 ? "-" : ""}${groupThousands(String(Math.abs(value)))}`;
  }
  const exactly = typeof value === "number" ? exact(value) : value;
  return `${exactly.isNegative() ? "-" : ""}${groupThousands(exactly.abs().toFixed())}`;
}

/** change ÷ base as a per cent with one decimal ("26.5"), or undefined when the base is zero. */
export function percentOf(change: Money, base: Money): Money | undefined {
  if (base.isZero()) return undefined;
  return change.dividedBy(base).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
}
