import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { exact, type Money } from "@platform/prices";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { BadInputError, LIMITS } from "./limits.js";
import {
  type EksSupportCalendar,
  eksVersionSchema,
  ResourceUsage,
  resourceUsageSchema,
  type UsageAssumptions,
  usageAmount,
  usageAssumptions,
  usageSectionSchema,
} from "./usage.js";

/**
 * The project's settings for the engine, all optional: without them a preview is priced with no guardrail, no
 * budget and no usage estimate. Read from the file given with `--config`, else from `pulumi-cost.yaml` in the
 * current directory when there is one (JSON is YAML too).
 */
export const DEFAULT_CONFIG_FILE = "pulumi-cost.yaml";

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "an AWS region such as eu-west-1");
const sentence = z.string().min(1).max(400);

const guardrailSchema = z
  .object({
    monthlyIncreaseUsd: z.number().nonnegative().max(1e12).optional(),
    monthlyIncreasePercent: z.number().nonnegative().max(1e6).optional(),
  })
  .strict()
  .refine((g) => g.monthlyIncreaseUsd !== undefined || g.monthlyIncreasePercent !== undefined, {
    message: "set monthlyIncreaseUsd, monthlyIncreasePercent or both",
  });

export const costConfigSchema = z
  .object({
    /** the stack's name in the comment; by default the one in the preview's URNs */
    stack: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}$/, "a Pulumi stack name")
      .optional(),
    /** the region of resources whose provider says none, after the preview's `aws:region` */
    region: region.optional(),
    /** the most a change may add to the fixed monthly total before it needs approval */
    guardrail: guardrailSchema.optional(),
    budget: z.object({ monthlyUsd: usageAmount, source: sentence.optional() }).strict().optional(),
    /** the pull-request label with which a maintainer approves a change over the guardrail */
    approvalLabel: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,49}$/, "a label name of at most 50 characters")
      .optional(),
    usage: usageSectionSchema.extend({ source: sentence.optional() }).strict().optional(),
    resourceUsage: z.array(resourceUsageSchema).max(1000).optional(),
    eks: z
      .object({
        versions: z.array(eksVersionSchema).max(100),
        versionSetting: z.string().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
    /** types the project knows AWS does not bill, each with why (an operator's custom resources, say) */
    freeTypes: z
      .record(z.string().regex(/^[\w.-]+:[\w./-]*:[\w.-]+$/, "a Pulumi type token"), sentence)
      .optional(),
    /** said at the top of every comment */
    notices: z.array(z.string().min(1).max(1000)).max(20).optional(),
  })
  .strict();

export type CostConfigInput = z.input<typeof costConfigSchema>;

export interface GuardrailThresholds {
  monthlyIncreaseUsd?: Money;
  monthlyIncreasePercent?: Money;
}

export interface Budget {
  monthlyUsd: Money;
  /** where the figure was read, e.g. `Pulumi.dev.yaml platform:thresholds.cost.monthlyBudgetUsd` */
  source: string;
}

/** The configuration, validated. */
export interface CostConfig {
  stack?: string;
  region?: string;
  guardrail?: GuardrailThresholds;
  budget?: Budget;
  approvalLabel: string;
  usage: UsageAssumptions;
  resourceUsage: ResourceUsage;
  eks: EksSupportCalendar;
  freeTypes: ReadonlyMap<string, string>;
  notices: string[];
}

/** The label named when nothing else is configured. */
export const DEFAULT_APPROVAL_LABEL = "cost-approved";

function thresholds(
  guardrail: z.output<typeof guardrailSchema> | undefined,
): GuardrailThresholds | undefined {
  if (!guardrail) return undefined;
  return {
    ...(guardrail.monthlyIncreaseUsd !== undefined
      ? { monthlyIncreaseUsd: exact(String(guardrail.monthlyIncreaseUsd)) }
      : {}),
    ...(guardrail.monthlyIncreasePercent !== undefined
      ? { monthlyIncreasePercent: exact(String(guardrail.monthlyIncreasePercent)) }
      : {}),
  };
}

/** Validates a configuration document (already parsed); the error names every bad setting. */
export function costConfig(document: unknown, origin = "the configuration"): CostConfig {
  const parsed = costConfigSchema.safeParse(document ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new BadInputError(`${origin} is not valid:\n  ${problems.join("\n  ")}`);
  }
  const c = parsed.data;
  const { source: usageSource, ...usage } = c.usage ?? {};
  const guardrail = thresholds(c.guardrail);
  return {
    ...(c.stack ? { stack: c.stack } : {}),
    ...(c.region ? { region: c.region } : {}),
    ...(guardrail ? { guardrail } : {}),
    ...(c.budget ? { budget: { monthlyUsd: c.budget.monthlyUsd, source: c.budget.source ?? origin } } : {}),
    approvalLabel: c.approvalLabel ?? DEFAULT_APPROVAL_LABEL,
    usage: c.usage ? usageAssumptions(usage, usageSource ?? origin) : {},
    resourceUsage: new ResourceUsage(c.resourceUsage),
    eks: {
      versions: new Map((c.eks?.versions ?? []).map((row) => [row.version, row])),
      ...(c.eks?.versionSetting ? { versionSetting: c.eks.versionSetting } : {}),
    },
    freeTypes: new Map(Object.entries(c.freeTypes ?? {})),
    notices: c.notices ?? [],
  };
}

/** No configuration: no guardrail, no budget, no usage. */
export const NO_CONFIG: CostConfig = costConfig({});

/** A configuration file (YAML or JSON), at most 1 MiB. */
export function readConfigFile(path: string): CostConfig {
  let text: string;
  try {
    if (statSync(path).size > LIMITS.configBytes) {
      throw new BadInputError(`the configuration ${path} is larger than ${LIMITS.configBytes} bytes`);
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof BadInputError) throw error;
    throw new BadInputError(`cannot read the configuration ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new BadInputError(`the configuration ${path} is not YAML or JSON: ${(error as Error).message}`);
  }
  return costConfig(document, path);
}

/** The configuration `--config` names, else `pulumi-cost.yaml` in `dir` when it exists, else none. */
export function findConfig(explicit: string | undefined, dir = process.cwd()): CostConfig {
  if (explicit !== undefined) return readConfigFile(explicit);
  const found = join(dir, DEFAULT_CONFIG_FILE);
  return existsSync(found) ? readConfigFile(found) : NO_CONFIG;
}
