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

/** The VPC, its subnets, gateways, routes and addresses, and the nodes' launch templates. */
function networkWrites({ partition, account, region }: Scope): PolicyStatement[] {
  const ec2 = `arn:${partition}:ec2:${region}:${account}`;
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
  ];
}

/** The EKS cluster, its node group, add-ons, access entries and Pod Identity associations. */
function clusterWrites({ partition, account, region }: Scope): PolicyStatement[] {
  const eks = `arn:${partition}:eks:${region}:${account}`;
  return [
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
  ];
}

/** The platform's own roles (under its path), the AWS managed policies it attaches, and passing them on. */
function roleWrites({ partition, account, region }: Scope): PolicyStatement[] {
  const ec2 = `arn:${partition}:ec2:${region}:${account}`;
  const platformRoles = `arn:${partition}:iam::${account}:role${platformRolePath}*`;
  return [
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
  ];
}

/** Pushing the services' images to their ECR repositories. */
function imageWrites({ partition, account, region, imageRepositoryPrefix }: Scope): PolicyStatement[] {
  return [
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
  ];
}

/** What EKS needs around a cluster: its service-linked roles and the key that encrypts its secrets. */
function clusterPrerequisiteWrites({ partition, account, region }: Scope): PolicyStatement[] {
  return [
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
  ];
}

/** The long-term metrics store, the budget and the control-plane log groups. */
function observabilityWrites({ partition, account, region }: Scope): PolicyStatement[] {
  return [
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
  ];
}

/** The stack's domain: its certificate and DNS records. */
function domainWrites({ partition, account, region }: Scope): PolicyStatement[] {
  return [
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

/** What `pulumi up` needs beyond the reads: the writes of every resource type the program declares. */
export function deployStatements(scope: Scope): PolicyStatement[] {
  return [
    ...networkWrites(scope),
    ...clusterWrites(scope),
    ...roleWrites(scope),
    ...imageWrites(scope),
    ...clusterPrerequisiteWrites(scope),
    ...observabilityWrites(scope),
    ...domainWrites(scope),
  ];
}
