import { loadShippedPriceTable, type PriceTable } from "@platform/prices";
import {
  type CostEstimate,
  type CostReport,
  costReportSchema,
  estimateStack,
  type PricedInput,
  toReport,
} from "pulumi-cost";
import { stackSettings, templateConfig, USAGE_FILE_PATH } from "./template-config";

/** Today, 00:00 UTC: the first day of the 730 hours `npm run cost` prices by default. */
export function todayUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * What a whole stack costs (`npm run cost -- --stack <s>` without a preview), from the resources its
 * program registers under mocks. `npm run cost` and `npm start` (the local estimate and demo inventory) use
 * it, so both price the same resources the same way.
 */
export function estimateOfStack(
  stack: string,
  resources: readonly PricedInput[],
  {
    table = loadShippedPriceTable(),
    region = stackSettings(stack).region,
    usageFile = USAGE_FILE_PATH,
    monthStart = todayUtc(),
  }: { table?: PriceTable; region?: string; usageFile?: string; monthStart?: Date } = {},
): CostEstimate {
  const config = templateConfig(stack, {
    region,
    usageFile,
    resources: resources.map((resource) => ({ side: "after", resource })),
    hoursPerMonth: table.hoursPerMonth,
    monthStart,
  });
  return estimateStack(resources, table, { stack, region, config, monthStart });
}

/** The estimate as the JSON report of schema version 1 (the engine's README, "The JSON output"). */
export function reportOfEstimate(estimate: CostEstimate): CostReport {
  return costReportSchema.parse(toReport(estimate));
}
