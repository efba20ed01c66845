import { callerArnOf, iamPrincipalOf } from "../iam-arns";

/** The account the mocks report for a stack that names no cluster admin (an existing cluster, the bootstrap). */
export const defaultMockAccountId = "123456789012";

export interface MockCaller {
  accountId: string;
  arn: string;
  userId: string;
}

/**
 * Who the mocks say runs the program (`aws.getCallerIdentity`): the stack's first
 * `platform:clusterAdminRoleArns` entry, as a session of that role (or as that IAM user), in its account.
 * So `pulumi up`'s preflight passes under mocks for whatever ARNs a user commits to Pulumi.<stack>.yaml, and
 * account-scoped values (the ECR registry, the mocked resources' ARNs) come from the same file. A test that
 * wants another caller answers getCallerIdentity itself (RunOptions.invoke).
 */
export function mockCallerOf(config: Record<string, string>): MockCaller {
  const admin = firstClusterAdmin(config["platform:clusterAdminRoleArns"]);
  if (!admin) {
    return {
      accountId: defaultMockAccountId,
      arn: `arn:aws:sts::${defaultMockAccountId}:assumed-role/mock-caller/mock-session`,
      userId: "AROAMOCKCALLER:mock-session",
    };
  }
  return {
    accountId: admin.account,
    arn: callerArnOf(admin, "mock-session"),
    userId: admin.kind === "role" ? "AROAMOCKCALLER:mock-session" : "AIDAMOCKCALLER",
  };
}

/** The first entry of the setting (a JSON list, as the CLI passes lists), when it is an IAM role or user ARN. */
function firstClusterAdmin(setting: string | undefined) {
  if (setting === undefined) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(setting);
  } catch {
    return undefined; // the program's own settings check reports it, naming the setting
  }
  return Array.isArray(list) && typeof list[0] === "string" ? iamPrincipalOf(list[0]) : undefined;
}
