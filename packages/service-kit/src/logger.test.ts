import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

describe("the JSON logger", () => {
  it("writes no character a terminal acts on (C1, DEL, bidi controls, line separators), escaped instead", () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "test", write: (line) => lines.push(line) });
    const hostile = "x\u009b2J\u001b]0;t\u0007\u007f\u202eevil\u2028[alert]\u3164";
    logger.warn(`bad input ${hostile}`, { path: `/p/${hostile}`, err: new Error(hostile) });
    const [line] = lines;
    expect(line?.endsWith("\n")).toBe(true);
    expect(line?.slice(0, -1)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Default_Ignorable_Code_Point}]/u);
    const parsed = JSON.parse(line as string);
    expect(parsed.msg).toBe(`bad input ${hostile}`);
    expect(parsed.path).toBe(`/p/${hostile}`);
    expect(parsed.err.message).toBe(hostile);
  });
});
