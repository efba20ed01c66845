import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { exact, type Money } from "@platform/prices";
import {
  type Budget,
  type CostConfig,
  type CostConfigInput,
  costConfig,
  costConfigSchema,
  type GuardrailThresholds,
  type PricedInput,
  usageAmount,
  usageSectionSchema,
} from "pulumi-cost";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ciStacksFile, readCiStacks } from "../ci-stacks";
import { type ParsedSettings, parseStackFile } from "../config";
import { EKS_VERSIONS } from "../kubernetes-versions";
import { readStackConfig, repositoryRoot, requireStackFile } from "../stack-config";
import { costExporterUsage } from "./exporter-usage";

/**
 * The adapter between this template and the cost engine (`pulumi-cost`): a stack's settings in
 * `Pulumi.<stack>.yaml` (read by infra's one stack-file reader), its guardrail in `.github/stacks.json`, the
 * usage in `usage.yaml`, the EKS version table and the cost exporter's own requests, turned into the engine's
 * configuration. Nothing of this template reaches the engine any other way.
 */
export const REPO_ROOT = repositoryRoot;
export const USAGE_FILE_PATH = join(__dirname, "usage.yaml");

/** prometheus-operator's objects, which the program declares as custom resources: nothing AWS bills. */
const FREE_CUSTOM_RESOURCES = {
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule":
    "a prometheus-operator rule: an object in the cluster's API server",
  "kubernetes:monitoring.coreos.com/v1:ServiceMonitor":
    "a prometheus-operator scrape target: an object in the cluster's API server",
  "kubernetes:monitoring.coreos.com/v1:PodMonitor":
    "a prometheus-operator scrape target: an object in the cluster's API server",
};

/**
 * The stack's settings as the program parses them from `Pulumi.<stack>.yaml`, thresholds resolved over the
 * defaults; a missing file fails naming the stacks there are, a bad value naming its setting.
 */
export function stackSettings(stack: string, root?: string): ParsedSettings {
  requireStackFile(stack, root);
  return parseStackFile(stack, root);
}

/** The namespace the stack's Prometheus and its rules live in. */
export function monitoringNamespaceOf(stack: string): string {
  return stackSettings(stack).monitoringNamespace;
}

/**
 * The stack's monthly budget, as the program reads it: `platform:thresholds` (`cost.monthlyBudgetUsd`) laid
 * over the defaults in `thresholds/thresholds.yaml`; the source says which of the two wrote the figure.
 */
export function stackMonthlyBudget(stack: string, root?: string): Budget {
  const { thresholds } = stackSettings(stack, root);
  const written = readStackConfig(stack, root).config["platform:thresholds"];
  const override =
    written === undefined ? undefined : (JSON.parse(written) as { cost?: Record<string, unknown> });
  return {
    monthlyUsd: exact(String(thresholds.cost.monthlyBudgetUsd)),
    source:
      override?.cost?.monthlyBudgetUsd !== undefined
        ? `Pulumi.${stack}.yaml platform:thresholds.cost.monthlyBudgetUsd`
        : "cost.monthlyBudgetUsd default (thresholds/thresholds.yaml)",
  };
}

const guardrailSchema = costConfigSchema.shape.guardrail.unwrap();

