import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonVersionsFor } from "../eks-addon-versions";
import { type EksSupportType, extendedSupportBilledFrom } from "../eks-support";
import { nodeAmiType } from "../node-architecture";
import { NODE_NAME_TAG } from "../stack-tags";
import { clusterServiceAddons, nodeAgentAddons } from "./cluster-addons";
import { attachManagedPolicies, platformRolePath, serviceTrust } from "./iam";
import { previewerGroup } from "./preview-access";

export interface EksClusterArgs {
  clusterName: string;
  kubernetesVersion: string;
  region: string;
  accountId: pulumi.Input<string>;
  partition: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string>[];
  publicSubnetIds: pulumi.Input<string>[];
  nodeInstanceTypes: string[];
  nodeCapacityType: "ON_DEMAND" | "SPOT";
  nodeMinSize: number;
  nodeDesiredSize: number;
  nodeMaxSize: number;
  nodeDiskSizeGiB: number;
  clusterAdminRoleArns: string[];
  clusterViewerRoleArns: string[];
  /** The stack's tags (infra/stack-tags.ts) for what AWS creates for the cluster: nodes, their and the CSI driver's volumes. */
  createdResourceTags: Record<string, string>;
  /** How long CloudWatch Logs keeps the control plane's logs (`platform:controlPlaneLogRetentionDays`). */
  controlPlaneLogRetentionDays: number;
  provider: aws.Provider;
}

/**
 * What the cluster does at the end of its version's standard support: EKS upgrades it instead of billing
 * extended support ($0.50 per cluster hour on top of $0.10); the program warns 60 days ahead. The cost
 * exporter's live price series and `npm run cost` read this, so they bill extended support only if it changes.
 */
export const eksClusterSupportType: EksSupportType = "STANDARD";

/** The managed policies a node needs: join the cluster, pull add-on images from ECR, run the VPC CNI. */
export const nodeManagedPolicies = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonEKS_CNI_Policy",
];

export const clusterAccessPolicies = {
  admin: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  viewer: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
};

/** A kubeconfig that authenticates with `aws eks get-token`, so it holds no long-lived secret. */
export function eksKubeconfig(
  clusterName: pulumi.Input<string>,
  endpoint: pulumi.Input<string>,
  certificateAuthority: pulumi.Input<string>,
  region: string,
): pulumi.Output<string> {
  return pulumi.all([clusterName, endpoint, certificateAuthority]).apply(([name, server, ca]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server, "certificate-authority-data": ca } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      users: [
        {
          name,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["eks", "get-token", "--cluster-name", name, "--region", region, "--output", "json"],
              interactiveMode: "Never",
            },
          },
        },
      ],
    }),
  );
}

/** The CloudWatch Logs group EKS writes the control plane's logs to; EKS would create it without an expiry. */
export const controlPlaneLogGroupName = (clusterName: string) => `/aws/eks/${clusterName}/cluster`;

type AwsOpts = { parent: pulumi.Resource; provider: aws.Provider };

