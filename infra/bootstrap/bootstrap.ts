import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { nodeManagedPolicies } from "../components/cluster";
import { type PolicyDocument, type PolicyStatement, platformRolePath } from "../components/iam";

/**
 * The one-time program an administrator runs before CI can: the GitHub Actions OIDC provider, a
 * read-only preview role for pull requests, a deploy role for the main branch or a protected
 * environment, and optionally an S3 + KMS state backend.
 */

export const githubOidcHost = "token.actions.githubusercontent.com";

export const bootstrapSettingsSchema = z
  .object({
    githubRepository: z
      .string()
      .regex(
        /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/,
        "the repository as owner/name, e.g. acme/cost-aware-platform",
      ),
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as us-east-1")
      .default("us-east-1"),
    deployBranch: z
      .string()
      .regex(/^[\w./-]+$/, "a branch name")
      .default("main"),
    /**
     * The GitHub environments deploy jobs run in (comma-separated), one per stack in .github/stacks.json;
     * `none` = deploys from the deploy branch without environments.
     */
    deployEnvironments: z
      .string()
      .regex(
        /^(none|[\w.-]+(,[\w.-]+)*)$/,
        "comma-separated GitHub environment names, e.g. dev,production, or none",
      )
      .default("dev,production")
      .transform((list) => (list === "none" ? [] : list.split(","))),
    existingOidcProviderArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        "the ARN of the account's GitHub OIDC provider",
      )
      .optional(),
    stateBackend: z
      .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
      .default(true),
  })
  .strict();

export type BootstrapSettings = z.infer<typeof bootstrapSettingsSchema> & { stack: string };

export function loadBootstrapSettings(): BootstrapSettings {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    // An empty value means "not set", as `pulumi config set bootstrap:x ""` is the way to clear one.
    if (key.startsWith("bootstrap:") && value !== "") raw[key.slice("bootstrap:".length)] = value;
  }
  const result = bootstrapSettingsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => `bootstrap:${k}: not a setting of this program`).join("\n  ")
        : `bootstrap:${String(issue.path[0])}: ${issue.message}`,
    );
    throw new Error(`Invalid bootstrap settings:\n  ${problems.join("\n  ")}`);
  }
  return { ...result.data, stack: pulumi.getStack() };
}

/** The reusable workflow every deploy job runs (deploy.yml calls it once per stack). */
export const deployWorkflowPath = ".github/workflows/pulumi-up.yml";

/**
 * Trust for GitHub Actions jobs of one repository: only the given OIDC subjects (pull requests, a branch,
 * environments) of that repository, and only tokens minted for STS. With `jobWorkflowRef`, also only jobs
 * of that workflow file at that ref (STS checks GitHub's `job_workflow_ref` claim): an environment subject
 * alone is presented by any workflow, on any branch the environment lets deploy.
 */
export function githubTrust(providerArn: string, subjects: string[], jobWorkflowRef?: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${githubOidcHost}:aud`]: "sts.amazonaws.com",
            [`${githubOidcHost}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
            ...(jobWorkflowRef ? { [`${githubOidcHost}:job_workflow_ref`]: jobWorkflowRef } : {}),
          },
        },
      },
    ],
  } satisfies PolicyDocument);
}

interface Scope {
  partition: string;
  account: string;
  region: string;
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

/** What `pulumi up` needs beyond the reads: the writes of every resource type the program declares. */
export function deployStatements({ partition, account, region }: Scope): PolicyStatement[] {
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
        "eks:CreateCluster",
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
      Sid: "PassPlatformRolesToEks",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: platformRoles,
      Condition: { StringEquals: { "iam:PassedToService": ["eks.amazonaws.com", "pods.eks.amazonaws.com"] } },
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
      Sid: "Budget",
      Effect: "Allow",
      Action: ["budgets:ModifyBudget", "budgets:TagResource", "budgets:UntagResource"],
      Resource: `arn:${partition}:budgets::${account}:budget/*`,
    },
  ];
}

