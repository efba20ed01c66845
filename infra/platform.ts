import * as path from "node:path";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import {
  type Catalogue,
  type ClusterSettings,
  catalogue as defaultCatalogue,
  type StackCostInventory,
  servicesIn,
  validateCatalogue,
} from "../catalogue/services";
import { Apps, type DeployedService } from "./components/apps";
import { Endpoints, grafanaUrlFor } from "./components/endpoints";
import { LOAD_BALANCER_CONTROLLER_NAMESPACE } from "./components/load-balancer-controller";
import { grafanaServiceName, Monitoring } from "./components/monitoring";
import { PreviewAccess } from "./components/preview-access";
import { readPolicyFile } from "./components/service";
import { prometheusRetentionOf, replicasOf, type Settings } from "./config";
import { type ImageSource, imageSourceAt, imagesToBuild, repositoryRoot } from "./images";
import { eksFoundation, existingFoundation, type Foundation } from "./platform-eks";
import { stackTags } from "./stack-tags";

/** dashboards/, alerts/ and services/ are read from the repository the program lives in. */
export { repositoryRoot };

export interface PlatformOptions {
  /** The services to deploy; tests pass the real catalogue plus a fixture service. */
  catalogue?: Catalogue;
  /** Where image tags are computed from; HEAD of this repository by default. */
  imageSource?: ImageSource;
}

/** `cost-exporter` → `costExporter`, for output keys. */
const camelCase = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The stack's monthly budget in US dollars: `platform:thresholds.cost.monthlyBudgetUsd`, or the default in
 * thresholds/thresholds.yaml.
 */
export function monthlyBudgetUsd(settings: Pick<Settings, "thresholds">): number {
  return settings.thresholds.cost.monthlyBudgetUsd;
}

/**
 * Every AWS resource is created through a provider whose default tags are the stack's tags (project, stack,
 * concern), so Cost Explorer can group the bill by stack and by service without per-resource tagging.
 */
export function awsProviderFor(settings: Settings, service: string): aws.Provider {
  return new aws.Provider(`aws-${service}`, {
    region: settings.region as aws.Region,
    defaultTags: { tags: stackTags(settings, service) },
  });
}

export type PlatformOutputs = {
  clusterName: pulumi.Output<string> | string;
  kubeconfig?: pulumi.Output<string>;
  /** The shop's address: https://<domain>, the load balancer's HTTP name, or (existing cluster) the port-forward's. */
  storefrontUrl: pulumi.Input<string>;
  /** Grafana's address: https://grafana.<domain>, or the port-forward's (grafanaAccess says how). */
  grafanaUrl: pulumi.Input<string>;
  grafanaAccess: pulumi.Output<string>;
  grafanaAdminPassword: pulumi.Output<string>;
  roleArns: Record<string, pulumi.Output<string>>;
  appsNamespace: string;
  monthlyBudgetUsd: number;
};

/** The catalogue's services this stack runs, each with its image, replicas, environment and AWS identity. */
function deployedServices(
  settings: Settings,
  deployed: Catalogue[number][],
  context: {
    catalogue: Catalogue;
    clusterSettings: ClusterSettings;
    references: Map<string, string>;
    foundation: Foundation;
    awsProvider(service: string): aws.Provider;
  },
): DeployedService[] {
  const portOf = new Map(context.catalogue.map((entry) => [entry.name, entry.port]));
  const urlOf = (name: string) =>
    `http://${name}.${settings.appsNamespace}.svc.cluster.local:${portOf.get(name) ?? ""}`;
  const { podIdentity } = context.foundation;
  return deployed.map((entry) => ({
    entry,
    image: context.references.get(entry.name) as string,
    replicas: replicasOf(settings, entry),
    env: { ...entry.env, ...entry.clusterEnv?.({ urlOf, settings: context.clusterSettings }) },
    ...(entry.awsIdentity && podIdentity
      ? {
          aws: {
            ...podIdentity,
            provider: context.awsProvider(entry.name),
            policyText: readPolicyFile(path.join(repositoryRoot, entry.awsIdentity.policyFile)),
          },
        }
      : {}),
  }));
}

