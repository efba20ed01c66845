import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { callerPrincipalOf, iamPrincipalOf } from "./iam-arns";
import { SettingsError } from "./settings-loader";

/**
 * What `pulumi up` checks before it creates anything, for two mistakes the cloud would otherwise report
 * far into the first update: the role running it is not one the cluster will let in (EKS is created with
 * `bootstrapClusterCreatorAdminPermissions: false`, so the Kubernetes provider fails after the cluster has
 * been built, about 15 minutes in), and an image the Deployments name is not in ECR (pods sit in
 * ImagePullBackOff until the rollout times out). A preview skips them: the preview role is no cluster admin
 * and images are pushed by the deploy job that follows. The program awaits them before it registers any
 * cloud resource.
 */

/**
 * Why the caller cannot administer the cluster, or undefined when one of the admin ARNs is who it is: a role
 * session matches its role by account and name (a session ARN has no path), an IAM user matches exactly.
 */
export function callerAdminProblem(callerArn: string, clusterAdminRoleArns: string[]): string | undefined {
  const caller = callerPrincipalOf(callerArn);
  const admits = clusterAdminRoleArns
    .map(iamPrincipalOf)
    .some(
      (admin) =>
        admin !== undefined &&
        caller !== undefined &&
        admin.kind === caller.kind &&
        admin.partition === caller.partition &&
        admin.account === caller.account &&
        admin.name === caller.name &&
        (caller.kind === "role" || admin.path === caller.path),
    );
  if (admits) return undefined;
  return (
    `platform:clusterAdminRoleArns: pulumi up runs as ${callerArn}, which is not among ` +
    `${JSON.stringify(clusterAdminRoleArns)}; the cluster would be created, then refuse this principal ` +
    "(EKS gives its creator no access here). Add its ARN (a role: arn:aws:iam::<account>:role/<path/><name>; " +
    "for CI, the bootstrap's deployRoleArn; an IAM user: arn:aws:iam::<account>:user/<path/><name>) or run " +
    "pulumi up as one of those."
  );
}

export interface PreflightArgs {
  /** A provider of its own: it creates nothing, and the program registers nothing else before the checks. */
  provider: aws.Provider;
  clusterAdminRoleArns: string[];
  /** ECR image references the Deployments will name (`<registry>/<repository>:<tag>`). */
  ecrImages: string[];
  callerArn: string;
}

/** Resolves when the checks pass (at once in a preview); rejects with every problem found. */
export async function preflight(args: PreflightArgs): Promise<void> {
  if (pulumi.runtime.isDryRun()) return;
  const problems: string[] = [];
  const admin = callerAdminProblem(args.callerArn, args.clusterAdminRoleArns);
  if (admin) problems.push(admin);
  const missing: string[] = [];
  for (const reference of args.ecrImages) {
    const [, repositoryName = "", imageTag = ""] = /^[^/]+\/(.+):([^:/]+)$/.exec(reference) ?? [];
    try {
      await aws.ecr.getImage({ repositoryName, imageTag }, { provider: args.provider });
    } catch {
      missing.push(reference);
    }
  }
  if (missing.length > 0) {
    problems.push(
      `images not in ECR: ${missing.join(", ")}. The deploy workflow pushes them before pulumi up; from a ` +
        "laptop, push them first (Docker with buildx): AWS_REGION=<region> bash .github/scripts/push-images.sh " +
        `${missing[0]?.split("/")[0]}`,
    );
  }
  if (problems.length > 0) throw new SettingsError(`pulumi up cannot start:\n  ${problems.join("\n  ")}`);
}
