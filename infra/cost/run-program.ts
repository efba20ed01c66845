import type { PricedInput } from "pulumi-cost";
import { withProgramLogCaptured } from "./program-log";

/**
 * Every resource the program registers for a stack, from the real program under Pulumi's mocks (no cloud,
 * no CLI), with the program's own log messages kept apart.
 */
export async function resourcesUnderMocks(
  stack: string,
): Promise<{ resources: PricedInput[]; messages: string[] }> {
  // Loaded on demand (it brings the Pulumi SDK and the program), with require: this is a CommonJS scope,
  // and a dynamic import() of an extensionless path fails when ES-module code loads this file through tsx.
  const { runProgramUnderMocks } = require("../under-mocks/mocks") as {
    runProgramUnderMocks: (stack: string) => Promise<PricedInput[]>;
  };
  const { result, messages } = await withProgramLogCaptured(() => runProgramUnderMocks(stack));
  return { resources: result, messages };
}
