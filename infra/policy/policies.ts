import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/**
 * The platform's guardrails, as CrossGuard resource policies. Kept apart from index.ts (which
 * builds the PolicyPack and serves it to the CLI) so tests can call each policy directly.
 */

export const requiredTagKeys = ["project", "stack", "service", "managed-by"] as const;

interface Statement {
  Effect?: string;
  Principal?: string | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

function parseDocument(document: unknown): Statement[] {
  if (document === undefined || document === null || document === "") return [];
  const parsed = typeof document === "string" ? JSON.parse(document) : document;
  return list(parsed.Statement).length === 0
    ? []
    : Array.isArray(parsed.Statement)
      ? parsed.Statement
      : [parsed.Statement];
}

/**
 * Writes that AWS defines without a resource ARN; allowed on Resource "*" only under a Condition
 * (the bootstrap's deploy role creates the cluster, its KMS key and the stack's certificate this way, pinned to
 * a request tag).
 */
const writesWithoutResourceArn = new Set([
  "kms:CreateKey",
  "kms:TagResource",
  "eks:CreateCluster",
  "acm:RequestCertificate",
  "aps:CreateWorkspace",
]);

/** Only reads may use `Resource: "*"`: many read APIs (ce:Get*, ec2:Describe*) have no resource-level permissions. */
const isReadOnlyAction = (action: string) =>
  /^[a-z0-9-]+:(Get|List|Describe|BatchGet)[A-Za-z]*$/.test(action);

/** Every IAM document a resource carries, with where it sits. */
function iamDocuments(args: ResourceValidationArgs): { field: string; statements: Statement[] }[] {
  const props = args.props;
  switch (args.type) {
    case "aws:iam/role:Role":
      return [
        { field: "assumeRolePolicy", statements: parseDocument(props.assumeRolePolicy) },
        ...((props.inlinePolicies ?? []) as { policy?: string }[]).map((p, i) => ({
          field: `inlinePolicies[${i}]`,
          statements: parseDocument(p.policy),
        })),
      ];
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/policy:Policy":
    case "aws:iam/userPolicy:UserPolicy":
    case "aws:iam/groupPolicy:GroupPolicy":
      return [{ field: "policy", statements: parseDocument(props.policy) }];
    default:
      return [];
  }
}

export const noWildcardIam: ResourceValidationPolicy = {
  name: "no-wildcard-iam",
  description:
    "IAM documents name their actions (no '*' in an action, no NotAction), never trust '*', and use Resource '*' only for read-only actions.",
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    for (const { field, statements } of iamDocuments(args)) {
      for (const statement of statements) {
        for (const action of list(statement.Action)) {
          if (action.includes("*")) reportViolation(`${field}: wildcard action "${action}"`);
        }
        if (statement.NotAction !== undefined) reportViolation(`${field}: NotAction grants everything else`);
        const principals =
          typeof statement.Principal === "string"
            ? [statement.Principal]
            : Object.values(statement.Principal ?? {}).flatMap(list);
        if (statement.Effect === "Allow" && principals.includes("*"))
          reportViolation(`${field}: wildcard principal`);
        if (statement.Effect === "Allow" && list(statement.Resource).includes("*")) {
          const writes = list(statement.Action).filter(
            (a) =>
              !isReadOnlyAction(a) && !(writesWithoutResourceArn.has(a) && statement.Condition !== undefined),
          );
          if (writes.length > 0)
            reportViolation(`${field}: Resource "*" for actions that are not reads: ${writes.join(", ")}`);
        }
      }
    }
  },
};

const githubOidcHost = "token.actions.githubusercontent.com";

