import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../components/iam";

/**
 * AWS IAM policy evaluation for the tests, by @cloud-copilot/iam-simulate (AGPL-3.0-or-later: a test-only
 * dependency; nothing the program, the bootstrap or an image ships imports it).
 */

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/**
 * Whether a role's trust policy lets a web-identity token assume it. The unvalidated engine is used because
 * the validated one drops context keys that the service authorization data does not list for the action,
 * and the standard OIDC claims `<provider>:sub` and `:aud` are documented in the IAM User Guide, not there;
 * the keys are checked separately (iam-data.test.ts) and the trust policy itself is validated here.
 */
export function assumeRoleWithWebIdentity(
  trust: PolicyDocument,
  roleArn: string,
  providerArn: string,
  claims: Record<string, string>,
): Decision {
  const validated = createValidatedPolicy(trust, validateTrustPolicy, { name: "trust" });
  if (validated.errors.length > 0)
    throw new Error(`invalid trust policy: ${JSON.stringify(validated.errors)}`);
  return runUnsafeSimulation(
    {
      request: {
        principal: providerArn,
        action: "sts:AssumeRoleWithWebIdentity",
        resource: { resource: roleArn, accountId: roleArn.split(":")[4] as string },
        contextVariables: claims,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: validated,
    },
    {},
  ) as Decision;
}

/**
 * The key policy AWS gives a KMS key created without one (the program's and the bootstrap's keys): it lets
 * the account's IAM policies decide (docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
const defaultKeyPolicy = (account: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
});

/**
 * Whether an identity policy allows one call (validated: the action, the resource ARN and the context
 * keys). KMS calls on a key are evaluated with the key's default key policy, as AWS evaluates them.
 */
export async function identityAllows(
  policy: PolicyDocument,
  principal: string,
  request: { action: string; resource: string; context?: Record<string, string | string[]> },
): Promise<{ decision: Decision | "error"; errors?: unknown }> {
  const account = principal.split(":")[4] as string;
  const onKey = request.action.startsWith("kms:") && request.resource.includes(":key/");
  const result = await runSimulation(
    {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: account },
        contextVariables: request.context ?? {},
      },
      identityPolicies: [{ name: "inline", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(onKey ? { resourcePolicy: defaultKeyPolicy(account) } : {}),
    },
    {},
  );
  if (result.resultType === "error") return { decision: "error", errors: result.errors };
  return { decision: result.overallResult as Decision };
}
