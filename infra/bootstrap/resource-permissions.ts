/**
 * What each AWS resource type the platform program declares needs from the role that runs `pulumi up`, to
 * create, update and delete it (reads are the preview role's, in permissions.ts), plus pushing the images.
 * infra/test/deploy-permissions.test.ts evaluates the deploy role against every action here with an IAM
 * policy evaluator, on the resources written here, and checks that every type the program declares has
 * a row. Placeholders: {partition} {region} {account} {cluster} {project} {id}.
 *
 * Sources: the AWS Service Authorization Reference for each service and the pages named per row (dated in
 * README.md, "Documentation this relies on").
 */

export interface RequiredAction {
  action: string;
  /** The resource the call names, as an ARN template; `*` for actions without resource-level permissions. */
  resource: string;
  /** Request context the call carries (condition keys the role's conditions test). */
  context?: Record<string, string | string[]>;
}

export interface ResourcePermissions {
  /** The Pulumi type token, e.g. `aws:eks/nodeGroup:NodeGroup`. */
  type: string;
  create: RequiredAction[];
  update: RequiredAction[];
  delete: RequiredAction[];
  source: string;
}

const ec2 = "arn:{partition}:ec2:{region}:{account}";
const eks = "arn:{partition}:eks:{region}:{account}";
const role = (name: string) => `arn:{partition}:iam::{account}:role/platform/${name}`;
const on = (resource: string) => (action: string, context?: Record<string, string | string[]>) => ({
  action,
  resource,
  ...(context ? { context } : {}),
});
const tags = {
  "aws:RequestTag/managed-by": "pulumi",
  "aws:TagKeys": ["managed-by", "project", "service", "stack"],
};

const vpc = on(`${ec2}:vpc/vpc-{id}`);
const subnet = on(`${ec2}:subnet/subnet-{id}`);
const igw = on(`${ec2}:internet-gateway/igw-{id}`);
const routeTable = on(`${ec2}:route-table/rtb-{id}`);
const eip = on(`${ec2}:elastic-ip/eipalloc-{id}`);
const nat = on(`${ec2}:natgateway/nat-{id}`);
const launchTemplate = on(`${ec2}:launch-template/lt-{id}`);
const cluster = on(`${eks}:cluster/{cluster}`);
const nodegroup = on(`${eks}:nodegroup/{cluster}/cluster-nodes/{id}`);
const addon = on(`${eks}:addon/{cluster}/vpc-cni/{id}`);
const accessEntry = on(`${eks}:access-entry/{cluster}/role/{account}/platform-deploy/{id}`);
// An IAM user's entry (clusterAdminRoleArns takes users too): access-entry/<cluster>/<user|role>/<account>/<name>/<id>.
const userAccessEntry = on(`${eks}:access-entry/{cluster}/user/{account}/alice/{id}`);
const podIdentity = on(`${eks}:podidentityassociation/{cluster}/a-{id}`);
const platformRole = on(role("cluster-nodes"));
const key = on("arn:{partition}:kms:{region}:{account}:key/{id}");
const budget = on("arn:{partition}:budgets::{account}:budget/{project}-dev");
const workspace = on("arn:{partition}:aps:{region}:{account}:workspace/ws-{id}");
const repository = on("arn:{partition}:ecr:{region}:{account}:repository/{project}/storefront");
const logGroup = on("arn:{partition}:logs:{region}:{account}:log-group:/aws/eks/{cluster}/cluster");
const certificate = on("arn:{partition}:acm:{region}:{account}:certificate/{id}");
const hostedZone = on("arn:{partition}:route53:::hostedzone/Z{id}");
const dnsChange = on("arn:{partition}:route53:::change/C{id}");

