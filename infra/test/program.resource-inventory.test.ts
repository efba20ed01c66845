import { describe, expect, it } from "vitest";
import { dashboards, rules, runs, stackList, useExampleStackRuns } from "./program-run";
import { countByType, ofType } from "./stacks";

/** The program under mocks for each example stack: what it declares, counted by type. */
useExampleStackRuns();

const accessEntries = (stack: string) =>
  stackList(stack, "clusterAdminRoleArns").length + stackList(stack, "clusterViewerRoleArns").length;

/** What every stack declares in the cluster, whatever the cluster mode. */
const kubernetesInventory = (workloads: number, storageClass: number): Record<string, number> => ({
  ...(storageClass
    ? {
        // the load balancer controller (its namespace and chart) and the storefront's Ingress: EKS only
        "kubernetes:networking.k8s.io/v1:Ingress": 1,
        "kubernetes:core/v1:Namespace": 3,
        "kubernetes:helm.sh/v3:Release": 2,
      }
    : { "kubernetes:core/v1:Namespace": 2, "kubernetes:helm.sh/v3:Release": 1 }),
  "kubernetes:apps/v1:Deployment": workloads,
  "kubernetes:core/v1:ConfigMap": dashboards.length,
  "kubernetes:core/v1:Secret": 2,
  "kubernetes:core/v1:Service": workloads,
  "kubernetes:core/v1:ServiceAccount": workloads,
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": rules.length,
  "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": workloads,
  // default deny + one per workload
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": workloads + 1,
  "kubernetes:policy/v1:PodDisruptionBudget": workloads,
  ...(storageClass ? { "kubernetes:storage.k8s.io/v1:StorageClass": storageClass } : {}),
  "pulumi:providers:kubernetes": 1,
  "random:index/randomPassword:RandomPassword": 1,
});

const awsInventory = (zones: number, nats: number, stack: "dev" | "prod") => ({
  "aws:budgets/budget:Budget": 1,
  // the control plane's log group, created with an expiry before the cluster
  "aws:cloudwatch/logGroup:LogGroup": 1,
  "aws:ec2/eip:Eip": nats,
  "aws:ec2/internetGateway:InternetGateway": 1,
  "aws:ec2/launchTemplate:LaunchTemplate": 1,
  "aws:ec2/natGateway:NatGateway": nats,
  "aws:ec2/routeTable:RouteTable": 1 + zones,
  "aws:ec2/routeTableAssociation:RouteTableAssociation": 2 * zones,
  "aws:ec2/subnet:Subnet": 2 * zones,
  "aws:ec2/vpc:Vpc": 1,
  // one per cluster admin (the deploy role, ...) and per viewer (the preview and drift roles) the stack names
  "aws:eks/accessEntry:AccessEntry": accessEntries(stack),
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": accessEntries(stack),
  "aws:eks/addon:Addon": 5,
  "aws:eks/cluster:Cluster": 1,
  "aws:eks/nodeGroup:NodeGroup": 1,
  // the cost exporter's, the load balancer controller's, and the long-term store's writer (Prometheus) and
  // reader (Grafana)
  "aws:amp/workspace:Workspace": 1,
  "aws:amp/workspaceConfiguration:WorkspaceConfiguration": 1,
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": 4,
  "aws:iam/role:Role": 7,
  "aws:iam/rolePolicy:RolePolicy": 4,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 5,
  "aws:kms/key:Key": 1,
  // preflight (creates nothing), network, cluster, long-term-store, cost-exporter, budget, ingress: one
  // provider per concern for the `service` tag
  "pulumi:providers:aws": 7,
});

/**
 * The previewer group's read-only RBAC (EKS stacks with a viewer role): a Secrets Role in monitoring and in the
 * load balancer controller's namespace (Helm's release records), and the Prometheus query Role (right-sizing).
 */
const previewAccess = {
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": 1,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": 1,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": 3,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 3,
  "platform:access:PreviewAccess": 1,
};

