import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksAddon } from "../eks-addon-versions";
import { attachManagedPolicies, platformRolePath, podIdentityTrust } from "./iam";

/**
 * The EKS add-ons, in the two groups an upgrade moves at different moments (infra/README.md, "Upgrading
 * Kubernetes"): the node agents, DaemonSets every node needs before it can run pods (pod networking, Services,
 * Pod Identity credentials), are updated after the control plane and before the nodes roll; the cluster
 * services run as pods on the nodes, so they are created (and updated) after the node group: EKS reports them
 * DEGRADED while no node can run them.
 */

export interface AddonContext {
  /** A prefix for resource names (the cluster component's name). */
  name: string;
  clusterName: pulumi.Input<string>;
  /** The version of each add-on for the cluster's Kubernetes version (eks-addon-versions.ts). */
  versions: Readonly<Record<EksAddon, string>>;
  opts: pulumi.CustomResourceOptions;
}

function addon(
  context: AddonContext,
  addonName: EksAddon,
  extra: Partial<aws.eks.AddonArgs>,
  dependsOn: pulumi.Resource[],
): aws.eks.Addon {
  return new aws.eks.Addon(
    `${context.name}-${addonName}`,
    {
      clusterName: context.clusterName,
      addonName,
      addonVersion: context.versions[addonName],
      // The program owns the add-ons' configuration, on creation and on every version update.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...extra,
    },
    { ...context.opts, dependsOn },
  );
}

/** vpc-cni (with its network policy agent), kube-proxy and the Pod Identity agent. */
export function nodeAgentAddons(context: AddonContext, cluster: aws.eks.Cluster): aws.eks.Addon[] {
  return [
    addon(
      context,
      "vpc-cni",
      // Without the network policy agent EKS accepts NetworkPolicies and enforces none of them.
      { configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) },
      [cluster],
    ),
    addon(context, "kube-proxy", {}, [cluster]),
    addon(context, "eks-pod-identity-agent", {}, [cluster]),
  ];
}

export interface ClusterServicesArgs {
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
  /** The Kubernetes cluster name Pod Identity pins the EBS CSI role to. */
  kubernetesClusterName: string;
  /** The stack's tags for every volume the driver provisions. */
  volumeTags: Record<string, string>;
  nodeGroup: aws.eks.NodeGroup;
  podIdentityAgent: aws.eks.Addon;
}

/** CoreDNS and the EBS CSI driver (with its own Pod Identity role), after the nodes that run them. */
export function clusterServiceAddons(
  context: AddonContext,
  args: ClusterServicesArgs,
): { ebsCsi: aws.eks.Addon; ebsCsiRole: aws.iam.Role } {
  addon(context, "coredns", {}, [args.nodeGroup]);
  const ebsCsiRole = new aws.iam.Role(
    `${context.name}-ebs-csi`,
    {
      path: platformRolePath,
      description: "EBS CSI controller, through EKS Pod Identity",
      assumeRolePolicy: podIdentityTrust({
        accountId: args.accountId,
        clusterName: args.kubernetesClusterName,
        namespace: "kube-system",
        serviceAccount: "ebs-csi-controller-sa",
      }),
    },
    context.opts,
  );
  const ebsCsiPolicies = attachManagedPolicies(
    `${context.name}-ebs-csi`,
    ebsCsiRole,
    args.partition,
    ["service-role/AmazonEBSCSIDriverPolicy"],
    context.opts,
  );
  const ebsCsi = addon(
    context,
    "aws-ebs-csi-driver",
    {
      podIdentityAssociations: [{ roleArn: ebsCsiRole.arn, serviceAccount: "ebs-csi-controller-sa" }],
      // The driver creates the persistent volumes itself (CreateVolume), out of the provider's reach. Its
      // chart value controller.extraVolumeTags, which the add-on's configuration schema accepts, becomes
      // --extra-tags on every volume it provisions (dated in README.md, "Documentation this relies on").
      configurationValues: JSON.stringify({ controller: { extraVolumeTags: args.volumeTags } }),
    },
    [args.nodeGroup, args.podIdentityAgent, ...ebsCsiPolicies],
  );
  return { ebsCsi, ebsCsiRole };
}
