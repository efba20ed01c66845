import * as path from "node:path";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { Apps } from "./components/apps";
import { EksCluster, ExistingCluster } from "./components/cluster";
import { CostExporterIdentity } from "./components/identity";
import { Monitoring } from "./components/monitoring";
import { Network } from "./components/network";
import { PreviewAccess } from "./components/preview-access";
import type { Settings } from "./config";

/** dashboards/, alerts/ and services/ are read from the repository the program lives in. */
export const repositoryRoot = path.resolve(__dirname, "..");
export const costExporterServiceAccount = "cost-exporter";

/**
 * The stack's monthly budget in US dollars: `platform:thresholds.cost.monthlyBudgetUsd`, or the default in
 * alerts/settings.yaml. The AWS Budget, ForecastOverBudget and the dashboards' budget line all read it.
 */
export function monthlyBudgetUsd(settings: Pick<Settings, "thresholds">): number {
  return settings.thresholds.cost.monthlyBudgetUsd;
}

/**
 * Every AWS resource is created through a provider whose default tags name the project, stack and
 * concern, so Cost Explorer can group the bill by stack and by service without per-resource tagging.
 */
export function awsProviderFor(settings: Settings, service: string): aws.Provider {
  return new aws.Provider(`aws-${service}`, {
    region: settings.region as aws.Region,
    defaultTags: {
      tags: { project: settings.project, stack: settings.stack, service, "managed-by": "pulumi" },
    },
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

export function definePlatform(settings: Settings): PlatformOutputs {
  const clusterName = settings.clusterName ?? `${settings.project}-${settings.stack}`.slice(0, 100);
  let k8sProvider: EksCluster["k8sProvider"];
  let kubeconfig: pulumi.Output<string> | undefined;
  let costExporterMode = settings.costExporterMode;
  const roleArns: Record<string, pulumi.Output<string>> = {};
  let storageClassName: string | undefined;

  if (settings.clusterMode === "eks") {
    const clusterProvider = awsProviderFor(settings, "cluster");
    const caller = aws.getCallerIdentityOutput({}, { provider: clusterProvider });
    const partition = aws.getPartitionOutput({}, { provider: clusterProvider });

    const network = new Network("network", {
      clusterName,
      cidr: settings.vpcCidr,
      azCount: settings.azCount,
      natGateways: settings.natGateways,
      provider: awsProviderFor(settings, "network"),
    });
    const cluster = new EksCluster("cluster", {
      clusterName,
      kubernetesVersion: settings.kubernetesVersion,
      region: settings.region,
      accountId: caller.accountId,
      partition: partition.partition,
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
      provider: clusterProvider,
    });
    const identity = new CostExporterIdentity("identity", {
      clusterName: cluster.clusterName,
      accountId: caller.accountId,
      namespace: settings.appsNamespace,
      serviceAccount: costExporterServiceAccount,
      policyFile: path.join(repositoryRoot, "services", "cost-exporter", "iam-policy.json"),
      provider: awsProviderFor(settings, "cost-exporter"),
    });
    new aws.budgets.Budget(
      "monthly-budget",
      {
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: monthlyBudgetUsd(settings).toFixed(2),
        limitUnit: "USD",
        // Only spend carrying this stack's tag (activate the tag as a cost allocation tag first).
        costFilters: [{ name: "TagKeyValue", values: [`user:stack$${settings.stack}`] }],
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
      { provider: awsProviderFor(settings, "budget") },
    );
    k8sProvider = cluster.k8sProvider;
    kubeconfig = cluster.kubeconfig;
    storageClassName = "gp3";
    Object.assign(roleArns, cluster.roleArns, { costExporter: identity.roleArn });
  } else {
    const cluster = new ExistingCluster("cluster", {
      ...(settings.kubeconfig ? { kubeconfig: settings.kubeconfig } : {}),
      ...(settings.kubeContext ? { kubeContext: settings.kubeContext } : {}),
    });
    k8sProvider = cluster.k8sProvider;
    // Without Pod Identity there are no AWS credentials in the cluster: demo data, said out loud.
    if (costExporterMode === "aws") costExporterMode = "demo";
  }

  const monitoring = new Monitoring("monitoring", {
    namespace: settings.monitoringNamespace,
    chartVersion: settings.kubePrometheusStackVersion,
    prometheusRetention: settings.prometheusRetention,
    prometheusStorageSize: settings.prometheusStorageSize,
    alertmanagerStorageSize: settings.alertmanagerStorageSize,
    grafanaExposure: settings.grafanaExposure,
    telegramChatId: settings.telegramChatId,
    telegramBotToken: settings.telegramBotToken,
    thresholds: settings.thresholds,
    sourceRoot: repositoryRoot,
    ...(storageClassName ? { storageClassName } : {}),
    provider: k8sProvider,
  });

  new Apps("apps", {
    namespace: settings.appsNamespace,
    monitoringNamespace: settings.monitoringNamespace,
    storefront: { image: settings.storefrontImage, replicas: settings.storefrontReplicas },
    costExporter: {
      image: settings.costExporterImage,
      serviceAccount: costExporterServiceAccount,
      env: {
        COST_EXPORTER_MODE: costExporterMode,
        REFRESH_INTERVAL: settings.costExporterRefreshInterval,
        DAILY_REQUEST_CAP: String(settings.costExporterDailyRequestCap),
        COST_TAG_KEY: settings.costTagKey,
        // Cost Explorer has one endpoint, in us-east-1, whatever region the cluster is in.
        AWS_REGION: "us-east-1",
      },
    },
    traffic: settings.demoTraffic
      ? { image: settings.trafficImage, rate: settings.demoTrafficRate }
      : undefined,
    monitoringCrds: monitoring.release,
    provider: k8sProvider,
  });

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
