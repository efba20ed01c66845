/**
 * The IAM ARNs the program takes and meets: the principals an EKS access entry accepts (an IAM role or an IAM
 * user, either with a path), and the caller ARN `sts:GetCallerIdentity` returns for them (a role's session is
 * `assumed-role/<name>/<session>`, without the role's path; a user is its own ARN, path included). Pure: the
 * settings, the preflight check and the test mocks all read these, before any `@pulumi/*` module loads.
 */

export interface IamPrincipal {
  kind: "role" | "user";
  partition: string;
  account: string;
  /** The name without the path (`AWSReservedSSO_Admin_1` of `role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1`). */
  name: string;
  /** `/`, or the path between `role`/`user` and the name, with its slashes (`/aws-reserved/sso.amazonaws.com/`). */
  path: string;
}

/** Characters IAM allows in a name and in each path segment. */
const segment = "[\\w+=,.@-]+";

/** `arn:<partition>:iam::<account>:role/<path/><name>` or `…:user/<path/><name>`. */
export const iamPrincipalArnPattern = new RegExp(
  `^arn:(aws[a-z-]*):iam::(\\d{12}):(role|user)(/(?:${segment}/)*)(${segment})$`,
);

/** What a setting of role or user ARNs says when an entry is neither. */
export const iamPrincipalArnHint =
  "an IAM role or user ARN, arn:aws:iam::<account>:role/<name> (preferred) or arn:aws:iam::<account>:user/<name>, a path allowed";

export function iamPrincipalOf(arn: string): IamPrincipal | undefined {
  const match = iamPrincipalArnPattern.exec(arn);
  if (!match) return undefined;
  const [, partition = "", account = "", kind, path = "/", name = ""] = match;
  return { kind: kind as IamPrincipal["kind"], partition, account, name, path };
}

/** The principal behind a caller ARN: the role of an assumed-role session (its path unknown), or the user. */
export function callerPrincipalOf(
  callerArn: string,
): (Omit<IamPrincipal, "path"> & { path?: string }) | undefined {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  if (session) {
    const [, partition = "", account = "", name = ""] = session;
    return { kind: "role", partition, account, name };
  }
  return iamPrincipalOf(callerArn);
}

/** What `sts:GetCallerIdentity` returns for someone signed in as `principal` (a role: one of its sessions). */
export function callerArnOf(principal: IamPrincipal, sessionName: string): string {
  return principal.kind === "role"
    ? `arn:${principal.partition}:sts::${principal.account}:assumed-role/${principal.name}/${sessionName}`
    : `arn:${principal.partition}:iam::${principal.account}:user${principal.path}${principal.name}`;
}