export const scopedTrustPolicies: ResourceValidationPolicy = {
  name: "scoped-trust-policies",
  description:
    "Roles trust one named service; Pod Identity roles one namespace and service account; GitHub OIDC roles one repository (its subjects and its immutable ids) and the STS audience.",
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== "aws:iam/role:Role") return;
    for (const statement of parseDocument(args.props.assumeRolePolicy)) {
      if (statement.Effect !== "Allow") continue;
      const principal =
        typeof statement.Principal === "string" ? { "*": statement.Principal } : (statement.Principal ?? {});
      const kinds = Object.keys(principal);
      if (kinds.length !== 1 || list(Object.values(principal)[0]).length !== 1) {
        reportViolation("a trust statement names exactly one principal");
        continue;
      }
      const [kind] = kinds;
      const [value = ""] = list(principal[kind as string]);
      const equals = { ...(statement.Condition?.StringEquals ?? {}) };
      if (kind === "Service") {
        if (value === "pods.eks.amazonaws.com") {
          for (const tag of ["kubernetes-namespace", "kubernetes-service-account", "eks-cluster-name"]) {
            if (list(equals[`aws:RequestTag/${tag}`]).length !== 1) {
              reportViolation(`Pod Identity trust must pin aws:RequestTag/${tag} to one value`);
            }
          }
        }
      } else if (kind === "Federated") {
        if (!value.endsWith(`oidc-provider/${githubOidcHost}`)) {
          reportViolation(`federated trust only for the GitHub Actions OIDC provider, not ${value}`);
          continue;
        }
        const subjects = [
          ...list(equals[`${githubOidcHost}:sub`]),
          ...list(statement.Condition?.StringLike?.[`${githubOidcHost}:sub`]),
        ];
        if (subjects.length === 0)
          reportViolation("GitHub OIDC trust must pin token.actions.githubusercontent.com:sub");
        for (const subject of subjects) {
          if (
            // Both subject formats: repo:<owner>/<repo>:… and the immutable repo:<owner>@<id>/<repo>@<id>:….
            !/^repo:[\w.-]+(@\d+)?\/[\w.-]+(@\d+)?:(ref:refs\/heads\/[\w./-]+|environment:[\w.-]+|pull_request)$/.test(
              subject,
            )
          ) {
            reportViolation(
              `GitHub OIDC subject "${subject}" is not one repository's branch, environment or pull_request`,
            );
          }
        }
        // Names can be recycled (an account or repository deleted and its name taken); the numeric ids cannot.
        for (const claim of ["repository_id", "repository_owner_id"]) {
          if (!/^\d+$/.test(list(equals[`${githubOidcHost}:${claim}`]).join())) {
            reportViolation(`GitHub OIDC trust must pin ${githubOidcHost}:${claim} to one numeric id`);
          }
        }
        if (list(equals[`${githubOidcHost}:aud`]).join() !== "sts.amazonaws.com") {
          reportViolation("GitHub OIDC trust must pin the audience to sts.amazonaws.com");
        }
      } else {
        reportViolation(`trust principal kind "${kind}" is not allowed (service or GitHub OIDC only)`);
      }
    }
  },
};

/** AWS resource types that have no tags of their own. */
const untaggableAwsTypes = new Set([
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:kms/alias:Alias",
]);

function providerDefaultTags(args: ResourceValidationArgs): Record<string, string> {
  const raw = args.provider?.props?.defaultTags;
  const parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
  return (parsed?.tags ?? {}) as Record<string, string>;
}

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description: `Taggable AWS resources carry ${requiredTagKeys.join(", ")}, from their provider's default tags or their own.`,
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!args.type.startsWith("aws:") || untaggableAwsTypes.has(args.type)) return;
    const tags = { ...providerDefaultTags(args), ...((args.props.tags ?? {}) as Record<string, string>) };
    const missing = requiredTagKeys.filter((key) => !tags[key]);
    if (missing.length > 0) reportViolation(`missing tags: ${missing.join(", ")}`);
  },
};

// biome-ignore lint/suspicious/noExplicitAny: CrossGuard hands props untyped; each kind is read defensively
type Props = Record<string, any>;
const workloadKinds: Record<string, (props: Props) => Props | undefined> = {
  "kubernetes:apps/v1:Deployment": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:StatefulSet": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:DaemonSet": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:Job": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:CronJob": (p) => p.spec?.jobTemplate?.spec?.template?.spec,
  "kubernetes:core/v1:Pod": (p) => p.spec,
};

export const workloadSecurity: ResourceValidationPolicy = {
  name: "workload-security",
  description:
    "Workloads run as non-root with RuntimeDefault seccomp, read-only root filesystems, no privilege escalation, all capabilities dropped, and CPU/memory requests and limits.",
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const podSpecOf = workloadKinds[args.type];
    if (!podSpecOf) return;
    const pod = podSpecOf(args.props);
    if (!pod) return reportViolation("no pod template");
    const podContext = pod.securityContext ?? {};
    for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const name = container.name ?? "?";
      const context = container.securityContext ?? {};
      if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true)
        reportViolation(`${name}: runAsNonRoot is not true`);
      const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
        reportViolation(`${name}: no RuntimeDefault seccomp profile`);
      if (context.allowPrivilegeEscalation !== false)
        reportViolation(`${name}: allowPrivilegeEscalation is not false`);
      if (context.readOnlyRootFilesystem !== true) reportViolation(`${name}: root filesystem is writable`);
      if (context.privileged === true) reportViolation(`${name}: privileged`);
      if (!list(context.capabilities?.drop).includes("ALL"))
        reportViolation(`${name}: capabilities not dropped (drop: [ALL])`);
      for (const kind of ["requests", "limits"] as const) {
        for (const resource of ["cpu", "memory"]) {
          if (!container.resources?.[kind]?.[resource])
            reportViolation(`${name}: no ${resource} ${kind.slice(0, -1)}`);
        }
      }
    }
  },
};

