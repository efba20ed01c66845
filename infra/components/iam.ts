import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Every IAM role the platform program creates lives under this path; the CI deploy role can touch no other. */
export const platformRolePath = "/platform/";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/**
 * Trust for a role that one AWS service assumes on its own behalf (EKS control plane, EC2 nodes):
 * the documented statement, with no conditions, since neither service sets aws:SourceAccount here.
 */
export function serviceTrust(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  } satisfies PolicyDocument);
}

export interface PodIdentitySubject {
  accountId: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
}

/**
 * Trust for an EKS Pod Identity role: only the Pod Identity service, only for this account, this
 * cluster and one namespace/service account (the session tags Pod Identity sets on every AssumeRole).
 */
export function podIdentityTrust(subject: PodIdentitySubject): pulumi.Output<string> {
  return pulumi.all([subject.accountId, subject.clusterName]).apply(([account, cluster]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EksPodIdentityForOneServiceAccount",
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: {
            StringEquals: {
              "aws:SourceAccount": account,
              "aws:RequestTag/eks-cluster-name": cluster,
              "aws:RequestTag/kubernetes-namespace": subject.namespace,
              "aws:RequestTag/kubernetes-service-account": subject.serviceAccount,
            },
          },
        },
      ],
    } satisfies PolicyDocument),
  );
}

export const managedPolicy = (partition: pulumi.Input<string>, name: string) =>
  pulumi.interpolate`arn:${partition}:iam::aws:policy/${name}`;

/** Attaches AWS managed policies by name; one attachment resource each, so a preview lists them. */
export function attachManagedPolicies(
  name: string,
  role: aws.iam.Role,
  partition: pulumi.Input<string>,
  policyNames: string[],
  opts: pulumi.CustomResourceOptions,
): aws.iam.RolePolicyAttachment[] {
  return policyNames.map(
    (policyName) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policyName.split("/").pop()}`,
        { role: role.name, policyArn: managedPolicy(partition, policyName) },
        opts,
      ),
  );
}