/** The stack's `costGuardrail` in `.github/stacks.json`, undefined without one; a bad one is an error naming it. */
export function guardrailEntry(stack: string, file = ciStacksFile) {
  const stacks = readCiStacks(file);
  const index = stacks.findIndex((s) => s.name === stack);
  const entry = index === -1 ? undefined : (stacks[index] as { costGuardrail?: unknown }).costGuardrail;
  if (entry === undefined) return undefined;
  const parsed = guardrailSchema.safeParse(entry);
  if (!parsed.success) {
    const where = `stacks.${index}.costGuardrail`;
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${[where, ...i.path].join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** The stack's guardrail as the engine holds it. */
export function guardrailFor(stack: string, file = ciStacksFile): GuardrailThresholds | undefined {
  const entry = guardrailEntry(stack, file);
  return entry ? costConfig({ guardrail: entry }).guardrail : undefined;
}

const templateUsageSection = usageSectionSchema
  .extend({ costExplorer: z.object({ pagesPerRequest: usageAmount.optional() }).strict().optional() })
  .strict();
const usageFileSchema = z
  .object({
    defaults: templateUsageSection.optional(),
    stacks: z.record(z.string(), templateUsageSection).optional(),
  })
  .strict();

/**
 * A stack's usage from the usage file: `defaults` for every stack, a stack's own section over them key by key.
 * `costExplorer.pagesPerRequest` is this template's own: it goes into the exporter's requests.
 */
export function loadUsage(stack: string, path = USAGE_FILE_PATH) {
  if (!existsSync(path)) return { section: {}, pagesPerRequest: undefined, source: undefined };
  const raw = parseYaml(readFileSync(path, "utf8")) ?? {};
  const parsed = usageFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new Error(`the usage file ${path} is not valid:\n  ${problems.join("\n  ")}`);
  }
  // Merged as written (input form), so the engine validates the same figures once more as its own.
  const input = raw as {
    defaults?: Record<string, Record<string, unknown>>;
    stacks?: Record<string, Record<string, Record<string, unknown>>>;
  };
  const section: Record<string, Record<string, unknown>> = {};
  for (const layer of [input.defaults ?? {}, input.stacks?.[stack] ?? {}]) {
    for (const [key, figures] of Object.entries(layer)) section[key] = { ...section[key], ...figures };
  }
  const { costExplorer, ...engine } = section;
  const pages = costExplorer?.pagesPerRequest;
  return {
    section: engine,
    pagesPerRequest: pages === undefined ? undefined : (usageAmount.parse(pages) as Money),
    source: relative(REPO_ROOT, path) || path,
  };
}

export interface TemplateConfigOptions {
  /** `--region`, else the stack file's */
  region?: string | undefined;
  usageFile?: string;
  /** the resources on each side (the preview's, or the program's under mocks): where the exporter runs */
  resources: { side: "before" | "after"; resource: PricedInput }[];
  hoursPerMonth: Money;
  monthStart: Date;
}

/** What a stack that uses an existing cluster means for the estimate, said once at the top. */
function existingClusterNotice(stack: string): string {
  return (
    `Stack \`${stack}\` uses an existing cluster (platform:clusterMode existing): the program creates no AWS resources, ` +
    "and its volumes are not priced, because they get the cluster's own default StorageClass, which the program does not declare " +
    "(kind keeps them in a directory on the machine; AWS bills nothing). Node capacity is the cluster's own and is not checked."
  );
}

/** The engine's configuration for one of this template's stacks. */
export function templateConfig(stack: string, options: TemplateConfigOptions): CostConfig {
  const settings = stackSettings(stack);
  const existing = settings.clusterMode === "existing";
  const usage = loadUsage(stack, options.usageFile);
  const guardrail = guardrailEntry(stack);
  // An existing cluster's stack creates no AWS Budget: that is an EKS stack's.
  const budget = existing ? undefined : stackMonthlyBudget(stack);
  const document: CostConfigInput = {
    stack,
    region: options.region ?? settings.region,
    ...(guardrail ? { guardrail } : {}),
    ...(budget ? { budget: { monthlyUsd: budget.monthlyUsd.toFixed(), source: budget.source } } : {}),
    approvalLabel: "cost-approved",
    ...(usage.source ? { usage: { ...usage.section, source: usage.source } } : {}),
    resourceUsage: costExporterUsage(options.resources, {
      hours: options.hoursPerMonth,
      monthStart: options.monthStart,
      pagesPerRequest: usage.pagesPerRequest,
    }),
    eks: {
      versions: EKS_VERSIONS.map(({ version, endOfStandardSupport, endOfExtendedSupport }) => ({
        version,
        endOfStandardSupport,
        endOfExtendedSupport,
      })),
      versionSetting: "platform:kubernetesVersion",
    },
    freeTypes: FREE_CUSTOM_RESOURCES,
    ...(existing ? { notices: [existingClusterNotice(stack)] } : {}),
  };
  return costConfig(document, `the cost settings of stack ${stack}`);
}
