import type { PolicyStatement } from "../components/iam";

/**
 * What the CI roles may do with the stacks' state: the deploy role writes it, the preview and drift roles read
 * only their own stacks' state and lock files. The rest of what the roles may do is in permissions.ts.
 */

/**
 * Where Pulumi's self-managed (DIY) backend keeps a stack of a project: its state at
 * `.pulumi/stacks/<project>/<stack>.json` (or .json.gz/.zst, .bak) and its lock files under
 * `.pulumi/locks/organization/<project>/<stack>/` (the stack's fully qualified name; sources dated in
 * README.md, "Documentation this relies on").
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
