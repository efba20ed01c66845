import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface StateBackendArgs {
  region: string;
  /** One secrets key per platform stack (`awskms://alias/platform-pulumi-<stack>`). */
  stacks: string[];
  provider: aws.Provider;
}

export const stateKeyAlias = "alias/platform-pulumi-state";
export const secretsKeyAlias = (stack: string) => `alias/platform-pulumi-${stack}`;

/** The key that encrypts the state bucket, and its alias. */
function stateKey(child: pulumi.CustomResourceOptions): aws.kms.Key {
  const key = new aws.kms.Key(
    "state",
    {
      description: "Pulumi state bucket of the platform stacks",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    },
    child,
  );
  new aws.kms.Alias("state", { name: stateKeyAlias, targetKeyId: key.keyId }, child);
  return key;
}

/** One secrets key (and alias) per stack. */
function secretsKeys(stacks: string[], opts: pulumi.CustomResourceOptions): Record<string, aws.kms.Key> {
  const keys: Record<string, aws.kms.Key> = {};
  for (const stack of stacks) {
    const key = new aws.kms.Key(
      `secrets-${stack}`,
      {
        description: `Pulumi secrets of the platform stack ${stack}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      opts,
    );
    new aws.kms.Alias(`secrets-${stack}`, { name: secretsKeyAlias(stack), targetKeyId: key.keyId }, opts);
    keys[stack] = key;
  }
  return keys;
}

/** The bucket (protected), versioned, encrypted with the state key, private and reachable over TLS only. */
function stateBucket(key: aws.kms.Key, child: pulumi.CustomResourceOptions): aws.s3.Bucket {
  const bucket = new aws.s3.Bucket("state", { forceDestroy: false }, { ...child, protect: true });
  new aws.s3.BucketVersioning(
    "state",
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    child,
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
    child,
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
    child,
  );
  new aws.s3.BucketOwnershipControls(
    "state",
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    child,
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
    child,
  );
  return bucket;
}

/**
 * Pulumi's self-managed backend for the platform stacks: a versioned, KMS-encrypted, private, TLS-only S3
 * bucket (protected: deleting it would delete every stack's state), the bucket's key, and a secrets key
 * per stack, so that access to one stack's secrets is granted per stack (pull-request previews of dev
 * cannot decrypt prod's).
 */
export class StateBackend extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly stateKey: aws.kms.Key;
  readonly secretsKeys: Record<string, aws.kms.Key>;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:bootstrap:StateBackend", name, {}, opts);
    // These resources were created at the stack's top level before this component existed: the alias keeps
    // their URNs, so an existing bootstrap stack sees no replacement (the bucket is protected anyway).
    const child = { parent: this, provider: args.provider, aliases: [{ parent: pulumi.rootStackResource }] };
    this.stateKey = stateKey(child);
    this.secretsKeys = secretsKeys(args.stacks, { parent: this, provider: args.provider });
    this.bucket = stateBucket(this.stateKey, child);
    this.registerOutputs({ bucket: this.bucket.bucket });
  }
}
