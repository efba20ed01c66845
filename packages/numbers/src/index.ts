/**
 * How every number carried as text is written (a setting, a stack file, a price): decimal digits with an
 * optional fraction, a leading minus where a sign is allowed. JavaScript's Number() also reads "0x10", "1e3",
 * " " and "" (as 0), which no setting or price may silently mean.
 */
export const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
export const UNSIGNED_DECIMAL_TEXT = /^\d+(\.\d+)?$/;
const WHOLE_NUMBER_TEXT = /^-?\d+$/;

/** The number a decimal text means ("8080", "0.25", "-3"), or undefined when the text is not one or overflows. */
export function parseDecimal(text: string, { int = false } = {}): number | undefined {
  if (!(int ? WHOLE_NUMBER_TEXT : DECIMAL_TEXT).test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The longest wait a Node.js timer holds (about 24.8 days): a longer one fires after 1 ms instead, so a
 * refresh interval of 30 days would call a paid API a hundred times a second. Every duration setting stays within it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
