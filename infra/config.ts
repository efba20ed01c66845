import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { stackThresholdsSchema } from "../alerts/settings";

/**
 * Every setting of the program, parsed once. The keys are the Pulumi config keys under the
 * `platform:` namespace (`pulumi config set platform:<key> <value>`); infra/README.md lists them.
 */

const imageRef = z
  .string()
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    "an image reference with a tag or digest, e.g. ghcr.io/acme/platform/storefront:1.2.3",
  );

const iamRoleArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
    "an IAM role ARN, arn:aws:iam::<account>:role/<name>",
  );

const quantity = z.string().regex(/^\d+(Mi|Gi|Ti)$/, "a Kubernetes quantity such as 50Gi");

const cidr16to20 = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(1[6-9]|20)$/, "an IPv4 CIDR block from /16 to /20")
  .refine((value) => {
    const octets = value.split("/")[0]?.split(".").map(Number) ?? [];
    return octets.every((octet) => octet <= 255);
  }, "an IPv4 CIDR block with octets 0-255");

const boolean = z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]);
const integer = z.coerce.number().int();

export const settingsSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as us-east-1")
      .default("us-east-1"),
    clusterMode: z.enum(["eks", "existing"]).default("eks"),
    kubeconfig: z.string().min(1).optional(),
    kubeContext: z.string().min(1).optional(),
    clusterName: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, "letters, digits and hyphens, starting with a letter")
      .optional(),
    vpcCidr: cidr16to20.default("10.0.0.0/16"),
    azCount: integer.min(2).max(3).default(2),
    natGateways: z.enum(["single", "per-az"]).default("single"),
    nodeInstanceTypes: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "EC2 instance types such as t3.large"))
      .min(1)
      .default(["t3.large"]),
    nodeCapacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
    nodeMinSize: integer.min(1).default(2),
    nodeDesiredSize: integer.min(1).default(2),
    nodeMaxSize: integer.min(1).max(100).default(4),
    nodeDiskSizeGiB: integer.min(20).max(1000).default(50),
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.34")
      .default("1.34"),
    clusterAdminRoleArns: z.array(iamRoleArn).default([]),
    clusterViewerRoleArns: z.array(iamRoleArn).default([]),
    kubePrometheusStackVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, "an exact chart version such as 88.5.3 (no ranges)")
      .default("88.5.3"),
    prometheusRetention: z
      .string()
      .regex(/^\d+(h|d|w|y)$/, "a Prometheus duration such as 15d")
      .default("15d"),
    prometheusStorageSize: quantity.default("50Gi"),
    alertmanagerStorageSize: quantity.default("2Gi"),
    grafanaExposure: z
      .enum(["cluster-ip", "internal-load-balancer", "public-load-balancer"])
      .default("cluster-ip"),
    allowPublicLoadBalancer: boolean.default(false),
    storefrontImage: imageRef.default("ghcr.io/your-org/cost-aware-platform/storefront:main"),
    costExporterImage: imageRef.default("ghcr.io/your-org/cost-aware-platform/cost-exporter:main"),
    trafficImage: imageRef.default("ghcr.io/your-org/cost-aware-platform/traffic:main"),
    storefrontReplicas: integer.min(1).max(20).default(2),
    demoTraffic: boolean.default(false),
    demoTrafficRate: integer.min(1).max(100).default(5),
    appsNamespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS label")
      .default("platform"),
    monitoringNamespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS label")
      .default("monitoring"),
    costExporterMode: z.enum(["auto", "aws", "demo"]).default("aws"),
    costExporterRefreshInterval: z
      .string()
      .regex(/^\d+(m|h)$/, "a duration in minutes or hours such as 8h")
      .default("8h"),
    costExporterDailyRequestCap: integer.min(0).default(12),
    costTagKey: z
      .string()
      .regex(/^[\w.:/=+@-]{1,128}$/, "an AWS tag key")
      .default("stack"),
    // Objectives, budget and ceilings: alerts/settings.yaml with this stack's overrides laid over it.
    thresholds: stackThresholdsSchema,
    budgetAlertEmails: z.array(z.email()).default([]),
    telegramChatId: z
      .string()
      .regex(/^-?\d+$/, "a Telegram chat id (an integer, negative for groups)")
      .default("0"),
  })
  .strict()
  .superRefine((settings, ctx) => {
    if (settings.nodeMinSize > settings.nodeDesiredSize || settings.nodeDesiredSize > settings.nodeMaxSize) {
      ctx.addIssue({
        code: "custom",
        path: ["nodeDesiredSize"],
        message: "nodeMinSize <= nodeDesiredSize <= nodeMaxSize",
      });
    }
    if (settings.grafanaExposure === "public-load-balancer" && !settings.allowPublicLoadBalancer) {
      ctx.addIssue({
        code: "custom",
        path: ["grafanaExposure"],
        message: "public-load-balancer only together with platform:allowPublicLoadBalancer true",
      });
    }
    if (settings.clusterMode === "eks" && settings.clusterAdminRoleArns.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["clusterAdminRoleArns"],
        message: "at least one IAM role ARN (the role that runs pulumi up) when clusterMode is eks",
      });
    }
    if (settings.clusterMode === "existing" && settings.grafanaExposure === "internal-load-balancer") {
      ctx.addIssue({
        code: "custom",
        path: ["grafanaExposure"],
        message: "internal-load-balancer needs the AWS load balancer annotations of clusterMode eks",
      });
    }
  });

