import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exact, type Money } from "@platform/prices";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/**
 * The usage file: monthly usage that `npm run cost` prices apart from the fixed total, as Infracost's usage
 * file does. `defaults` apply to every stack and a stack's own section overrides them, key by key.
 */
export const USAGE_FILE_PATH = join(dirname(__filename), "usage.yaml");

const amount = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)])
  .transform((value) => exact(String(value)));

const usageSection = z
  .object({
    natGateway: z.object({ dataProcessedGb: amount.optional() }).strict().optional(),
    eksControlPlaneLogs: z.object({ ingestedGb: amount.optional() }).strict().optional(),
    cloudwatchLogs: z.object({ ingestedGbPerLogGroup: amount.optional() }).strict().optional(),
    loadBalancer: z
      .object({ capacityUnitsPerHour: amount.optional(), classicDataProcessedGb: amount.optional() })
      .strict()
      .optional(),
    kms: z.object({ requestsPerKey: amount.optional() }).strict().optional(),
    s3: z.object({ storageGbPerBucket: amount.optional() }).strict().optional(),
    costExplorer: z.object({ pagesPerRequest: amount.optional() }).strict().optional(),
  })
  .strict();

const usageFile = z
  .object({ defaults: usageSection.optional(), stacks: z.record(z.string(), usageSection).optional() })
  .strict();

type Section = z.output<typeof usageSection>;

/** The usage a stack is estimated with; a figure left out is shown as a unit price only. */
export interface UsageAssumptions {
  natGatewayDataProcessedGb?: Money;
  eksControlPlaneLogsIngestedGb?: Money;
  cloudwatchLogsIngestedGbPerLogGroup?: Money;
  loadBalancerCapacityUnitsPerHour?: Money;
  classicLoadBalancerDataProcessedGb?: Money;
  kmsRequestsPerKey?: Money;
  s3StorageGbPerBucket?: Money;
  costExplorerPagesPerRequest?: Money;
  /** the file the figures came from, for the comment */
  file?: string;
}

function flatten(section: Section | undefined): Omit<UsageAssumptions, "file"> {
  const flat: Record<string, Money | undefined> = {
    natGatewayDataProcessedGb: section?.natGateway?.dataProcessedGb,
    eksControlPlaneLogsIngestedGb: section?.eksControlPlaneLogs?.ingestedGb,
    cloudwatchLogsIngestedGbPerLogGroup: section?.cloudwatchLogs?.ingestedGbPerLogGroup,
    loadBalancerCapacityUnitsPerHour: section?.loadBalancer?.capacityUnitsPerHour,
    classicLoadBalancerDataProcessedGb: section?.loadBalancer?.classicDataProcessedGb,
    kmsRequestsPerKey: section?.kms?.requestsPerKey,
    s3StorageGbPerBucket: section?.s3?.storageGbPerBucket,
    costExplorerPagesPerRequest: section?.costExplorer?.pagesPerRequest,
  };
  return Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== undefined));
}

/** A stack's usage from a usage file; no file means no estimates (unit prices only). */
export function loadUsage(stack: string, path: string = USAGE_FILE_PATH): UsageAssumptions {
  if (!existsSync(path)) return {};
  const parsed = usageFile.safeParse(parseYaml(readFileSync(path, "utf8")) ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`,
    );
    throw new Error(`the usage file ${path} is not valid:\n  ${problems.join("\n  ")}`);
  }
  return { ...flatten(parsed.data.defaults), ...flatten(parsed.data.stacks?.[stack]), file: path };
}