/**
 * The stack's addresses (EKS only): the service open to anyone (the shop) on the load balancer, and Grafana
 * beside it when the stack exposes it.
 */
function endpointsOf(
  settings: Settings,
  clusterName: string,
  parts: { deployed: Catalogue[number][]; apps: Apps; monitoring: Monitoring; foundation: Foundation },
): Endpoints | undefined {
  const { loadBalancerController: controller, ingressProvider } = parts.foundation;
  const open = parts.deployed.filter((entry) => entry.ingress === "anyone");
  if (!controller || !ingressProvider || open.length === 0) return undefined;
  if (open.length > 1) {
    throw new Error(
      `only one service can own the stack's address; open to anyone: ${open.map((e) => e.name)}`,
    );
  }
  const shop = open[0] as Catalogue[number];
  return new Endpoints("endpoints", {
    groupName: clusterName,
    scheme: settings.allowPublicLoadBalancer ? "internet-facing" : "internal",
    ...(settings.domain ? { domain: settings.domain } : {}),
    ...(settings.hostedZoneId ? { hostedZoneId: settings.hostedZoneId } : {}),
    storefront: {
      namespace: settings.appsNamespace,
      service: shop.name,
      port: shop.port,
      healthCheckPath: shop.probes.readiness,
      dependsOn: parts.apps,
    },
    ...(settings.grafanaExposure === "cluster-ip"
      ? {}
      : {
          grafana: {
            scheme: settings.grafanaExposure === "public-load-balancer" ? "internet-facing" : "internal",
            namespace: settings.monitoringNamespace,
            service: grafanaServiceName,
            port: 80,
            healthCheckPath: "/api/health",
            dependsOn: parts.monitoring.release,
          },
        }),
    controller: controller.release,
    awsProvider: ingressProvider,
    k8sProvider: parts.foundation.k8sProvider,
  });
}

/** kube-prometheus-stack with the stack's rules and dashboards, on the foundation's storage and long-term store. */
function monitoringOf(
  settings: Settings,
  foundation: Foundation,
  grafanaUrl: string | undefined,
): Monitoring {
  return new Monitoring("monitoring", {
    namespace: settings.monitoringNamespace,
    chartVersion: settings.kubePrometheusStackVersion,
    prometheusRetention: prometheusRetentionOf(settings),
    prometheusStorageSize: settings.prometheusStorageSize,
    alertmanagerStorageSize: settings.alertmanagerStorageSize,
    grafanaExposure: settings.grafanaExposure,
    grafanaUrl,
    telegramChatId: settings.telegramChatId,
    telegramBotToken: settings.telegramBotToken,
    thresholds: settings.thresholds,
    costTagKey: settings.costTagKey,
    sourceRoot: repositoryRoot,
    ...(foundation.storage
      ? { storageClassName: foundation.storage.className, storage: foundation.storage.resource }
      : {}),
    managedControlPlane: settings.clusterMode === "eks",
    ...(foundation.longTermStore
      ? { longTermStore: { values: foundation.longTermStore.values, dependsOn: [foundation.longTermStore] } }
      : {}),
    provider: foundation.k8sProvider,
  });
}

/** Read access for the cluster's viewers to what a pull-request preview reads (EKS stacks that name viewers). */
function previewAccessOf(settings: Settings, foundation: Foundation, monitoring: Monitoring): void {
  if (settings.clusterMode === "eks" && settings.clusterViewerRoleArns.length > 0) {
    // Monitoring's Secrets, and the Helm release records in monitoring's and the controller's namespaces.
    new PreviewAccess(
      "preview-access",
      {
        secretNamespaces: [settings.monitoringNamespace, LOAD_BALANCER_CONTROLLER_NAMESPACE],
        monitoringNamespace: settings.monitoringNamespace,
        provider: foundation.k8sProvider,
      },
      {
        dependsOn: [
          monitoring.namespaceResource,
          ...(foundation.loadBalancerController ? [foundation.loadBalancerController] : []),
        ],
      },
    );
  }
}