export type Settings = z.infer<typeof settingsSchema> & {
  project: string;
  stack: string;
  /** `platform:telegramBotToken`, a Pulumi secret; undefined when not set. */
  telegramBotToken: pulumi.Output<string> | undefined;
};

/** A setting had a value the program does not accept; the message names `platform:<key>`. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

const secretKeys = new Set(["telegramBotToken"]);
const structuredKeys = new Set([
  "nodeInstanceTypes",
  "clusterAdminRoleArns",
  "clusterViewerRoleArns",
  "budgetAlertEmails",
  "thresholds",
]);

/** Turns raw `platform:*` strings into settings, or throws one SettingsError listing every bad value. */
export function parseSettings(raw: Record<string, string>): z.infer<typeof settingsSchema> {
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    // An empty value means "not set": `pulumi config set platform:x ""` is how a stack clears one.
    if (secretKeys.has(key) || value === "") continue;
    if (structuredKeys.has(key)) {
      try {
        input[key] = JSON.parse(value);
      } catch {
        problems.push(`platform:${key}: expected a YAML/JSON list, got ${JSON.stringify(value)}`);
      }
    } else {
      input[key] = value;
    }
  }
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] ?? issue.path.join(".");
      if (issue.code === "unrecognized_keys") {
        for (const unknownKey of issue.keys) {
          problems.push(
            `platform:${unknownKey}: not a setting of this program (see infra/README.md for the list)`,
          );
        }
        continue;
      }
      // A list item is named by its index, a value inside a structured setting by its path.
      const inside = issue.path.slice(1);
      const name = typeof inside[0] === "string" ? issue.path.join(".") : String(key);
      const detail = typeof inside[0] === "number" ? ` (item ${inside.join(".")})` : "";
      problems.push(`platform:${name}${detail}: ${issue.message}`);
    }
  }
  if (problems.length > 0) {
    throw new SettingsError(`Invalid stack settings:\n  ${problems.join("\n  ")}`);
  }
  return (result as { data: z.infer<typeof settingsSchema> }).data;
}

/** Reads the stack's `platform:*` configuration. Call once, before any resource is created. */
export function loadSettings(): Settings {
  const prefix = "platform:";
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  }
  const parsed = parseSettings(raw);
  const config = new pulumi.Config("platform");
  return {
    ...parsed,
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    telegramBotToken: config.getSecret("telegramBotToken"),
  };
}
