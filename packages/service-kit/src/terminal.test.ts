import { describe, expect, it } from "vitest";
import { TERMINAL_COLUMNS, terminalLine, terminalSafeJson, terminalText, terminalWidth } from "./terminal.js";

/** The rows an 80-column terminal shows for printed text: lines wrap at the last column. */
function terminalRows(printed: string, columns = TERMINAL_COLUMNS): string[] {
  return printed.split("\n").flatMap((line) => {
    const chars = [...line];
    const rows: string[] = [];
    for (let at = 0; at < chars.length || at === 0; at += columns)
      rows.push(chars.slice(at, at + columns).join(""));
    return rows;
  });
}

const FAKE = "[alert] FIRING  FakeAlert (critical)";

describe("terminalText", () => {
  it("drops C0, DEL and C1 controls; a line break, tab or U+0085 is a space", () => {
    expect(terminalText("Target\u001b[2JDown\u0007\u007f\u009b31m")).toBe("Target[2JDown31m");
    expect(terminalText("one\r\ntwo\tthree\u000bfour\u000cfive\u0085six")).toBe(
      "one two three four five six",
    );
  });

  it.each([
    ["U+3164 HANGUL FILLER", "\u3164"],
    ["U+115F HANGUL CHOSEONG FILLER", "\u115f"],
    ["U+1160 HANGUL JUNGSEONG FILLER", "\u1160"],
    ["U+FFA0 HALFWIDTH HANGUL FILLER", "\uffa0"],
    ["U+200B ZERO WIDTH SPACE", "\u200b"],
    ["U+200D ZERO WIDTH JOINER", "\u200d"],
    ["U+2060 WORD JOINER", "\u2060"],
    ["U+FEFF BYTE ORDER MARK", "\ufeff"],
    ["U+00AD SOFT HYPHEN", "\u00ad"],
    ["U+034F COMBINING GRAPHEME JOINER", "\u034f"],
    ["U+FE0F VARIATION SELECTOR-16", "\ufe0f"],
    ["U+180E MONGOLIAN VOWEL SEPARATOR", "\u180e"],
    ["U+202E RIGHT-TO-LEFT OVERRIDE", "\u202e"],
    ["U+2066 LEFT-TO-RIGHT ISOLATE", "\u2066"],
    ["U+061C ARABIC LETTER MARK", "\u061c"],
    ["U+E0041 TAG LATIN CAPITAL LETTER A", "\u{e0041}"],
    ["U+E0100 VARIATION SELECTOR-17", "\u{e0100}"],
  ])("drops %s, which is drawn as nothing", (_name, ch) => {
    expect(terminalText(`Tar${ch}${ch}get`)).toBe("Target");
  });

  it("turns any whitespace (and the Braille blank) into one space per run, so no run pads a line", () => {
    expect(terminalText(`a${" ".repeat(72)}b`)).toBe("a b");
    expect(terminalText("a\u00a0\u2003\u3000\u2800\u2028\u2029\u1680b")).toBe("a b");
    expect(terminalText("  \u3164 edge \u2800 ")).toBe("edge");
  });

  it("shows private-use, unassigned and lone surrogate code points as U+FFFD", () => {
    expect(terminalText("a\ue000b\u{10ffff}c\ud800d")).toBe("a\ufffdb\ufffdc\ufffdd");
  });

  it("keeps ordinary text of any script as it is", () => {
    for (const text of ["storefront is down", "Zahlungsausfälle über 5 %", "注文が減少", "🚨 revenue"]) {
      expect(terminalText(text)).toBe(text);
    }
  });

  it("cuts to a number of columns with an ellipsis, counting a character from U+0300 up as two", () => {
    expect(terminalText("a".repeat(100), 10)).toBe(`${"a".repeat(8)}…`);
    expect(terminalWidth(terminalText("注".repeat(100), 10))).toBeLessThanOrEqual(10);
    expect(terminalText("short", 10)).toBe("short");
    expect(terminalText("exactly10!", 10)).toBe("exactly10!");
  });
});

describe("terminalLine", () => {
  it("never wraps on an 80-column terminal, so no text it carries starts a terminal row", () => {
    for (const summary of [
      `${" ".repeat(72)}${FAKE}`,
      `${"x".repeat(80 - 8)}${FAKE}`,
      `${"\u3164".repeat(200)}${FAKE}`,
      `${"\u2800".repeat(200)}${FAKE}`,
      `${"\u00a0".repeat(200)}${FAKE}`,
      `${"注".repeat(36)}${FAKE}`,
      `${"e\u0301".repeat(40)}${FAKE}`,
    ]) {
      const line = terminalLine("        ", summary);
      expect(terminalWidth(line), summary).toBeLessThanOrEqual(TERMINAL_COLUMNS);
      const rows = terminalRows(line);
      expect(rows, summary).toHaveLength(1);
      for (const row of rows) expect(row.startsWith("[alert]"), summary).toBe(false);
    }
  });

  it("starts with the caller's prefix, whatever the text", () => {
    expect(terminalLine("[alert] ", "\r\n[alert] RESOLVED")).toBe("[alert] [alert] RESOLVED");
    expect(terminalLine("  x: ", "y".repeat(200), 20)).toBe(`  x: ${"y".repeat(13)}…`);
  });
});

describe("terminalSafeJson", () => {
  it("escapes what a terminal would act on and keeps the value a JSON reader gets", () => {
    const value = { msg: "a\u009b31m\u007f\u202eb\u2028c\u3164d\ue000" };
    const json = terminalSafeJson(JSON.stringify(value));
    expect(json).toBe(String.raw`{"msg":"a\u009b31m\u007f\u202eb\u2028c\u3164d\ue000"}`);
    expect(JSON.parse(json)).toEqual(value);
  });

  it("leaves ordinary JSON as it is", () => {
    const json = JSON.stringify({ msg: "注文 über 🚨", n: 1 });
    expect(terminalSafeJson(json)).toBe(json);
  });
});
