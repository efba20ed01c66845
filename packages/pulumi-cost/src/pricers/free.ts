/**
 * Resource types AWS does not bill by themselves, each with why. Every other type the registry has no pricer
 * for is not priced, and makes the total "at least": a type missing here is never counted as free. The test
 * beside it checks every entry against the type tokens of the installed @pulumi/aws, @pulumi/kubernetes and
 * @pulumi/random, so a misspelt entry cannot hide a billed type.
 */
const NETWORK =
  "no charge for the VPC configuration itself (data processing and the NAT gateways, endpoints and addresses in it are priced)";
const IAM = "IAM is offered at no additional charge";
const K8S_OBJECT =
  "an object in the cluster's API server: AWS bills the cluster and its nodes, priced on their own";
const WORKLOAD =
  "its pods run on nodes priced with their node group; their share of it is in the workloads section (Fargate pods are not priced: a FargateProfile is not priced)";
const CONFIG_OF = (what: string) => `configuration of ${what}, which is priced (or not) on its own`;

export const FREE_TYPES: ReadonlyMap<string, string> = new Map([
  ["aws:ec2/vpc:Vpc", NETWORK],
  ["aws:ec2/subnet:Subnet", NETWORK],
  ["aws:ec2/routeTable:RouteTable", NETWORK],
  ["aws:ec2/routeTableAssociation:RouteTableAssociation", NETWORK],
  ["aws:ec2/route:Route", NETWORK],
  ["aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", NETWORK],
  ["aws:ec2/defaultRouteTable:DefaultRouteTable", NETWORK],
  [
    "aws:ec2/internetGateway:InternetGateway",
    "no charge for an internet gateway (data transfer out is billed by use)",
  ],
  [
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "no charge for the gateway (data transfer is billed by use)",
  ],
  ["aws:ec2/securityGroup:SecurityGroup", NETWORK],
  ["aws:ec2/securityGroupRule:SecurityGroupRule", NETWORK],
  ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", NETWORK],
  ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", NETWORK],
  ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", NETWORK],
  ["aws:ec2/networkAcl:NetworkAcl", NETWORK],
  ["aws:ec2/networkAclRule:NetworkAclRule", NETWORK],
  ["aws:ec2/launchTemplate:LaunchTemplate", CONFIG_OF("the instances launched from it")],
  ["aws:ec2/keyPair:KeyPair", "no charge for a key pair"],
  ["aws:ec2/eipAssociation:EipAssociation", CONFIG_OF("the Elastic IP address")],
  ["aws:iam/role:Role", IAM],
  ["aws:iam/policy:Policy", IAM],
  ["aws:iam/rolePolicy:RolePolicy", IAM],
  ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", IAM],
  ["aws:iam/policyAttachment:PolicyAttachment", IAM],
  ["aws:iam/instanceProfile:InstanceProfile", IAM],
  ["aws:iam/openIdConnectProvider:OpenIdConnectProvider", IAM],
  ["aws:iam/user:User", IAM],
  ["aws:iam/userPolicyAttachment:UserPolicyAttachment", IAM],
  ["aws:iam/group:Group", IAM],
  ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment", IAM],
  ["aws:eks/accessEntry:AccessEntry", "EKS access entries are part of the cluster, billed per cluster-hour"],
  ["aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "part of the cluster, billed per cluster-hour"],
  ["aws:eks/podIdentityAssociation:PodIdentityAssociation", "EKS Pod Identity has no charge of its own"],
  ["aws:eks/addon:Addon", "EKS add-ons have no charge of their own; their pods run on the cluster's nodes"],
  [
    "aws:budgets/budget:Budget",
    "a budget without actions has no charge (budget actions are a type of their own)",
  ],
  [
    "aws:amp/workspaceConfiguration:WorkspaceConfiguration",
    "a workspace's retention setting: Amazon Managed Service for Prometheus bills the workspace's samples, storage and queries, priced on the workspace",
  ],
  ["aws:kms/alias:Alias", "no charge for an alias (the key is priced)"],
  ["aws:s3/bucketPolicy:BucketPolicy", CONFIG_OF("the bucket")],
  ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", CONFIG_OF("the bucket")],
  ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", CONFIG_OF("the bucket")],
  ["aws:s3/bucketVersioningV2:BucketVersioningV2", CONFIG_OF("the bucket")],
  [
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    CONFIG_OF("the bucket"),
  ],
  ["aws:ecr/lifecyclePolicy:LifecyclePolicy", CONFIG_OF("the repository")],
  ["aws:ecr/repositoryPolicy:RepositoryPolicy", CONFIG_OF("the repository")],
  ["aws:lambda/permission:Permission", CONFIG_OF("the function")],
  ["kubernetes:core/v1:Namespace", K8S_OBJECT],
  ["kubernetes:core/v1:ConfigMap", K8S_OBJECT],
  ["kubernetes:core/v1:Secret", K8S_OBJECT],
  ["kubernetes:core/v1:ServiceAccount", K8S_OBJECT],
  ["kubernetes:core/v1:LimitRange", K8S_OBJECT],
  ["kubernetes:core/v1:ResourceQuota", K8S_OBJECT],
  ["kubernetes:core/v1:Endpoints", K8S_OBJECT],
  ["kubernetes:apps/v1:Deployment", WORKLOAD],
  ["kubernetes:apps/v1:DaemonSet", WORKLOAD],
  ["kubernetes:apps/v1:ReplicaSet", WORKLOAD],
  ["kubernetes:batch/v1:Job", WORKLOAD],
  ["kubernetes:batch/v1:CronJob", WORKLOAD],
  ["kubernetes:core/v1:Pod", WORKLOAD],
  ["kubernetes:rbac.authorization.k8s.io/v1:Role", K8S_OBJECT],
  ["kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", K8S_OBJECT],
  ["kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", K8S_OBJECT],
  ["kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", K8S_OBJECT],
  ["kubernetes:networking.k8s.io/v1:NetworkPolicy", K8S_OBJECT],
  ["kubernetes:policy/v1:PodDisruptionBudget", K8S_OBJECT],
  ["kubernetes:scheduling.k8s.io/v1:PriorityClass", K8S_OBJECT],
  ["kubernetes:storage.k8s.io/v1:StorageClass", CONFIG_OF("the volumes claimed through it")],
  ["kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", K8S_OBJECT],
  ["kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration", K8S_OBJECT],
  ["kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", K8S_OBJECT],
  [
    "random:index/randomPassword:RandomPassword",
    "generated on the machine running Pulumi; no cloud resource",
  ],
  ["random:index/randomString:RandomString", "generated on the machine running Pulumi; no cloud resource"],
  ["random:index/randomId:RandomId", "generated on the machine running Pulumi; no cloud resource"],
  ["random:index/randomPet:RandomPet", "generated on the machine running Pulumi; no cloud resource"],
  ["random:index/randomInteger:RandomInteger", "generated on the machine running Pulumi; no cloud resource"],
]);

/** Why a type Pulumi itself defines is free: the stack, providers and component resources bill nothing. */
export function builtInFree(type: string, custom: boolean | undefined): string | undefined {
  if (type === "pulumi:pulumi:Stack") return "the stack itself";
  if (type.startsWith("pulumi:providers:")) return "a provider's configuration";
  if (custom === false) return "a component resource: what it creates is priced on its own rows";
  return undefined;
}