function stateStatements(bucketArn: string, keyArn: string, write: boolean): PolicyStatement[] {
  return [
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    {
      Sid: "StateObjects",
      Effect: "Allow",
      Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
      Resource: `${bucketArn}/*`,
    },
    // Even a preview takes the DIY backend's lock.
    {
      Sid: "StateLocks",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/.pulumi/locks/*`,
    },
    {
      Sid: "StateAndSecretsKey",
      Effect: "Allow",
      // The bucket encrypts with SSE-KMS by default, so even the preview role's lock file is a write that
      // needs a data key from the state key; Encrypt (the secrets provider's) stays with the deploy role.
      Action: write
        ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        : ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: keyArn,
    },
  ];
}

export function defineBootstrap(settings: BootstrapSettings) {
  const provider = new aws.Provider("aws-bootstrap", {
    region: settings.region as aws.Region,
    defaultTags: {
      tags: {
        project: "cost-aware-platform",
        stack: settings.stack,
        service: "ci-bootstrap",
        "managed-by": "pulumi",
      },
    },
  });
  const opts = { provider };
  const caller = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  const scope = pulumi.all([partition.partition, caller.accountId]).apply(([p, account]) => ({
    partition: p,
    account,
    region: settings.region,
  }));

  const oidcProviderArn: pulumi.Output<string> = settings.existingOidcProviderArn
    ? pulumi.output(settings.existingOidcProviderArn)
    : new aws.iam.OpenIdConnectProvider(
        "github-actions",
        { url: `https://${githubOidcHost}`, clientIdLists: ["sts.amazonaws.com"] },
        opts,
      ).arn;

  let state: { bucket: aws.s3.Bucket; key: aws.kms.Key } | undefined;
  if (settings.stateBackend) {
    const key = new aws.kms.Key(
      "state",
      {
        description: "Pulumi state and secrets of the platform stacks",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      opts,
    );
    new aws.kms.Alias("state", { name: "alias/platform-pulumi-state", targetKeyId: key.keyId }, opts);
    const bucket = new aws.s3.Bucket("state", { forceDestroy: false }, { ...opts, protect: true });
    new aws.s3.BucketVersioning(
      "state",
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      "state",
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      opts,
    );
    new aws.s3.BucketPublicAccessBlock(
      "state",
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      opts,
    );
    new aws.s3.BucketOwnershipControls(
      "state",
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      opts,
    );
    new aws.s3.BucketPolicy(
      "state",
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyPlainHttp",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        ),
      },
      opts,
    );
    state = { bucket, key };
  }

  const role = (
    name: string,
    description: string,
    subjects: string[],
    statements: pulumi.Output<PolicyStatement[]>,
    jobWorkflowRef?: string,
  ) => {
    const created = new aws.iam.Role(
      name,
      {
        description,
        assumeRolePolicy: oidcProviderArn.apply((arn) => githubTrust(arn, subjects, jobWorkflowRef)),
        maxSessionDuration: 3600,
      },
      opts,
    );
    new aws.iam.RolePolicy(
      name,
      {
        role: created.id,
        policy: statements.apply((list) =>
          JSON.stringify({ Version: "2012-10-17", Statement: list } satisfies PolicyDocument),
        ),
      },
      opts,
    );
    return created;
  };

  const withState = (statements: pulumi.Output<PolicyStatement[]>, write: boolean) =>
    state
      ? pulumi
          .all([statements, state.bucket.arn, state.key.arn])
          .apply(([list, bucketArn, keyArn]) => [...list, ...stateStatements(bucketArn, keyArn, write)])
      : statements;

  const repository = settings.githubRepository;
  const previewRole = role(
    "ci-preview",
    `pulumi preview for pull requests and drift checks of ${repository}`,
    // Pull requests preview; the scheduled drift check runs on the deploy branch and only reads too.
    [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${settings.deployBranch}`],
    withState(scope.apply(previewStatements), false),
  );
  const deployRole = role(
    "ci-deploy",
    `pulumi up for ${repository}`,
    settings.deployEnvironments.length > 0
      ? settings.deployEnvironments.map((environment) => `repo:${repository}:environment:${environment}`)
      : [`repo:${repository}:ref:refs/heads/${settings.deployBranch}`],
    withState(
      scope.apply((s) => [...previewStatements(s), ...deployStatements(s)]),
      true,
    ),
    // Only the deploy workflow as merged on the deploy branch: a workflow written on another branch that
    // declares `environment: dev` gets the environment subject, never this claim.
    `${repository}/${deployWorkflowPath}@refs/heads/${settings.deployBranch}`,
  );

  return {
    oidcProviderArn,
    previewRoleArn: previewRole.arn,
    deployRoleArn: deployRole.arn,
    stateBackendUrl: state ? pulumi.interpolate`s3://${state.bucket.bucket}` : undefined,
    secretsProvider: state
      ? pulumi.interpolate`awskms://alias/platform-pulumi-state?region=${settings.region}`
      : undefined,
  };
}