/**
 * EKS with API-mode access entries, a managed node group, the core add-ons and a gp3 default class. An update
 * of `kubernetesVersion` moves the control plane first, then the node agents, the nodes (their `version`
 * follows the cluster's) and the add-ons that run on them, each at the version eks-addon-versions.ts records.
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly k8sProvider: k8s.Provider;
  readonly roleArns: Record<string, pulumi.Output<string>>;
  /**
   * The default StorageClass, which depends on the EBS CSI add-on: whatever claims volumes depends on it, so a
   * teardown deletes the claims (and their EBS volumes) while the driver still runs.
   */
  readonly storageClass: k8s.storage.v1.StorageClass;
  /** What it bills outside Kubernetes (the cost exporter publishes it for the live cost). */
  readonly billedParts: {
    resources: { eks_cluster: number; kms_key: number };
    nodeRootVolume: { volumeType: string; sizeGiB: number };
    /** The first UTC day the control plane is billed extended support; undefined: never (STANDARD). */
    eksExtendedSupportFrom: string | undefined;
  };

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:EksCluster", name, {}, opts);
    const awsOpts = { parent: this, provider: args.provider };
    const versions = addonVersionsFor(args.kubernetesVersion);
    if (!versions) {
      throw new Error(
        `platform:kubernetesVersion: no add-on versions recorded for ${args.kubernetesVersion}`,
      );
    }
    // The control plane and the key for its Secrets; every node's root volume (the launch template below).
    this.billedParts = {
      resources: { eks_cluster: 1, kms_key: 1 },
      nodeRootVolume: { volumeType: "gp3", sizeGiB: args.nodeDiskSizeGiB },
      eksExtendedSupportFrom: extendedSupportBilledFrom(args.kubernetesVersion, eksClusterSupportType),
    };

    const { cluster, clusterRole } = this.controlPlane(name, args, awsOpts);
    const accessEntries = this.accessEntries(name, args, cluster, awsOpts);
    const context = { name, clusterName: cluster.name, versions, opts: awsOpts };
    const [vpcCni, kubeProxy, podIdentityAgent] = nodeAgentAddons(context, cluster) as [
      aws.eks.Addon,
      aws.eks.Addon,
      aws.eks.Addon,
    ];
    const { nodeGroup, nodeRole } = this.nodes(name, args, cluster, [vpcCni, kubeProxy, podIdentityAgent]);
    const { ebsCsi, ebsCsiRole } = clusterServiceAddons(context, {
      accountId: args.accountId,
      partition: args.partition,
      kubernetesClusterName: args.clusterName,
      volumeTags: args.createdResourceTags,
      nodeGroup,
      podIdentityAgent,
    });

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.kubeconfig = pulumi.secret(
      eksKubeconfig(cluster.name, cluster.endpoint, cluster.certificateAuthority.data, args.region),
    );
    this.k8sProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this, dependsOn: [...accessEntries, nodeGroup] },
    );
    // gp3 is cheaper per GiB than gp2 with a 3000 IOPS baseline; the EKS default class is gp2.
    this.storageClass = new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      {
        metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true" },
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
      },
      { parent: this, provider: this.k8sProvider, dependsOn: [ebsCsi] },
    );

    this.roleArns = { controlPlane: clusterRole.arn, nodes: nodeRole.arn, ebsCsiDriver: ebsCsiRole.arn };
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      roleArns: this.roleArns,
    });
  }

  /** The control plane: its role, the key for its Secrets, its log group (with an expiry) and the cluster. */
  private controlPlane(name: string, args: EksClusterArgs, awsOpts: AwsOpts) {
    const clusterRole = new aws.iam.Role(
      `${name}-control-plane`,
      {
        path: platformRolePath,
        description: "EKS control plane",
        assumeRolePolicy: serviceTrust("eks.amazonaws.com"),
      },
      awsOpts,
    );
    const clusterPolicies = attachManagedPolicies(
      `${name}-control-plane`,
      clusterRole,
      args.partition,
      ["AmazonEKSClusterPolicy"],
      awsOpts,
    );
    const secretsKey = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `Envelope encryption of Kubernetes Secrets in ${args.clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      awsOpts,
    );
    // Created before the cluster, so EKS writes into it instead of creating one that never expires and that
    // pulumi destroy would leave behind (docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html).
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      {
        name: controlPlaneLogGroupName(args.clusterName),
        retentionInDays: args.controlPlaneLogRetentionDays,
      },
      awsOpts,
    );
    const cluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        upgradePolicy: { supportType: eksClusterSupportType },
        roleArn: clusterRole.arn,
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        vpcConfig: {
          subnetIds: [...args.privateSubnetIds, ...args.publicSubnetIds],
          endpointPrivateAccess: true,
          // CI runners and laptops reach the API over the internet; authentication is IAM + access entries.
          endpointPublicAccess: true,
        },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
        enabledClusterLogTypes: ["audit", "authenticator"],
      },
      { ...awsOpts, dependsOn: [...clusterPolicies, logGroup] },
    );
    return { cluster, clusterRole };
  }

  /** Admins (AmazonEKSClusterAdminPolicy) and viewers (AmazonEKSViewPolicy and the previewer group). */
  private accessEntries(name: string, args: EksClusterArgs, cluster: aws.eks.Cluster, awsOpts: AwsOpts) {
    return [
      ...args.clusterAdminRoleArns.map((arn) => ({
        arn,
        policy: clusterAccessPolicies.admin,
        kind: "admin",
      })),
      ...args.clusterViewerRoleArns.map((arn) => ({
        arn,
        policy: clusterAccessPolicies.viewer,
        kind: "viewer",
      })),
    ].map(({ arn, policy, kind }, i) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-${kind}-${i}`,
        {
          clusterName: cluster.name,
          principalArn: arn,
          type: "STANDARD",
          // Viewers also get the Secrets and custom resources a refresh reads, through RBAC bound to this
          // group (PreviewAccess); the view policy alone has neither.
          ...(kind === "viewer" ? { kubernetesGroups: [previewerGroup] } : {}),
        },
        awsOpts,
      );
      return new aws.eks.AccessPolicyAssociation(
        `${name}-${kind}-${i}`,
        {
          clusterName: cluster.name,
          principalArn: entry.principalArn,
          policyArn: policy,
          accessScope: { type: "cluster" },
        },
        awsOpts,
      );
    });
  }

  /** The node role, the launch template and the managed node group, at the cluster's Kubernetes version. */
  private nodes(name: string, args: EksClusterArgs, cluster: aws.eks.Cluster, nodeAgents: aws.eks.Addon[]) {
    const awsOpts = { parent: this, provider: args.provider };
    const nodeRole = new aws.iam.Role(
      `${name}-nodes`,
      {
        path: platformRolePath,
        description: "EKS managed node group",
        assumeRolePolicy: serviceTrust("ec2.amazonaws.com"),
      },
      awsOpts,
    );
    const nodePolicies = attachManagedPolicies(
      `${name}-nodes`,
      nodeRole,
      args.partition,
      nodeManagedPolicies,
      awsOpts,
    );
    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-nodes`,
      {
        description: "IMDSv2 only and encrypted gp3 root volumes for the managed node group",
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: args.nodeDiskSizeGiB,
              volumeType: "gp3",
              encrypted: "true",
              deleteOnTermination: "true",
            },
          },
        ],
        // EKS launches the nodes: the provider's default tags reach the template, not what it launches.
        tagSpecifications: (["instance", "volume", "network-interface"] as const).map((resourceType) => ({
          resourceType,
          tags: { ...args.createdResourceTags, [NODE_NAME_TAG]: `${args.clusterName}-node` },
        })),
      },
      awsOpts,
    );
    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: cluster.name,
        // The cluster's version as EKS reports it: the nodes roll to a new version after the control plane
        // has it (a kubelet may not be newer than the API server).
        version: cluster.version,
        nodeRoleArn: nodeRole.arn,
        subnetIds: args.privateSubnetIds,
        instanceTypes: args.nodeInstanceTypes,
        capacityType: args.nodeCapacityType,
        amiType: nodeAmiType,
        scalingConfig: {
          minSize: args.nodeMinSize,
          desiredSize: args.nodeDesiredSize,
          maxSize: args.nodeMaxSize,
        },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: {
          id: launchTemplate.id,
          version: pulumi.interpolate`${launchTemplate.latestVersion}`,
        },
        labels: { "platform/pool": "general" },
      },
      // desiredSize is not ignored: no autoscaler runs here, so platform:nodeDesiredSize is the only owner
      // of it. Adding Cluster Autoscaler or Karpenter means ignoring it again (infra/README.md).
      { ...awsOpts, dependsOn: [...nodePolicies, ...nodeAgents] },
    );
    return { nodeGroup, nodeRole };
  }
}

export interface ExistingClusterArgs {
  kubeconfig?: string;
  kubeContext?: string;
}

/** A cluster made elsewhere (kind, k3d, minikube, another EKS): only a provider, no AWS resources. */
export class ExistingCluster extends pulumi.ComponentResource {
  readonly k8sProvider: k8s.Provider;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:cluster:ExistingCluster", name, {}, opts);
    this.k8sProvider = new k8s.Provider(
      `${name}-k8s`,
      {
        ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
        ...(args.kubeContext ? { context: args.kubeContext } : {}),
        enableServerSideApply: true,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
