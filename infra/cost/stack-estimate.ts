import { AWS_PRICE_TABLE, loadPriceTable, type PriceTable } from "@platform/prices";
import { type CostEstimate, classify, estimateStack } from "./estimate";
import type { PricedInput } from "./inputs";
import { type CostReport, costReportSchema, toReport } from "./report";
import { regionFromStackFile } from "./stack-files";
import { loadUsage, USAGE_FILE_PATH } from "./usage-file";

/** Where a region cannot be read from the stack file. */
export const FALLBACK_REGION = "us-east-1";

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
    table = loadPriceTable(AWS_PRICE_TABLE),
    region = regionFromStackFile(stack) ?? FALLBACK_REGION,
    usageFile = USAGE_FILE_PATH,
    monthStart = todayUtc(),
  }: { table?: PriceTable; region?: string; usageFile?: string; monthStart?: Date } = {},
): CostEstimate {
  return estimateStack([...resources], table, {
    stack,
    region,
    usage: loadUsage(stack, usageFile),
    monthStart,
  });
}

/** The estimate as the JSON report of schema version 1 (infra/cost/README.md, "The JSON output"). */
export function reportOfEstimate(estimate: CostEstimate): CostReport {
  return costReportSchema.parse(toReport(estimate, { classOf: (row) => classify(row.after ?? row.before) }));
}