const internalAnnotations: Record<string, string> = {
  "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
};

const isInternal = (annotations: Record<string, string> | undefined) =>
  Object.entries(internalAnnotations).some(([key, value]) => annotations?.[key] === value);

/** Every Service of type LoadBalancer in a chart's values, wherever it sits (`service:` objects). */
function loadBalancersInValues(
  values: unknown,
  at = "values",
): { at: string; annotations?: Record<string, string> }[] {
  if (values === null || typeof values !== "object") return [];
  const found: { at: string; annotations?: Record<string, string> }[] = [];
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (/service$/i.test(key) && record.type === "LoadBalancer") {
        found.push({
          at: `${at}.${key}`,
          annotations: record.annotations as Record<string, string> | undefined,
        });
      }
      found.push(...loadBalancersInValues(value, `${at}.${key}`));
    }
  }
  return found;
}

/** The AWS Load Balancer Controller makes an Ingress's ALB internal unless the Ingress says otherwise. */
const isInternetFacingIngress = (annotations: Record<string, string> | undefined) =>
  annotations?.["alb.ingress.kubernetes.io/scheme"] === "internet-facing";

/** The policy config of no-public-load-balancer; `npm run policy-config` writes it from the stack's settings. */
export type LoadBalancerPolicyConfig = {
  allowPublicLoadBalancer: boolean;
};

export const noPublicLoadBalancer: ResourceValidationPolicy = {
  name: "no-public-load-balancer",
  description:
    "Load balancers (Services, chart values, Ingresses, AWS load balancers) are internal unless the policy config allowPublicLoadBalancer is true; the workflows pass the stack's platform:allowPublicLoadBalancer as that config.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: { allowPublicLoadBalancer: { type: "boolean", default: false } },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const { allowPublicLoadBalancer } = args.getConfig<LoadBalancerPolicyConfig>();
    if (allowPublicLoadBalancer) return;
    if (args.type === "kubernetes:core/v1:Service" && args.props.spec?.type === "LoadBalancer") {
      if (!isInternal(args.props.metadata?.annotations))
        reportViolation("Service of type LoadBalancer is internet-facing");
    }
    if (
      args.type === "kubernetes:networking.k8s.io/v1:Ingress" &&
      isInternetFacingIngress(args.props.metadata?.annotations)
    ) {
      reportViolation("Ingress with an internet-facing load balancer");
    }
    if (args.type === "kubernetes:helm.sh/v3:Release" || args.type === "kubernetes:helm.sh/v4:Chart") {
      for (const service of loadBalancersInValues(args.props.values)) {
        if (!isInternal(service.annotations))
          reportViolation(`${service.at}: an internet-facing LoadBalancer`);
      }
    }
    if (
      (args.type === "aws:lb/loadBalancer:LoadBalancer" ||
        args.type === "aws:elb/loadBalancer:LoadBalancer") &&
      args.props.internal !== true
    ) {
      reportViolation("load balancer is internet-facing");
    }
  },
};

/** The Services an Ingress sends traffic to. */
const ingressBackends = (props: Props): string[] =>
  ((props.spec?.rules ?? []) as Props[]).flatMap((rule) =>
    ((rule?.http?.paths ?? []) as Props[]).map((path) => String(path?.backend?.service?.name ?? "")),
  );

export const grafanaOverTls: ResourceValidationPolicy = {
  name: "grafana-over-tls",
  description:
    "An Ingress to Grafana serves HTTPS only: a certificate, and every HTTP request redirected (Grafana's login must not cross a load balancer in plain HTTP).",
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== "kubernetes:networking.k8s.io/v1:Ingress") return;
    if (!ingressBackends(args.props).some((name) => name.includes("grafana"))) return;
    const annotations = (args.props.metadata?.annotations ?? {}) as Record<string, string>;
    if (!annotations["alb.ingress.kubernetes.io/certificate-arn"])
      reportViolation("Ingress to Grafana without a certificate (alb.ingress.kubernetes.io/certificate-arn)");
    if (annotations["alb.ingress.kubernetes.io/ssl-redirect"] !== "443")
      reportViolation(
        "Ingress to Grafana without HTTP redirected to HTTPS (alb.ingress.kubernetes.io/ssl-redirect)",
      );
  },
};

export const platformPolicies: ResourceValidationPolicy[] = [
  noWildcardIam,
  scopedTrustPolicies,
  requiredTags,
  workloadSecurity,
  noPublicLoadBalancer,
  grafanaOverTls,
];
