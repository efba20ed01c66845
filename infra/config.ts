import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { longestLookback, promDurationMs, retentionFor } from "../alerts/retention";
import { buildRuleFiles } from "../alerts/rule-files";
import {
  type Catalogue,
  DEMO_TRAFFIC_MAX_RATE,
  catalogue as defaultCatalogue,
  validateCatalogue,
} from "../catalogue/services";
import { costTagKeySchema } from "../thresholds/cost-tag-key";
import { loadDefaultThresholds, stackThresholdsSchema } from "../thresholds/thresholds";
import { addonVersionsFor } from "./eks-addon-versions";
import { defaultKubernetesVersion, kubernetesVersionNotice } from "./kubernetes-versions";
import {
  cidr16to20,
  domainName,
  iamPrincipalArn,
  LOG_RETENTION_DAYS,
  namespace,
  quantity,
  refreshInterval,
} from "./setting-values";
import { flag, parseNamespaced, readConfigNamespace, SettingsError, wholeNumber } from "./settings-loader";
import { readStackConfig } from "./stack-config";
import { TAG_KEYS_SET_BY_THE_PROGRAM } from "./stack-tags";

export { SettingsError };

/**
 * Every setting of the program, parsed once. The keys are the Pulumi config keys under the
 * `platform:` namespace (`pulumi config set platform:<key> <value>`); infra/README.md lists them.
 */

const settingsObject = z
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
    azCount: wholeNumber({ min: 2, max: 3 }).default(2),
    natGateways: z.enum(["single", "per-az"]).default("single"),
    nodeInstanceTypes: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "EC2 instance types such as t3.large"))
      .min(1)
      .default(["t3.large"]),
    nodeCapacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
    nodeMinSize: wholeNumber({ min: 1 }).default(2),
    nodeDesiredSize: wholeNumber({ min: 1 }).default(2),
    nodeMaxSize: wholeNumber({ min: 1, max: 100 }).default(4),
    nodeDiskSizeGiB: wholeNumber({ min: 20, max: 1000 }).default(50),
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.36")
      .default(defaultKubernetesVersion),
    // "RoleArns" for the roles they mostly hold; an IAM user's ARN is taken too (a new account's access keys).
    clusterAdminRoleArns: z.array(iamPrincipalArn).default([]),
    clusterViewerRoleArns: z.array(iamPrincipalArn).default([]),
    // The chart's newest version when read (README.md, "Documentation this relies on");
    // infra/test/kube-prometheus-stack.test.ts checks its values against that version's templates.
    kubePrometheusStackVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, "an exact chart version such as 88.5.3 (no ranges)")
      .default("88.5.3"),
    // Unset: what the alert rules read back with the long-term store on (alerts/retention.ts), 15d without it.
    prometheusRetention: z
      .string()
      .regex(/^[1-9]\d*(h|d|w|y)$/, "a Prometheus duration above zero such as 15d")
      .optional(),
    // Unset: on for clusterMode eks (its Pod Identity signs the remote write), off for an existing cluster.
    longTermStore: flag.optional(),
    prometheusStorageSize: quantity.default("50Gi"),
    alertmanagerStorageSize: quantity.default("2Gi"),
    grafanaExposure: z
      .enum(["cluster-ip", "internal-load-balancer", "public-load-balancer"])
      .default("cluster-ip"),
    allowPublicLoadBalancer: flag.default(false),
    domain: domainName.optional(),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
      .optional(),
    controlPlaneLogRetentionDays: wholeNumber({ min: 1 })
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `one of the periods CloudWatch Logs keeps logs for: ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(30),
    /**
     * Where the images live: `ecr` (the account's own ECR, `<account>.dkr.ecr.<region>.amazonaws.com`, which
     * the deploy pushes to and the nodes may pull from) or a registry prefix such as `localhost:5001`.
     */
    imageRegistry: z
      .string()
      .regex(
        /^(ecr|[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*)$/,
        "ecr, or a registry such as localhost:5001 or ghcr.io/acme",
      )
      .default("ecr"),
    /** Per-service replica counts, e.g. `{storefront: 3}`; checked against the catalogue's replica policy. */
    replicas: z.record(z.string(), wholeNumber({ min: 1 })).default({}),
    demoTraffic: flag.default(false),
    // The traffic generator refuses a RATE above its MAX_RATE, which the cluster sets to the same bound.
    // Unset: the generator's own default (services/traffic/src/config.ts, DEFAULT_RATE), the demo shop
    // whose figures the alerts' settings and the bench are worked out for.
    demoTrafficRate: wholeNumber({ min: 1, max: DEMO_TRAFFIC_MAX_RATE }).optional(),
    appsNamespace: namespace.default("platform"),
    monitoringNamespace: namespace.default("monitoring"),
    costExporterMode: z.enum(["auto", "aws", "demo"]).default("aws"),
    // Unset: the exporter's own defaults (services/cost-exporter/src/config.ts), which always cap paid requests.
    costExporterRefreshInterval: refreshInterval.optional(),
    // Never 0 in a cluster: "no cap" would let a restart loop pay for every start-up refresh.
    costExporterDailyRequestCap: wholeNumber({ min: 1, max: 1000 }).optional(),
    costTagKey: costTagKeySchema,
    // Objectives, budget and ceilings: thresholds/thresholds.yaml with this stack's overrides laid over it.
    thresholds: stackThresholdsSchema,
    budgetAlertEmails: z.array(z.email()).default([]),
    telegramChatId: z
      .string()
      .regex(/^-?\d+$/, "a Telegram chat id (an integer, negative for groups)")
      .default("0"),
  })
  .strict()
  .strict();

type RawSettings = z.infer<typeof settingsObject>;

/**
 * The load balancer, its domain and Grafana's exposure. Grafana's login crosses a load balancer only over
 * HTTPS, so either exposure needs a domain (Grafana answers at `grafana.<domain>`); everything behind a load
 * balancer needs the AWS Load Balancer Controller, hence an EKS stack.
 */
function loadBalancerChecks(settings: RawSettings, issue: (key: string, message: string) => void): void {
  if (settings.clusterMode === "existing") {
    if (settings.grafanaExposure !== "cluster-ip") {
      issue(
        "grafanaExposure",
        `${settings.grafanaExposure} needs clusterMode eks (the AWS Load Balancer Controller and ACM)`,
      );
    }
    for (const key of ["domain", "hostedZoneId"] as const) {
      if (settings[key]) issue(key, "only for clusterMode eks (ACM and the AWS Load Balancer Controller)");
    }
    return;
  }
  if (settings.domain && !settings.hostedZoneId) {
    issue(
      "hostedZoneId",
      `the Route 53 hosted zone of platform:domain ${settings.domain}, where the certificate's DNS validation and the address records go`,
    );
  }
  if (settings.hostedZoneId && !settings.domain) {
    issue("domain", "the DNS name the stack's addresses go under, in platform:hostedZoneId's zone");
  }
  if (settings.grafanaExposure !== "cluster-ip" && !settings.domain) {
    issue(
      "grafanaExposure",
      `${settings.grafanaExposure} serves Grafana's login over HTTPS only, at grafana.<platform:domain>: set platform:domain and platform:hostedZoneId, or keep cluster-ip (kubectl port-forward)`,
    );
  }
}