export const resourcePermissions: ResourcePermissions[] = [
  {
    type: "aws:ec2/vpc:Vpc",
    create: [vpc("ec2:CreateVpc"), vpc("ec2:CreateTags"), vpc("ec2:ModifyVpcAttribute")],
    update: [vpc("ec2:ModifyVpcAttribute"), vpc("ec2:CreateTags"), vpc("ec2:DeleteTags")],
    delete: [vpc("ec2:DeleteVpc")],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html",
  },
  {
    type: "aws:ec2/subnet:Subnet",
    create: [
      subnet("ec2:CreateSubnet"),
      vpc("ec2:CreateSubnet"),
      subnet("ec2:CreateTags"),
      subnet("ec2:ModifySubnetAttribute"),
    ],
    update: [subnet("ec2:ModifySubnetAttribute"), subnet("ec2:CreateTags"), subnet("ec2:DeleteTags")],
    delete: [subnet("ec2:DeleteSubnet")],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html",
  },
  {
    type: "aws:ec2/internetGateway:InternetGateway",
    create: [
      igw("ec2:CreateInternetGateway"),
      igw("ec2:AttachInternetGateway"),
      vpc("ec2:AttachInternetGateway"),
    ],
    update: [igw("ec2:CreateTags")],
    delete: [
      igw("ec2:DetachInternetGateway"),
      vpc("ec2:DetachInternetGateway"),
      igw("ec2:DeleteInternetGateway"),
    ],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateInternetGateway.html",
  },
  {
    type: "aws:ec2/routeTable:RouteTable",
    create: [routeTable("ec2:CreateRouteTable"), vpc("ec2:CreateRouteTable"), routeTable("ec2:CreateRoute")],
    update: [routeTable("ec2:CreateRoute"), routeTable("ec2:ReplaceRoute"), routeTable("ec2:DeleteRoute")],
    delete: [routeTable("ec2:DeleteRouteTable")],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRouteTable.html",
  },
  {
    type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    create: [routeTable("ec2:AssociateRouteTable"), subnet("ec2:AssociateRouteTable")],
    update: [routeTable("ec2:AssociateRouteTable")],
    delete: [routeTable("ec2:DisassociateRouteTable")],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html",
  },
  {
    type: "aws:ec2/eip:Eip",
    create: [eip("ec2:AllocateAddress"), eip("ec2:CreateTags")],
    update: [eip("ec2:CreateTags"), eip("ec2:DeleteTags")],
    delete: [eip("ec2:DisassociateAddress"), eip("ec2:ReleaseAddress")],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html",
  },
  {
    type: "aws:ec2/natGateway:NatGateway",
    create: [nat("ec2:CreateNatGateway"), subnet("ec2:CreateNatGateway"), eip("ec2:CreateNatGateway")],
    update: [nat("ec2:CreateTags")],
    delete: [nat("ec2:DeleteNatGateway")],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html",
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    create: [launchTemplate("ec2:CreateLaunchTemplate"), launchTemplate("ec2:CreateTags")],
    update: [launchTemplate("ec2:CreateLaunchTemplateVersion"), launchTemplate("ec2:ModifyLaunchTemplate")],
    delete: [launchTemplate("ec2:DeleteLaunchTemplate")],
    source: "docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html",
  },
  {
    type: "aws:eks/cluster:Cluster",
    create: [
      on("*")("eks:CreateCluster", tags),
      cluster("eks:TagResource"),
      on(role("cluster-control-plane"))("iam:PassRole", { "iam:PassedToService": "eks.amazonaws.com" }),
      // Secrets encryption: EKS creates a grant on the cluster's key in the caller's name.
      key("kms:CreateGrant"),
      key("kms:DescribeKey"),
      on("arn:{partition}:iam::{account}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS")(
        "iam:CreateServiceLinkedRole",
        { "iam:AWSServiceName": "eks.amazonaws.com" },
      ),
    ],
    update: [
      cluster("eks:UpdateClusterConfig"),
      cluster("eks:UpdateClusterVersion"),
      cluster("eks:TagResource"),
    ],
    delete: [cluster("eks:DeleteCluster")],
    source:
      "docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html; docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html",
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    create: [
      cluster("eks:CreateNodegroup"),
      nodegroup("eks:TagResource"),
      on(role("cluster-nodes"))("iam:PassRole", { "iam:PassedToService": "eks.amazonaws.com" }),
      // With a launch template, EKS requires the caller to be allowed to launch instances from it: RunInstances
      // on the template and what it launches, the tags on them, and passing the node role to EC2.
      launchTemplate("ec2:RunInstances"),
      on(`${ec2}:instance/*`)("ec2:RunInstances"),
      on(`${ec2}:volume/*`)("ec2:RunInstances"),
      on(`${ec2}:network-interface/*`)("ec2:RunInstances"),
      on(`${ec2}:subnet/subnet-{id}`)("ec2:RunInstances"),
      on(`${ec2}:security-group/sg-{id}`)("ec2:RunInstances"),
      on("arn:{partition}:ec2:{region}::image/ami-{id}")("ec2:RunInstances"),
      on(`${ec2}:instance/*`)("ec2:CreateTags", { "ec2:CreateAction": "RunInstances" }),
      on(`${ec2}:volume/*`)("ec2:CreateTags", { "ec2:CreateAction": "RunInstances" }),
      on(role("cluster-nodes"))("iam:PassRole", { "iam:PassedToService": "ec2.amazonaws.com" }),
      on(
        "arn:{partition}:iam::{account}:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup",
      )("iam:CreateServiceLinkedRole", { "iam:AWSServiceName": "eks-nodegroup.amazonaws.com" }),
    ],
    update: [
      nodegroup("eks:UpdateNodegroupConfig"),
      nodegroup("eks:UpdateNodegroupVersion"),
      launchTemplate("ec2:RunInstances"),
    ],
    delete: [nodegroup("eks:DeleteNodegroup")],
    source:
      "docs.aws.amazon.com/eks/latest/userguide/launch-templates.html; docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html; docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
  },
  {
    type: "aws:eks/addon:Addon",
    create: [
      cluster("eks:CreateAddon"),
      addon("eks:TagResource"),
      // The EBS CSI driver add-on's podIdentityAssociations: EKS creates the association for the caller.
      cluster("eks:CreatePodIdentityAssociation"),
      on(role("cluster-ebs-csi"))("iam:PassRole", { "iam:PassedToService": "pods.eks.amazonaws.com" }),
    ],
    update: [addon("eks:UpdateAddon")],
    delete: [addon("eks:DeleteAddon")],
    source:
      "docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html (podIdentityAssociations); docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html",
  },
  {
    type: "aws:eks/accessEntry:AccessEntry",
    create: [
      cluster("eks:CreateAccessEntry"),
      accessEntry("eks:TagResource"),
      userAccessEntry("eks:TagResource"),
    ],
    update: [accessEntry("eks:UpdateAccessEntry"), userAccessEntry("eks:UpdateAccessEntry")],
    delete: [accessEntry("eks:DeleteAccessEntry"), userAccessEntry("eks:DeleteAccessEntry")],
    source: "docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html",
  },
  {
    type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    create: [accessEntry("eks:AssociateAccessPolicy"), userAccessEntry("eks:AssociateAccessPolicy")],
    update: [accessEntry("eks:AssociateAccessPolicy"), userAccessEntry("eks:AssociateAccessPolicy")],
    delete: [accessEntry("eks:DisassociateAccessPolicy"), userAccessEntry("eks:DisassociateAccessPolicy")],
    source: "docs.aws.amazon.com/eks/latest/APIReference/API_AssociateAccessPolicy.html",
  },
  {
    type: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    create: [
      cluster("eks:CreatePodIdentityAssociation"),
      podIdentity("eks:TagResource"),
      on(role("identity-cost-exporter"))("iam:PassRole", { "iam:PassedToService": "pods.eks.amazonaws.com" }),
    ],
    update: [podIdentity("eks:UpdatePodIdentityAssociation")],
    delete: [podIdentity("eks:DeletePodIdentityAssociation")],
    source: "docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html",
  },
  {
    type: "aws:iam/role:Role",
    create: [platformRole("iam:CreateRole"), platformRole("iam:TagRole")],
    update: [
      platformRole("iam:UpdateRole"),
      platformRole("iam:UpdateAssumeRolePolicy"),
      platformRole("iam:UntagRole"),
    ],
    delete: [platformRole("iam:ListInstanceProfilesForRole"), platformRole("iam:DeleteRole")],
    source: "docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    create: [platformRole("iam:PutRolePolicy")],
    update: [platformRole("iam:PutRolePolicy")],
    delete: [platformRole("iam:DeleteRolePolicy")],
    source: "docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
  },
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    create: [
      platformRole("iam:AttachRolePolicy", {
        "iam:PolicyARN": "arn:{partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      }),
    ],
    update: [],
    delete: [
      platformRole("iam:DetachRolePolicy", {
        "iam:PolicyARN": "arn:{partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      }),
    ],
    source: "docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html",
  },
  {
    type: "aws:amp/workspace:Workspace",
    // CreateWorkspace names no resource (the service authorization reference lists none); its tags, on it.
    create: [
      on("*")("aps:CreateWorkspace", tags),
      workspace("aps:TagResource", tags),
      workspace("aps:DescribeWorkspace"),
    ],
    update: [
      workspace("aps:UpdateWorkspaceAlias"),
      workspace("aps:TagResource", tags),
      workspace("aps:UntagResource"),
    ],
    delete: [workspace("aps:DeleteWorkspace")],
    source: "docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateWorkspace.html",
  },
  {
    type: "aws:amp/workspaceConfiguration:WorkspaceConfiguration",
    create: [workspace("aps:UpdateWorkspaceConfiguration"), workspace("aps:DescribeWorkspaceConfiguration")],
    update: [workspace("aps:UpdateWorkspaceConfiguration")],
    // Removing it from the program leaves the workspace's configuration as it is.
    delete: [],
    source: "docs.aws.amazon.com/prometheus/latest/APIReference/API_UpdateWorkspaceConfiguration.html",
  },
  {
    type: "aws:kms/key:Key",
    create: [on("*")("kms:CreateKey", tags), key("kms:EnableKeyRotation"), key("kms:TagResource")],
    update: [key("kms:UpdateKeyDescription"), key("kms:EnableKeyRotation"), key("kms:UntagResource")],
    delete: [key("kms:ScheduleKeyDeletion")],
    source: "docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html",
  },
  {
    type: "aws:budgets/budget:Budget",
    create: [budget("budgets:ModifyBudget"), budget("budgets:TagResource")],
    update: [budget("budgets:ModifyBudget")],
    delete: [budget("budgets:ModifyBudget")],
    source: "docs.aws.amazon.com/cost-management/latest/userguide/billing-permissions-ref.html",
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    create: [
      logGroup("logs:CreateLogGroup", tags),
      logGroup("logs:PutRetentionPolicy"),
      logGroup("logs:TagResource"),
    ],
    update: [
      logGroup("logs:PutRetentionPolicy"),
      logGroup("logs:TagResource"),
      logGroup("logs:UntagResource"),
    ],
    delete: [logGroup("logs:DeleteLogGroup")],
    source:
      "docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html; docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
  },
  {
    type: "aws:acm/certificate:Certificate",
    create: [
      on("*")("acm:RequestCertificate", { ...tags, "acm:ValidationMethod": "DNS" }),
      certificate("acm:AddTagsToCertificate"),
      certificate("acm:DescribeCertificate"),
    ],
    update: [certificate("acm:AddTagsToCertificate"), certificate("acm:RemoveTagsFromCertificate")],
    delete: [certificate("acm:DeleteCertificate")],
    source: "docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
  },
  {
    // Waits until ACM has issued the certificate; it calls no write.
    type: "aws:acm/certificateValidation:CertificateValidation",
    create: [certificate("acm:DescribeCertificate")],
    update: [],
    delete: [],
    source: "docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
  },
  {
    type: "aws:route53/record:Record",
    create: [
      hostedZone("route53:ChangeResourceRecordSets", {
        "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME"],
      }),
      hostedZone("route53:ChangeResourceRecordSets", {
        "route53:ChangeResourceRecordSetsRecordTypes": ["A"],
      }),
      dnsChange("route53:GetChange"),
      hostedZone("route53:ListResourceRecordSets"),
    ],
    update: [
      hostedZone("route53:ChangeResourceRecordSets", {
        "route53:ChangeResourceRecordSetsRecordTypes": ["A"],
      }),
    ],
    delete: [
      hostedZone("route53:ChangeResourceRecordSets", {
        "route53:ChangeResourceRecordSetsRecordTypes": ["A"],
      }),
    ],
    source: "docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html",
  },
  {
    // Not a Pulumi resource: what the deploy job does before `pulumi up` (.github/workflows/pulumi-up.yml).
    type: "image push (ECR)",
    create: [
      on("*")("ecr:GetAuthorizationToken"),
      repository("ecr:DescribeRepositories"),
      repository("ecr:CreateRepository"),
      // create-repository --tags
      repository("ecr:TagResource"),
      repository("ecr:PutLifecyclePolicy"),
      repository("ecr:DescribeImages"),
      repository("ecr:BatchCheckLayerAvailability"),
      repository("ecr:InitiateLayerUpload"),
      repository("ecr:UploadLayerPart"),
      repository("ecr:CompleteLayerUpload"),
      repository("ecr:PutImage"),
      repository("ecr:BatchGetImage"),
    ],
    update: [],
    delete: [],
    source: "docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html",
  },
];
