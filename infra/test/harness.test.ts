import { describe, expect, it } from "vitest";
import { runProgram } from "../testing/mocks";

describe("mocks harness", () => {
  it("runs the program for the dev stack", async () => {
    const run = await runProgram("dev");
    expect(run.outputs.stack).toBe("dev");
  });
});
