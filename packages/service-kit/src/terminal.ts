/**
 * Text from elsewhere (an alert's labels, a scrape error, a server's answer, an argument) as a terminal may
 * print it: one line that cannot drive the terminal, hide itself or reorder itself, cut so that it never
 * wraps, and so never starts a terminal line of its own.
 */

/** The width every printed line fits: a terminal this narrow or wider never wraps one. */
export const TERMINAL_COLUMNS = 80;

// Unicode properties as Node's RegExp knows them (\p{…} with the u flag; this Node reads Unicode 17):
// - Default_Ignorable_Code_Point: what a font draws as nothing. With it \p{Cf} (bidi overrides and isolates,
//   zero-width characters, the BOM, soft hyphen, tag characters U+E0000–E007F) and the fillers that are
//   letters, U+115F, U+1160, U+3164 and U+FFA0 (Hangul), variation selectors, U+034F.
// - \p{Cc}: C0 (ESC, BEL, backspace…), DEL and C1 (CSI as U+009B…).
// - \p{Co}, \p{Cs}, \p{Cn}: private use, lone surrogates, unassigned: drawn however a font likes.
/** Removed: controls (other than whitespace) and whatever is drawn as nothing. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]/gu;
/** Shown as U+FFFD, so that something shows where they were. */
const UNDRAWABLE = /[\p{Co}\p{Cs}\p{Cn}]/gu;
/**
 * Whitespace of any kind (tab, line breaks, U+2028, U+2029, no-break and ideographic spaces…) and the Braille
 * blank U+2800, which is drawn as a space without being one: each run becomes one space, so no run of
 * them can pad a line.
 */
const BLANK_RUN = /[\s\u2800]+/gu;
/** What \s and \p{Cc} share (tab, line feed, vertical tab, form feed, carriage return, U+0085): blanks, not drops. */
const CONTROL_BLANK = /[\t-\r\u0085]/g;

/** Every character classed as unsafe, for escaping in JSON (which keeps C0 escaped already). */
const UNSAFE_IN_JSON = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/gu;

/**
 * The columns a character may take, never fewer than a terminal gives it: 1 below U+0300 (ASCII, Latin-1,
 * Latin Extended, IPA), else 2, the most a terminal gives one character (wide CJK, emoji). Counting
 * generously cuts some text early but never lets a line wrap.
 */
const columnsOf = (codePoint: number) => (codePoint < 0x300 ? 1 : 2);

/** The columns `text` may take at most (see columnsOf). */
export function terminalWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += columnsOf(ch.codePointAt(0) as number);
  return width;
}

const ELLIPSIS = "…";

/**
 * Untrusted text as one terminal-safe line: no control, format, invisible or filler character (see the
 * classes above), every run of whitespace one space, no space at either end, and, when longer than
 * `maxColumns`, cut with an ellipsis to fit.
 */
export function terminalText(text: string, maxColumns = Number.POSITIVE_INFINITY): string {
  const line = text
    .replace(CONTROL_BLANK, " ")
    .replace(INVISIBLE, "")
    .replace(UNDRAWABLE, "\ufffd")
    .replace(BLANK_RUN, " ")
    .trim();
  if (line.length <= maxColumns / 2 || terminalWidth(line) <= maxColumns) return line;
  let width = terminalWidth(ELLIPSIS);
  if (width > maxColumns) return "";
  let cut = "";
  for (const ch of line) {
    width += columnsOf(ch.codePointAt(0) as number);
    if (width > maxColumns) break;
    cut += ch;
  }
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/**
 * One printed line: the caller's own `prefix` (trusted, so no untrusted text starts the line), then `text`
 * made safe and cut so that the whole line fits `columns`: it never wraps, so nothing in it reaches the
 * start of a terminal line.
 */
export function terminalLine(prefix: string, text: string, columns = TERMINAL_COLUMNS): string {
  return `${prefix}${terminalText(text, Math.max(0, columns - terminalWidth(prefix)))}`;
}

/**
 * JSON text with every character terminalText would drop or replace written as a `\u` escape instead: the
 * same value for a JSON reader, nothing a terminal acts on for a person reading the line (JSON.stringify
 * escapes C0 but not DEL, C1, bidi controls or U+2028).
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => {
    let escaped = "";
    for (let i = 0; i < ch.length; i++) escaped += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return escaped;
  });
}
