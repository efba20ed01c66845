import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exact } from "@platform/prices";
import { parse as parseYaml } from "yaml";
import { resolveThresholds } from "../../alerts/settings";
import { settingsSchema } from "../config";
import type { Budget } from "./report";

/** Pulumi.<stack>.yaml files at the repository root: what `--stack` may name. */
// From __filename: tsx, loading this CommonJS file for an ES module (npm start), sets only __filename right.
export const REPO_ROOT = join(dirname(__filename), "..", "..");

export function listStacks(root = REPO_ROOT): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** The stack file's `config:` map; an error that lists the stacks there are when it does not exist. */
export function stackConfig(stack: string, root = REPO_ROOT): Record<string, unknown> {
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    const stacks = listStacks(root);
    throw new Error(
      `Pulumi.${stack}.yaml does not exist at the repository root; the stacks there are: ${stacks.join(", ") || "none"} (--stack <name>)`,
    );
  }
  const document = parseYaml(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  return document?.config ?? {};
}

/** The stack's region: the program's own `platform:region`, or the provider's `aws:region`. */
export function regionFromStackFile(stack: string, root = REPO_ROOT): string | undefined {
  const config = stackConfig(stack, root);
  const region = config["platform:region"] ?? config["aws:region"];
  return typeof region === "string" ? region : undefined;
}

/** `eks` (the program creates the cluster) or `existing` (kind, k3d, minikube or an EKS made elsewhere). */
export function clusterModeOf(stack: string, root = REPO_ROOT): string {
  const mode = stackConfig(stack, root)["platform:clusterMode"];
  return typeof mode === "string" ? mode : String(settingsSchema.shape.clusterMode.parse(undefined));
}

/** The namespace the stack's Prometheus and its rules live in: `platform:monitoringNamespace` or its default. */
export function monitoringNamespaceOf(stack: string, root = REPO_ROOT): string {
  const namespace = stackConfig(stack, root)["platform:monitoringNamespace"];
  return settingsSchema.shape.monitoringNamespace.parse(
    typeof namespace === "string" ? namespace : undefined,
  );
}

/**
 * The stack's monthly budget, as the program reads it: `platform:thresholds` (`cost.monthlyBudgetUsd`) laid
 * over the defaults in `alerts/settings.yaml`. The one place the cost comment learns the budget from.
 */
export function stackMonthlyBudget(stack: string, root = REPO_ROOT): Budget {
  const override = stackConfig(stack, root)["platform:thresholds"];
  const { thresholds, problems } = resolveThresholds(override);
  if (!thresholds) {
    throw new Error(
      `Pulumi.${stack}.yaml platform:thresholds: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
    );
  }
  const fromStack =
    typeof override === "object" && override !== null && "cost" in override
      ? (override as { cost?: Record<string, unknown> }).cost?.monthlyBudgetUsd !== undefined
      : false;
  return {
    monthlyUsd: exact(String(thresholds.cost.monthlyBudgetUsd)),
    source: fromStack
      ? `Pulumi.${stack}.yaml platform:thresholds.cost.monthlyBudgetUsd`
      : "cost.monthlyBudgetUsd default (alerts/settings.yaml)",
  };
}
