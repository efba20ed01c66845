import * as fs from "node:fs";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyDocument, platformRolePath, podIdentityTrust } from "./iam";

export interface CostExporterIdentityArgs {
  clusterName: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
  /** services/cost-exporter/iam-policy.json: the exporter's own statement of what it calls. */
  policyFile: string;
  provider: aws.Provider;
}

export function readPolicyDocument(file: string): PolicyDocument {
  return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyDocument;
}

/**
 * The cost exporter's IAM role: assumable only by EKS Pod Identity for one service account, carrying
 * exactly the policy document that lives next to the exporter's code, and nothing else.
 */
export class CostExporterIdentity extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: CostExporterIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:identity:CostExporterIdentity", name, {}, opts);
    const awsOpts = { parent: this, provider: args.provider };
    // Read as text and passed unchanged, so the role holds byte-for-byte what the exporter declares.
    const policyText = fs.readFileSync(args.policyFile, "utf8");
    readPolicyDocument(args.policyFile);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        path: platformRolePath,
        description: "Cost exporter: Cost Explorer reads through EKS Pod Identity",
        assumeRolePolicy: podIdentityTrust({
          accountId: args.accountId,
          clusterName: args.clusterName,
          namespace: args.namespace,
          serviceAccount: args.serviceAccount,
        }),
        maxSessionDuration: 3600,
      },
      awsOpts,
    );
    new aws.iam.RolePolicy(`${name}-cost-explorer-read`, { role: role.id, policy: policyText }, awsOpts);
    new aws.eks.PodIdentityAssociation(
      `${name}-pod-identity`,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
      },
      awsOpts,
    );

    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
