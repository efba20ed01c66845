import { exact, type Money, PRICE_KEYS, type ScalarPriceKey } from "@platform/prices";
import { z } from "zod";
import { USAGE_QUANTITIES, USAGE_QUANTITY_NAMES } from "./usage-quantities.js";

/**
 * Usage the engine prices apart from the fixed total, as Infracost's usage file does: amounts per kind of
 * resource (NAT data, log ingestion, …), and charges for named resources (a workload's paid API requests).
 */

/** An amount of usage: a number or a decimal string, never negative. */
export const usageAmount = z
  .union([z.number().nonnegative().max(1e15), z.string().regex(/^\d{1,15}(\.\d{1,40})?$/)])
  .transform((value) => exact(String(value)));

export const usageSectionSchema = z
  .object({
    natGateway: z.object({ dataProcessedGb: usageAmount.optional() }).strict().optional(),
    eksControlPlaneLogs: z.object({ ingestedGb: usageAmount.optional() }).strict().optional(),
    cloudwatchLogs: z.object({ ingestedGbPerLogGroup: usageAmount.optional() }).strict().optional(),
    loadBalancer: z
      .object({
        capacityUnitsPerHour: usageAmount.optional(),
        classicDataProcessedGb: usageAmount.optional(),
      })
      .strict()
      .optional(),
    kms: z.object({ requestsPerKey: usageAmount.optional() }).strict().optional(),
    s3: z.object({ storageGbPerBucket: usageAmount.optional() }).strict().optional(),
    prometheusWorkspace: z
      .object({
        samplesIngested: usageAmount.optional(),
        storedGb: usageAmount.optional(),
        querySamplesProcessed: usageAmount.optional(),
      })
      .strict()
      .optional(),
    /** per resource type, the quantities every resource of the type is estimated with (usage-quantities.ts) */
    byType: z
      .object(
        Object.fromEntries(
          Object.entries(USAGE_QUANTITIES).map(([type, names]) => [
            type,
            z
              .object(Object.fromEntries(Object.keys(names).map((name) => [name, usageAmount.optional()])))
              .strict()
              .optional(),
          ]),
        ),
      )
      .strict()
      .optional(),
  })
  .strict();

export type UsageSection = z.output<typeof usageSectionSchema>;
export type UsageSectionInput = z.input<typeof usageSectionSchema>;

/** The usage a stack is estimated with; a figure left out is shown as a unit price only. */
export interface UsageAssumptions {
  natGatewayDataProcessedGb?: Money;
  eksControlPlaneLogsIngestedGb?: Money;
  cloudwatchLogsIngestedGbPerLogGroup?: Money;
  loadBalancerCapacityUnitsPerHour?: Money;
  classicLoadBalancerDataProcessedGb?: Money;
  kmsRequestsPerKey?: Money;
  s3StorageGbPerBucket?: Money;
  /** per Amazon Managed Service for Prometheus workspace, a month */
  ampSamplesIngested?: Money;
  ampStoredGb?: Money;
  ampQuerySamplesProcessed?: Money;
  /** `byType`: resource type → quantity name → amount */
  byType?: ReadonlyMap<string, ReadonlyMap<string, Money>>;
  /** where the figures come from, named in the comment */
  source?: string;
}

export function usageAssumptions(section: UsageSection | undefined, source?: string): UsageAssumptions {
  const flat: Record<string, Money | undefined> = {
    natGatewayDataProcessedGb: section?.natGateway?.dataProcessedGb,
    eksControlPlaneLogsIngestedGb: section?.eksControlPlaneLogs?.ingestedGb,
    cloudwatchLogsIngestedGbPerLogGroup: section?.cloudwatchLogs?.ingestedGbPerLogGroup,
    loadBalancerCapacityUnitsPerHour: section?.loadBalancer?.capacityUnitsPerHour,
    classicLoadBalancerDataProcessedGb: section?.loadBalancer?.classicDataProcessedGb,
    kmsRequestsPerKey: section?.kms?.requestsPerKey,
    s3StorageGbPerBucket: section?.s3?.storageGbPerBucket,
    ampSamplesIngested: section?.prometheusWorkspace?.samplesIngested,
    ampStoredGb: section?.prometheusWorkspace?.storedGb,
    ampQuerySamplesProcessed: section?.prometheusWorkspace?.querySamplesProcessed,
  };
  const given: UsageAssumptions = Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== undefined));
  if (section?.byType) {
    given.byType = new Map(
      Object.entries(section.byType).map(([type, names]) => [
        type,
        new Map(Object.entries(names ?? {}).filter((e): e is [string, Money] => e[1] !== undefined)),
      ]),
    );
  }
  return source === undefined ? given : { ...given, source };
}

