import { TERMINAL_COLUMNS, terminalWidth } from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { formatReport } from "./check.js";
import { formatTargetsUp } from "./guide.js";
import { formatIncidentFailure, formatTable } from "./start.js";

/**
 * Text the runner prints that others wrote (a scrape error, a service's answer or readiness note, a
 * Prometheus error): with escapes, invisible fillers, line breaks and padding meant to fake an alert line.
 */
const FAKE = "[alert] FIRING  FakeAlert (critical)";
const HOSTILE = `oops\u001b[2J\u009b31m\u202e\u3164\u115f\r\n${FAKE}${" ".repeat(72)}${FAKE}\u2028${FAKE}`;

/** Nothing a terminal acts on or hides: no control (but the line feeds between lines), format or filler. */
function expectTerminalSafe(printed: string) {
  for (const line of printed.split("\n")) {
    expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u);
    expect(line.startsWith("[alert]"), line).toBe(false);
  }
}

describe("what the runner prints of others' text", () => {
  it("lists a target's scrape error on a line of its own, within 80 columns", () => {
    const text = formatTargetsUp(
      {
        ok: false,
        seconds: 61,
        jobs: ["storefront"],
        down: [
          { labels: { job: `storefront${HOSTILE}` }, health: "down", lastError: HOSTILE, scrapeUrl: "" },
        ],
      },
      ".local/logs",
    );
    expectTerminalSafe(text);
    for (const line of text.split("\n").slice(1))
      expect(terminalWidth(line)).toBeLessThanOrEqual(TERMINAL_COLUMNS);
  });

  it("puts a component's note in the start-up table as one safe line", () => {
    const table = formatTable([
      { name: "storefront", url: "http://127.0.0.1:8080", status: "running", note: HOSTILE },
    ]);
    expectTerminalSafe(table);
    expect(table.split("\n")).toHaveLength(3);
  });

  it("reports a check's detail as one safe line", () => {
    const report = formatReport([{ section: "targets", name: `up${HOSTILE}`, ok: false, detail: HOSTILE }]);
    expectTerminalSafe(report);
    expect(report.split("\n").filter((line) => line.startsWith("  FAIL"))).toHaveLength(1);
  });

  it("says why an incident could not be caused, the answer on a line of its own within 80 columns", () => {
    const lines = formatIncidentFailure(
      "errors",
      new Error(`PUT /admin/simulation answered 400: ${HOSTILE}`),
    );
    expectTerminalSafe(lines);
    for (const line of lines.split("\n")) expect(terminalWidth(line)).toBeLessThanOrEqual(TERMINAL_COLUMNS);
    expect(lines).toContain("npm start: incident errors could not be caused");
  });
});