/** The EKS cluster's name unless `platform:clusterName` sets one (npm run rightsize -- --print-cluster reads it too). */
export const defaultClusterName = (project: string, stack: string) => `${project}-${stack}`.slice(0, 100);

export async function definePlatform(
  settings: Settings,
  options: PlatformOptions = {},
): Promise<PlatformOutputs> {
  const catalogue = validateCatalogue(options.catalogue ?? defaultCatalogue);
  const imageSource = options.imageSource ?? imageSourceAt(repositoryRoot);
  const clusterName = settings.clusterName ?? defaultClusterName(settings.project, settings.stack);
  // What the stack pays for outside Kubernetes: nothing for a cluster the program does not create.
  const costInventory: StackCostInventory = {
    stack: settings.stack,
    region: settings.region,
    nodeInstanceTypes: settings.nodeInstanceTypes,
    resources: {},
  };
  const awsProvider = (service: string) => awsProviderFor(settings, service);
  // Without Pod Identity (an existing cluster) there are no AWS credentials in the cluster: demo data, said out loud.
  const costExporterMode =
    settings.clusterMode === "existing" && settings.costExporterMode === "aws"
      ? "demo"
      : settings.costExporterMode;
  const clusterSettings: ClusterSettings = { ...settings, costExporterMode, costInventory };
  const deployed = servicesIn("cluster", catalogue).filter(
    (entry) => entry.deployedWhen?.(clusterSettings) ?? true,
  );
  const referencesAt = (prefix: string) =>
    new Map(
      imagesToBuild(prefix, settings.project, catalogue, imageSource).map((i) => [i.service, i.reference]),
    );
  const context = {
    settings,
    clusterName,
    imagesAt: (registry: string) => deployed.map((entry) => referencesAt(registry).get(entry.name) as string),
    awsProvider,
    costInventory,
  };
  const foundation =
    settings.clusterMode === "eks"
      ? await eksFoundation(context, monthlyBudgetUsd(settings))
      : existingFoundation(context);
  const grafanaUrl = grafanaUrlFor(settings.grafanaExposure, settings.domain);

  const monitoring = monitoringOf(settings, foundation, grafanaUrl);
  const services = deployedServices(settings, deployed, {
    catalogue,
    clusterSettings,
    references: referencesAt(foundation.registry),
    foundation,
    awsProvider,
  });
  const apps = new Apps("apps", {
    namespace: settings.appsNamespace,
    monitoringNamespace: settings.monitoringNamespace,
    services,
    monitoringCrds: monitoring.release,
    loadBalancerController: foundation.loadBalancerController?.release,
    provider: foundation.k8sProvider,
  });
  const endpoints = endpointsOf(settings, clusterName, { deployed, apps, monitoring, foundation });
  const roleArns = { ...foundation.roleArns };
  for (const [service, arn] of Object.entries(apps.roleArns)) roleArns[camelCase(service)] = arn;

  previewAccessOf(settings, foundation, monitoring);

  const shopPort = deployed.find((entry) => entry.ingress === "anyone")?.port;
  return {
    clusterName,
    ...(foundation.kubeconfig ? { kubeconfig: foundation.kubeconfig } : {}),
    storefrontUrl: endpoints?.storefrontUrl ?? `http://localhost:${shopPort ?? ""}`,
    grafanaUrl,
    grafanaAccess: monitoring.grafanaAccess,
    grafanaAdminPassword: monitoring.grafanaAdminPassword,
    roleArns,
    appsNamespace: settings.appsNamespace,
    monthlyBudgetUsd: monthlyBudgetUsd(settings),
  };
}