/** Checks between settings, and against the catalogue (replica counts) and the EKS version table. */
function crossChecks(settings: RawSettings, ctx: z.RefinementCtx, services: Catalogue): void {
  const issue = (key: string, message: string) => ctx.addIssue({ code: "custom", path: [key], message });
  if (settings.nodeMinSize > settings.nodeDesiredSize || settings.nodeDesiredSize > settings.nodeMaxSize) {
    issue("nodeDesiredSize", "nodeMinSize <= nodeDesiredSize <= nodeMaxSize");
  }
  if (settings.grafanaExposure === "public-load-balancer" && !settings.allowPublicLoadBalancer) {
    issue("grafanaExposure", "public-load-balancer only together with platform:allowPublicLoadBalancer true");
  }
  if (settings.clusterMode === "eks" && settings.clusterAdminRoleArns.length === 0) {
    issue(
      "clusterAdminRoleArns",
      "at least one IAM role or user ARN (the one that runs pulumi up) when clusterMode is eks",
    );
  }
  loadBalancerChecks(settings, issue);
  if (settings.clusterMode === "existing" && settings.imageRegistry === "ecr") {
    issue("imageRegistry", "a registry the existing cluster can pull from (ecr needs clusterMode eks)");
  }
  if (TAG_KEYS_SET_BY_THE_PROGRAM.includes(settings.costTagKey)) {
    issue(
      "costTagKey",
      `carries the stack's name on every resource, so it cannot be ${TAG_KEYS_SET_BY_THE_PROGRAM.join(", ")}, which carry their own`,
    );
  }
  if (settings.appsNamespace === settings.monitoringNamespace) {
    issue(
      "appsNamespace",
      `must differ from platform:monitoringNamespace (both are ${settings.appsNamespace})`,
    );
  }
  if (settings.longTermStore === true && settings.clusterMode !== "eks") {
    issue(
      "longTermStore",
      "needs clusterMode eks (EKS Pod Identity signs the remote write to Amazon Managed Service for Prometheus); set it to false for an existing cluster",
    );
  }
  const retention = settings.prometheusRetention;
  if (
    retention !== undefined &&
    /^\d+[hdwy]$/.test(retention) &&
    promDurationMs(retention) < rulesLookback().ms
  ) {
    const { rule, file } = rulesLookback();
    issue(
      "prometheusRetention",
      `${retention} is shorter than the alert rules read back (${rule} in alerts/${file} reads ${rulesRetention()}); at least ${rulesRetention()}, or unset`,
    );
  }
  if (settings.clusterMode === "eks") {
    const notice = kubernetesVersionNotice(settings.kubernetesVersion, new Date());
    if (notice.level === "error") issue("kubernetesVersion", notice.message);
    else if (!addonVersionsFor(settings.kubernetesVersion)) {
      issue(
        "kubernetesVersion",
        `no EKS add-on versions are recorded for ${settings.kubernetesVersion} (infra/eks-addon-versions.ts)`,
      );
    }
  }
  for (const [name, count] of Object.entries(settings.replicas)) {
    const entry = services.find((service) => service.name === name);
    if (!entry) {
      issue(
        "replicas",
        `${name}: no such service in the catalogue (there are: ${services.map((s) => s.name).join(", ")})`,
      );
    } else if ("fixed" in entry.replicas) {
      if (count !== entry.replicas.fixed) {
        issue("replicas", `${name}: fixed at ${entry.replicas.fixed} (${entry.replicas.reason})`);
      }
    } else if (count > entry.replicas.max) {
      issue("replicas", `${name}: at most ${entry.replicas.max}, not ${count}`);
    }
  }
}

