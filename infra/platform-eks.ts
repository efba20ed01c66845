import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { StackCostInventory } from "../catalogue/services";
import { EksCluster, ExistingCluster } from "./components/cluster";
import { LoadBalancerController } from "./components/load-balancer-controller";
import { LongTermStore } from "./components/long-term-store";
import { kubePrometheusStackRelease } from "./components/monitoring";
import { Network } from "./components/network";
import { longTermStoreOn, type Settings } from "./config";
import { ecrRegistry } from "./images";
import { preflight } from "./preflight";
import { stackTags } from "./stack-tags";

/**
 * What the rest of the program stands on: a cluster to deploy into, and for an EKS stack everything AWS-side
 * (network, cluster, budget, the load balancer controller) with the checks `pulumi up` makes first.
 */
export interface Foundation {
  k8sProvider: k8s.Provider;
  /** Only an EKS stack has a kubeconfig to hand out; an existing cluster's is the user's own. */
  kubeconfig?: pulumi.Output<string>;
  /** The registry the images are referenced in (the account's ECR, or the setting's registry). */
  registry: string;
  /** For services with an AWS identity; undefined without Pod Identity (an existing cluster). */
  podIdentity?: { clusterName: pulumi.Input<string>; accountId: pulumi.Input<string> };
  /** The class Prometheus and Alertmanager claim volumes from, and what provisions (and deletes) them. */
  storage?: { className: string; resource: pulumi.Resource };
  roleArns: Record<string, pulumi.Output<string>>;
  /** Present on EKS: every Ingress depends on its release. */
  loadBalancerController?: LoadBalancerController;
  /** The tagging provider of the load balancer's concern (`service: ingress`): the controller, certificate, records. */
  ingressProvider?: aws.Provider;
  /** The Amazon Managed Service for Prometheus workspace the recorded cost series are written to, when on. */
  longTermStore?: LongTermStore;
}

export interface FoundationContext {
  settings: Settings;
  clusterName: string;
  /** The image references the Deployments will name, for a registry (preflight checks they are in ECR). */
  imagesAt(registry: string): string[];
  awsProvider(service: string): aws.Provider;
  /** Filled with what the stack bills outside Kubernetes (the cost exporter publishes it). */
  costInventory: StackCostInventory;
}

export function existingFoundation({ settings }: FoundationContext): Foundation {
  const cluster = new ExistingCluster("cluster", {
    ...(settings.kubeconfig ? { kubeconfig: settings.kubeconfig } : {}),
    ...(settings.kubeContext ? { kubeContext: settings.kubeContext } : {}),
  });
  return { k8sProvider: cluster.k8sProvider, registry: settings.imageRegistry, roleArns: {} };
}

/** The caller, the partition and the registry, after the checks of preflight.ts (which create nothing). */
async function checkedCaller(context: FoundationContext) {
  const { settings } = context;
  // Its own provider, so the checks below need nothing else registered first.
  const provider = context.awsProvider("preflight");
  const caller = await aws.getCallerIdentity({}, { provider });
  const { dnsSuffix, partition } = await aws.getPartition({}, { provider });
  const registry =
    settings.imageRegistry === "ecr"
      ? ecrRegistry(caller.accountId, settings.region, dnsSuffix)
      : settings.imageRegistry;
  await preflight({
    provider,
    callerArn: caller.arn,
    clusterAdminRoleArns: settings.clusterAdminRoleArns,
    ecrImages: settings.imageRegistry === "ecr" ? context.imagesAt(registry) : [],
  });
  return { accountId: caller.accountId, partition, registry };
}

/** The AWS Budget on the stack's cost tag (activate it as a cost allocation tag first). */
function monthlyBudget(settings: Settings, provider: aws.Provider, limitUsd: number): aws.budgets.Budget {
  return new aws.budgets.Budget(
    "monthly-budget",
    {
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: limitUsd.toFixed(2),
      limitUnit: "USD",
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
    { provider },
  );
}

export async function eksFoundation(context: FoundationContext, budgetUsd: number): Promise<Foundation> {
  const { settings, clusterName, awsProvider, costInventory } = context;
  const { accountId, partition, registry } = await checkedCaller(context);
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
    accountId,
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
    controlPlaneLogRetentionDays: settings.controlPlaneLogRetentionDays,
    provider: awsProvider("cluster"),
  });
  const longTermStore = longTermStoreOn(settings)
    ? new LongTermStore("long-term-store", {
        release: kubePrometheusStackRelease,
        namespace: settings.monitoringNamespace,
        region: settings.region,
        accountId,
        clusterName: cluster.clusterName,
        alias: clusterName,
        provider: awsProvider("long-term-store"),
      })
    : undefined;
  monthlyBudget(settings, awsProvider("budget"), budgetUsd);
  const ingressProvider = awsProvider("ingress");
  const loadBalancerController = new LoadBalancerController("load-balancer-controller", {
    clusterName: cluster.clusterName,
    kubernetesClusterName: clusterName,
    region: settings.region,
    accountId,
    partition,
    vpcId: network.vpcId,
    tags: stackTags(settings, "ingress"),
    awsProvider: ingressProvider,
    k8sProvider: cluster.k8sProvider,
  });
  costInventory.resources = { ...cluster.billedParts.resources, ...network.billedParts };
  costInventory.nodeRootVolume = cluster.billedParts.nodeRootVolume;
  // Only a cluster whose upgrade policy lets it enter extended support is ever billed the surcharge.
  costInventory.eksExtendedSupportFrom = cluster.billedParts.eksExtendedSupportFrom;
  return {
    k8sProvider: cluster.k8sProvider,
    kubeconfig: cluster.kubeconfig,
    registry,
    podIdentity: { clusterName: cluster.clusterName, accountId },
    storage: { className: "gp3", resource: cluster.storageClass },
    roleArns: {
      ...cluster.roleArns,
      loadBalancerController: loadBalancerController.roleArn,
      ...(longTermStore
        ? {
            longTermStoreWriter: longTermStore.roleArns.prometheus,
            longTermStoreReader: longTermStore.roleArns.grafana,
          }
        : {}),
    },
    loadBalancerController,
    ingressProvider,
    ...(longTermStore ? { longTermStore } : {}),
  };
}
