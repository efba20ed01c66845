import { beforeAll } from "vitest";
import { loadDefaultThresholds } from "../../thresholds/thresholds";
import { dashboardFiles, ruleFiles } from "../components/monitoring-files";
import { parseSettings } from "../config";
import { readStackConfig } from "../stack-config";
import { exampleStackRuns, type StackRuns } from "./stacks";

/**
 * Set-up shared by the program.*.test.ts files: the program run under mocks for each example stack, and what
 * they read from the stack files. `runs` is a live binding that useExampleStackRuns's hook fills in.
 */
export let runs: StackRuns;
export function useExampleStackRuns(): void {
  beforeAll(async () => {
    runs = await exampleStackRuns();
  });
}

export const dashboards = dashboardFiles(loadDefaultThresholds());
export const rules = ruleFiles(loadDefaultThresholds());

/** The thresholds the program parses from `Pulumi.<stack>.yaml`. */
export const stackThresholds = (stack: string) => {
  const { config } = readStackConfig(stack);
  const raw = Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("platform:") && key !== "platform:telegramBotToken")
      .map(([key, value]) => [key.slice("platform:".length), value]),
  );
  return parseSettings(raw).thresholds;
};
/** A list setting of `Pulumi.<stack>.yaml`, as the user committed it (the tests never restate its values). */
export const stackList = (stack: string, key: string): string[] =>
  JSON.parse(readStackConfig(stack).config[`platform:${key}`] ?? "[]") as string[];
export const example = (stack: "dev" | "local" | "prod") =>
  stack === "prod" ? runs.prodLike : stack === "dev" ? runs.dev : runs.local;