/** The settings schema for a catalogue (tests pass one with a fixture service). */
export const settingsSchemaFor = (services: Catalogue = defaultCatalogue) =>
  settingsObject.superRefine((settings, ctx) => crossChecks(settings, ctx, services));
export const settingsSchema = settingsSchemaFor();

export type ParsedSettings = z.infer<typeof settingsObject>;

export type Settings = ParsedSettings & {
  project: string;
  stack: string;
  /** `platform:telegramBotToken`, a Pulumi secret; undefined when not set. */
  telegramBotToken: pulumi.Output<string> | undefined;
};

const secretKeys = new Set(["telegramBotToken"]);
const structuredKeys = new Set([
  "nodeInstanceTypes",
  "clusterAdminRoleArns",
  "clusterViewerRoleArns",
  "budgetAlertEmails",
  "thresholds",
  "replicas",
]);

/** What the rules read back, from the rule files as built from the defaults (windows do not vary by stack). */
let lookback: ReturnType<typeof longestLookback> | undefined;
const rulesLookback = () => {
  lookback ??= longestLookback(buildRuleFiles(loadDefaultThresholds()));
  return lookback;
};
const rulesRetention = () => retentionFor(rulesLookback().ms);

/** Whether the stack sends its recorded cost series to a long-term store (Amazon Managed Service for Prometheus). */
export const longTermStoreOn = (settings: Pick<ParsedSettings, "longTermStore" | "clusterMode">): boolean =>
  settings.longTermStore ?? settings.clusterMode === "eks";

/**
 * The in-cluster Prometheus's retention: the setting, else what the rules read back when the long-term store
 * keeps the history, else 15 days.
 */
export function prometheusRetentionOf(
  settings: Pick<ParsedSettings, "prometheusRetention" | "longTermStore" | "clusterMode">,
): string {
  return settings.prometheusRetention ?? (longTermStoreOn(settings) ? rulesRetention() : "15d");
}

/** Turns raw `platform:*` strings into settings, or throws one SettingsError listing every bad value. */
export function parseSettings(
  raw: Record<string, string>,
  services: Catalogue = defaultCatalogue,
): ParsedSettings {
  return parseNamespaced({
    namespace: "platform",
    title: "stack settings",
    schema: settingsSchemaFor(validateCatalogue(services)),
    raw,
    structuredKeys,
    secretKeys,
    documentedIn: "infra/README.md",
  });
}

/**
 * A stack's settings as its `Pulumi.<stack>.yaml` states them (secrets left out), parsed as the program parses
 * them: for tools that read a stack without running the program (the image list, the policy pack's config).
 */
export function parseStackFile(stack: string, root?: string): ParsedSettings {
  const { config, secretKeys } = readStackConfig(stack, root);
  const raw = Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("platform:") && !secretKeys.includes(key))
      .map(([key, value]) => [key.slice("platform:".length), value]),
  );
  return parseSettings(raw);
}

/** The replica count of a service in this stack: its setting, else the catalogue's default or fixed count. */
export function replicasOf(settings: Pick<ParsedSettings, "replicas">, entry: Catalogue[number]): number {
  if ("fixed" in entry.replicas) return entry.replicas.fixed;
  return settings.replicas[entry.name] ?? entry.replicas.default;
}

/** Reads the stack's `platform:*` configuration. Call once, before any resource is created. */
export function loadSettings(services: Catalogue = defaultCatalogue): Settings {
  const parsed = parseSettings(readConfigNamespace("platform"), services);
  if (parsed.clusterMode === "eks") {
    const notice = kubernetesVersionNotice(parsed.kubernetesVersion, new Date());
    if (notice.level === "warning") pulumi.log.warn(`platform:kubernetesVersion: ${notice.message}`);
  }
  const config = new pulumi.Config("platform");
  return {
    ...parsed,
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    telegramBotToken: config.getSecret("telegramBotToken"),
  };
}