/** One generic component per deployed catalogue service (platform:apps:Service). */
const components = (eks: boolean, services: number): Record<string, number> =>
  eks
    ? {
        "platform:apps:Apps": 1,
        "platform:apps:Service": services,
        "platform:cluster:EksCluster": 1,
        "platform:ingress:Endpoints": 1,
        "platform:ingress:LoadBalancerController": 1,
        "platform:monitoring:LongTermStore": 1,
        "platform:monitoring:Monitoring": 1,
        "platform:network:Network": 1,
      }
    : {
        "platform:apps:Apps": 1,
        "platform:apps:Service": services,
        "platform:cluster:ExistingCluster": 1,
        "platform:monitoring:Monitoring": 1,
      };

const sorted = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

describe("resource inventory", () => {
  it("dev: two zones, one NAT gateway, demo traffic", () => {
    expect(countByType(runs.dev.resources)).toEqual(
      sorted({
        ...awsInventory(2, 1, "dev"),
        ...kubernetesInventory(3, 1),
        ...components(true, 3),
        ...previewAccess,
      }),
    );
  });

  it("local (existing cluster): no AWS resource at all", () => {
    expect(countByType(runs.local.resources)).toEqual(
      sorted({ ...kubernetesInventory(3, 0), ...components(false, 3) }),
    );
    expect(runs.local.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    const provider = ofType(runs.local.resources, "pulumi:providers:kubernetes")[0];
    expect(provider?.inputs.context).toBe("kind-platform");
  });

  it("prod-like: three zones, a NAT gateway per zone, no demo traffic", () => {
    expect(countByType(runs.prodLike.resources)).toEqual(
      sorted({
        ...awsInventory(3, 3, "prod"),
        ...kubernetesInventory(2, 1),
        ...components(true, 2),
        ...previewAccess,
      }),
    );
    const privateRoutes = ofType(runs.prodLike.resources, "aws:ec2/routeTable:RouteTable")
      .filter((r) => r.name.includes("private"))
      .map((r) => r.inputs.routes[0].natGatewayId);
    expect(new Set(privateRoutes).size).toBe(3);
  });

  it("the dev stack's node group: t3.large, 2 nodes (2..4), private subnets, IMDSv2 only", () => {
    const [nodeGroup] = ofType(runs.dev.resources, "aws:eks/nodeGroup:NodeGroup");
    expect(nodeGroup?.inputs.instanceTypes).toEqual(["t3.large"]);
    expect(nodeGroup?.inputs.scalingConfig).toEqual({ minSize: 2, desiredSize: 2, maxSize: 4 });
    expect(nodeGroup?.inputs.subnetIds).toEqual(["network-private-0-id", "network-private-1-id"]);
    const [template] = ofType(runs.dev.resources, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template?.inputs.metadataOptions.httpTokens).toBe("required");
    expect(template?.inputs.blockDeviceMappings[0].ebs).toMatchObject({
      volumeType: "gp3",
      encrypted: "true",
    });
  });

  it("platform:nodeDesiredSize stays effective after the first deploy: desiredSize is not ignored", async () => {
    const [nodeGroup] = ofType(runs.dev.resources, "aws:eks/nodeGroup:NodeGroup");
    expect(nodeGroup?.ignoreChanges ?? []).not.toContain("scalingConfig.desiredSize");
    expect(runs.dev.resources.filter((r) => r.ignoreChanges?.length)).toEqual([]);
    const { runProgram } = await import("../under-mocks/mocks");
    const resized = await runProgram("dev", { nodeDesiredSize: "3" });
    expect(
      ofType(resized.resources, "aws:eks/nodeGroup:NodeGroup")[0]?.inputs.scalingConfig.desiredSize,
    ).toBe(3);
  });

  it("the VPC CNI enforces NetworkPolicies (its network policy agent is on)", () => {
    const vpcCni = ofType(runs.dev.resources, "aws:eks/addon:Addon").find(
      (a) => a.inputs.addonName === "vpc-cni",
    );
    expect(JSON.parse(vpcCni?.inputs.configurationValues ?? "{}")).toEqual({ enableNetworkPolicy: "true" });
  });

  it("subnets carry the EKS load-balancer role tags and span distinct zones", () => {
    const subnets = ofType(runs.prodLike.resources, "aws:ec2/subnet:Subnet");
    const publicSubnets = subnets.filter((s) => s.name.includes("public"));
    const privateSubnets = subnets.filter((s) => s.name.includes("private"));
    expect(publicSubnets.every((s) => s.inputs.tags["kubernetes.io/role/elb"] === "1")).toBe(true);
    expect(privateSubnets.every((s) => s.inputs.tags["kubernetes.io/role/internal-elb"] === "1")).toBe(true);
    expect(new Set(publicSubnets.map((s) => s.inputs.availabilityZone)).size).toBe(3);
    expect(publicSubnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
  });

  it("the cluster uses API access entries, encrypted secrets, and all five add-ons", () => {
    const [cluster] = ofType(runs.dev.resources, "aws:eks/cluster:Cluster");
    expect(cluster?.inputs.accessConfig).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    expect(cluster?.inputs.encryptionConfig.resources).toEqual(["secrets"]);
    const addons = ofType(runs.dev.resources, "aws:eks/addon:Addon").map((a) => a.inputs.addonName);
    expect(addons.sort()).toEqual([
      "aws-ebs-csi-driver",
      "coredns",
      "eks-pod-identity-agent",
      "kube-proxy",
      "vpc-cni",
    ]);
    const ebs = ofType(runs.dev.resources, "aws:eks/addon:Addon").find(
      (a) => a.inputs.addonName === "aws-ebs-csi-driver",
    );
    expect(ebs?.inputs.podIdentityAssociations).toEqual([
      { roleArn: expect.stringContaining(":role/cluster-ebs-csi"), serviceAccount: "ebs-csi-controller-sa" },
    ]);
    const entries = ofType(runs.dev.resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
    expect(entries.map((e) => [e.inputs.principalArn, e.inputs.policyArn.split("/").pop()])).toEqual([
      ...stackList("dev", "clusterAdminRoleArns").map((arn) => [arn, "AmazonEKSClusterAdminPolicy"]),
      ...stackList("dev", "clusterViewerRoleArns").map((arn) => [arn, "AmazonEKSViewPolicy"]),
    ]);
    const [storageClass] = ofType(runs.dev.resources, "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(storageClass?.inputs.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe(
      "true",
    );
    expect(storageClass?.inputs.parameters.type).toBe("gp3");
  });

  it("every AWS resource goes through a provider that tags project, stack, service and managed-by", () => {
    const providers = ofType(runs.dev.resources, "pulumi:providers:aws");
    for (const provider of providers) {
      const defaultTags = JSON.parse(provider.inputs.defaultTags);
      expect(Object.keys(defaultTags.tags).sort()).toEqual(["managed-by", "project", "service", "stack"]);
      expect(defaultTags.tags).toMatchObject({
        project: "cost-aware-platform",
        stack: "dev",
        "managed-by": "pulumi",
      });
      expect(provider.inputs.region).toBe("us-east-1");
    }
    expect(providers.map((p) => JSON.parse(p.inputs.defaultTags).tags.service).sort()).toEqual([
      "budget",
      "cluster",
      "cost-exporter",
      "ingress",
      "long-term-store",
      "network",
      "preflight",
    ]);
  });

  it("stack outputs: kubeconfig using aws eks get-token, addresses, Grafana access and password, role ARNs", () => {
    const outputs = runs.dev.outputs;
    const kubeconfig = JSON.parse(outputs.kubeconfig as string);
    expect(kubeconfig.users[0].user.exec.command).toBe("aws");
    expect(kubeconfig.users[0].user.exec.args.slice(0, 2)).toEqual(["eks", "get-token"]);
    expect(outputs.grafanaAccess).toContain("port-forward service/kube-prometheus-stack-grafana");
    // No domain: the load balancer's own name; Grafana stays behind the port-forward (infra/test/endpoints.test.ts).
    expect(outputs.storefrontUrl).toBe("http://k8s-endpoints-storefront-mock.us-east-1.elb.amazonaws.com");
    expect(outputs.grafanaUrl).toBe("http://localhost:3000");
    expect(runs.local.outputs.storefrontUrl).toBe("http://localhost:8080");
    expect(outputs.grafanaAdminPassword).toBe("mock-password-monitoring-grafana-admin");
    expect(Object.keys(outputs.roleArns as object).sort()).toEqual([
      "controlPlane",
      "costExporter",
      "ebsCsiDriver",
      "loadBalancerController",
      "longTermStoreReader",
      "longTermStoreWriter",
      "nodes",
    ]);
    expect(outputs.clusterName).toBe("cost-aware-platform-dev");
    expect(runs.local.outputs.kubeconfig).toBeUndefined();
  });
});
