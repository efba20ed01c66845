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
import { EksCluster, ExistingCluster } from "./components/cluster";
import { LongTermStore } from "./components/long-term-store";
import { kubePrometheusStackRelease, Monitoring } from "./components/monitoring";
import { Network } from "./components/network";
import { PreviewAccess } from "./components/preview-access";
import { readPolicyFile } from "./components/service";
import { longTermStoreOn, prometheusRetentionOf, replicasOf, type Settings } from "./config";
import { ecrRegistry, type ImageSource, imageSourceAt, imagesToBuild, repositoryRoot } from "./images";
import { preflight } from "./preflight";
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
 * alerts/settings.yaml. The AWS Budget, ForecastOverBudget and the dashboards' budget line all read it.
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
  grafanaAccess: pulumi.Output<string>;
  grafanaAdminPassword: pulumi.Output<string>;
  roleArns: Record<string, pulumi.Output<string>>;
  appsNamespace: string;
  monthlyBudgetUsd: number;
};

export async function definePlatform(
  settings: Settings,
  options: PlatformOptions = {},
): Promise<PlatformOutputs> {
  const catalogue = validateCatalogue(options.catalogue ?? defaultCatalogue);
  const imageSource = options.imageSource ?? imageSourceAt(repositoryRoot);
  const clusterName = settings.clusterName ?? `${settings.project}-${settings.stack}`.slice(0, 100);
  let k8sProvider: EksCluster["k8sProvider"];
  let kubeconfig: pulumi.Output<string> | undefined;
  const roleArns: Record<string, pulumi.Output<string>> = {};
  let storageClassName: string | undefined;
  let registry: string = settings.imageRegistry;
  let podIdentity: { clusterName: pulumi.Input<string>; accountId: pulumi.Input<string> } | undefined;
  let longTermStore: LongTermStore | undefined;
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

  if (settings.clusterMode === "eks") {
    // Its own provider, so the checks below need nothing else registered first. It creates nothing.
    const preflightProvider = awsProviderFor(settings, "preflight");
    const caller = await aws.getCallerIdentity({}, { provider: preflightProvider });
    const { dnsSuffix, partition } = await aws.getPartition({}, { provider: preflightProvider });
    if (settings.imageRegistry === "ecr")
      registry = ecrRegistry(caller.accountId, settings.region, dnsSuffix);
    const byService = referencesAt(registry);
    await preflight({
      provider: preflightProvider,
      callerArn: caller.arn,
      clusterAdminRoleArns: settings.clusterAdminRoleArns,
      ecrImages:
        settings.imageRegistry === "ecr" ? deployed.map((entry) => byService.get(entry.name) as string) : [],
    });
    const clusterProvider = awsProvider("cluster");

    const network = new Network("network", {
      clusterName,
      cidr: settings.vpcCidr,
      azCount: settings.azCount,
      natGateways: settings.natGateways,
      provider: awsProvider("network"),
    });
    const cluster = new EksCluster("cluster", {
      clusterName,
      kubernetesVersion: settings.kubernetesVersion,
      region: settings.region,
      accountId: caller.accountId,
      partition,
      privateSubnetIds: network.privateSubnetIds,
      publicSubnetIds: network.publicSubnetIds,
      nodeInstanceTypes: settings.nodeInstanceTypes,
      nodeCapacityType: settings.nodeCapacityType,
      nodeMinSize: settings.nodeMinSize,
      nodeDesiredSize: settings.nodeDesiredSize,
      nodeMaxSize: settings.nodeMaxSize,
      nodeDiskSizeGiB: settings.nodeDiskSizeGiB,
      clusterAdminRoleArns: settings.clusterAdminRoleArns,
      clusterViewerRoleArns: settings.clusterViewerRoleArns,
      createdResourceTags: stackTags(settings, "cluster"),
      provider: clusterProvider,
    });
    podIdentity = { clusterName: cluster.clusterName, accountId: caller.accountId };
    if (longTermStoreOn(settings)) {
      longTermStore = new LongTermStore("long-term-store", {
        release: kubePrometheusStackRelease,
        namespace: settings.monitoringNamespace,
        region: settings.region,
        accountId: caller.accountId,
        clusterName: cluster.clusterName,
        alias: clusterName,
        provider: awsProvider("long-term-store"),
      });
      roleArns.longTermStoreWriter = longTermStore.roleArns.prometheus;
      roleArns.longTermStoreReader = longTermStore.roleArns.grafana;
    }
    new aws.budgets.Budget(
      "monthly-budget",
      {
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: monthlyBudgetUsd(settings).toFixed(2),
        limitUnit: "USD",
        // Only spend carrying this stack's cost tag (activate it as a cost allocation tag first).
        costFilters: [{ name: "TagKeyValue", values: [`user:${settings.costTagKey}$${settings.stack}`] }],
        notifications:
          settings.budgetAlertEmails.length > 0
            ? [
                {
                  comparisonOperator: "GREATER_THAN",
                  threshold: 100,
                  thresholdType: "PERCENTAGE",
                  notificationType: "FORECASTED",
                  subscriberEmailAddresses: settings.budgetAlertEmails,
                },
              ]
            : [],
      },
      { provider: awsProvider("budget") },
    );
    k8sProvider = cluster.k8sProvider;
    kubeconfig = cluster.kubeconfig;
    storageClassName = "gp3";
    costInventory.resources = { ...cluster.billedParts.resources, ...network.billedParts };
    costInventory.nodeRootVolume = cluster.billedParts.nodeRootVolume;
    // Only a cluster whose upgrade policy lets it enter extended support is ever billed the surcharge.
    costInventory.eksExtendedSupportFrom = cluster.billedParts.eksExtendedSupportFrom;
    Object.assign(roleArns, cluster.roleArns);
  } else {
    const cluster = new ExistingCluster("cluster", {
      ...(settings.kubeconfig ? { kubeconfig: settings.kubeconfig } : {}),
      ...(settings.kubeContext ? { kubeContext: settings.kubeContext } : {}),
    });
    k8sProvider = cluster.k8sProvider;
  }

  const monitoring = new Monitoring("monitoring", {
    namespace: settings.monitoringNamespace,
    chartVersion: settings.kubePrometheusStackVersion,
    prometheusRetention: prometheusRetentionOf(settings),
    prometheusStorageSize: settings.prometheusStorageSize,
    alertmanagerStorageSize: settings.alertmanagerStorageSize,
    grafanaExposure: settings.grafanaExposure,
    loadBalancerTags: stackTags(settings, "monitoring"),
    telegramChatId: settings.telegramChatId,
    telegramBotToken: settings.telegramBotToken,
    thresholds: settings.thresholds,
    costTagKey: settings.costTagKey,
    sourceRoot: repositoryRoot,
    ...(storageClassName ? { storageClassName } : {}),
    managedControlPlane: settings.clusterMode === "eks",
    ...(longTermStore ? { longTermStore: { values: longTermStore.values, dependsOn: [longTermStore] } } : {}),
    provider: k8sProvider,
  });

  const portOf = new Map(catalogue.map((entry) => [entry.name, entry.port]));
  const urlOf = (name: string) =>
    `http://${name}.${settings.appsNamespace}.svc.cluster.local:${portOf.get(name) ?? ""}`;
  const references = referencesAt(registry);
  const services: DeployedService[] = deployed.map((entry) => ({
    entry,
    image: references.get(entry.name) as string,
    replicas: replicasOf(settings, entry),
    env: { ...entry.env, ...entry.clusterEnv?.({ urlOf, settings: clusterSettings }) },
    ...(entry.awsIdentity && podIdentity
      ? {
          aws: {
            ...podIdentity,
            provider: awsProvider(entry.name),
            policyText: readPolicyFile(path.join(repositoryRoot, entry.awsIdentity.policyFile)),
          },
        }
      : {}),
  }));
  const apps = new Apps("apps", {
    namespace: settings.appsNamespace,
    monitoringNamespace: settings.monitoringNamespace,
    services,
    monitoringCrds: monitoring.release,
    provider: k8sProvider,
  });
  for (const [service, arn] of Object.entries(apps.roleArns)) roleArns[camelCase(service)] = arn;

  if (settings.clusterMode === "eks" && settings.clusterViewerRoleArns.length > 0) {
    // Monitoring's Secrets and the Helm release records live in its namespace; the apps declare none.
    new PreviewAccess(
      "preview-access",
      { secretNamespaces: [settings.monitoringNamespace], provider: k8sProvider },
      { dependsOn: [monitoring.namespaceResource] },
    );
  }

  return {
    clusterName,
    // Only an EKS stack has a kubeconfig to hand out; an existing cluster's is the user's own.
    ...(kubeconfig ? { kubeconfig } : {}),
    grafanaAccess: monitoring.grafanaAccess,
    grafanaAdminPassword: monitoring.grafanaAdminPassword,
    roleArns,
    appsNamespace: settings.appsNamespace,
    monthlyBudgetUsd: monthlyBudgetUsd(settings),
  };
}