const scalarPriceKeys = Object.keys(PRICE_KEYS).filter(
  (key) => !("per" in PRICE_KEYS[key as ScalarPriceKey]),
) as [ScalarPriceKey, ...ScalarPriceKey[]];
const label = z.string().min(1).max(200);

/** One usage charge of a named resource: the price it is billed at and, when known, how much a month. */
const resourceCharge = z
  .object({
    item: label,
    price: z.enum(scalarPriceKeys),
    /** the estimate's name, when it differs from the item */
    name: label.optional(),
    /** the factors of the month's quantity, each an amount and what it counts */
    quantity: z
      .array(z.object({ amount: usageAmount, label }).strict())
      .min(1)
      .max(8)
      .optional(),
    /** what the quantity counts ("requests"); the price's unit when left out */
    quantityUnit: z.string().min(1).max(40).optional(),
    basis: label.optional(),
  })
  .strict();

export const resourceUsageSchema = z
  .object({
    /** the resource's name (the last part of its URN) */
    resource: z.string().min(1).max(400),
    type: z.string().min(1).max(400).optional(),
    /** only before or only after the change (a figure that the change itself alters) */
    side: z.enum(["before", "after"]).optional(),
    charges: z.array(resourceCharge).max(20).default([]),
    /** this resource's own usage quantities (usage-quantities.ts), over the type's in `usage.byType` */
    quantities: z
      .record(
        z.string().refine((name) => USAGE_QUANTITY_NAMES.has(name), "not a usage quantity pulumi-cost knows"),
        usageAmount,
      )
      .optional(),
    notes: z.array(z.string().min(1).max(400)).max(10).default([]),
  })
  .strict()
  .superRefine((entry, context) => {
    const names: Readonly<Record<string, string>> | undefined =
      entry.type !== undefined && Object.hasOwn(USAGE_QUANTITIES, entry.type)
        ? USAGE_QUANTITIES[entry.type as keyof typeof USAGE_QUANTITIES]
        : undefined;
    for (const name of Object.keys(entry.quantities ?? {})) {
      if (entry.type !== undefined && !(names && Object.hasOwn(names, name)))
        context.addIssue({
          code: "custom",
          path: ["quantities", name],
          message: `not a usage quantity of ${entry.type}`,
        });
    }
  });

export type ResourceUsageEntry = z.output<typeof resourceUsageSchema>;

/** The configured charges by resource name, for the resource-usage pricer. */
export class ResourceUsage {
  private readonly byName = new Map<string, ResourceUsageEntry[]>();

  constructor(entries: readonly ResourceUsageEntry[] = []) {
    for (const entry of entries) {
      const list = this.byName.get(entry.resource);
      if (list) list.push(entry);
      else this.byName.set(entry.resource, [entry]);
    }
  }

  of(name: string, type: string, side: "before" | "after"): ResourceUsageEntry[] {
    return (this.byName.get(name) ?? []).filter(
      (entry) => (entry.type === undefined || entry.type === type) && (entry.side ?? side) === side,
    );
  }

  get size(): number {
    return this.byName.size;
  }

  /** Whether the configuration gives usage for a resource of this name, on either side. */
  mentions(name: string): boolean {
    return this.byName.has(name);
  }

  /** A named resource's own usage quantity, when the configuration gives it. */
  quantity(name: string, type: string, side: "before" | "after", quantity: string): Money | undefined {
    for (const entry of this.of(name, type, side)) {
      const amount =
        entry.quantities && Object.hasOwn(entry.quantities, quantity)
          ? entry.quantities[quantity]
          : undefined;
      if (amount !== undefined) return amount;
    }
    return undefined;
  }
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2027-03-27");

export const eksVersionSchema = z
  .object({
    version: z.string().regex(/^1\.\d{1,3}$/, "a Kubernetes minor version such as 1.36"),
    endOfStandardSupport: day,
    endOfExtendedSupport: day,
  })
  .strict();

/** EKS's versions and their support dates, and the setting a project upgrades its cluster with. */
export interface EksSupportCalendar {
  versions: ReadonlyMap<string, z.output<typeof eksVersionSchema>>;
  /** e.g. `platform:kubernetesVersion`, named in the upgrade advice */
  versionSetting?: string;
}

export type EksVersionRow = z.output<typeof eksVersionSchema>;
