import * as fs from "node:fs";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as k8sInputs from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { Egress, ServiceEntry } from "../../catalogue/services";
import { type PolicyDocument, platformRolePath, podIdentityTrust } from "./iam";

export const appLabel = "app.kubernetes.io/name";

/** The pod security context every workload runs with; Pod Security "restricted" accepts exactly this. */
export const podSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  seccompProfile: { type: "RuntimeDefault" },
};

export const containerSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** The link-local address on which the EKS Pod Identity agent hands out a role's credentials. */
export const podIdentityAgentCidr = "169.254.170.23/32";

const dnsEgress = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

export interface ServiceAwsIdentity {
  clusterName: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  /** The service's own provider, so its AWS resources carry `service: <name>`. */
  provider: aws.Provider;
  /** Reads the policy file the catalogue names, relative to the repository root. */
  policyText: string;
}

export interface PlatformServiceArgs {
  entry: ServiceEntry;
  namespace: string;
  monitoringNamespace: string;
  image: pulumi.Input<string>;
  replicas: number;
  /** The container's environment besides PORT and HOST (the catalogue's env and clusterEnv). */
  env: Record<string, string>;
  /** Port of each service another one may call (egress to a service is to its port only). */
  portOf(service: string): number;
  /** For an entry with `awsIdentity` in a cluster with Pod Identity; undefined elsewhere. */
  aws?: ServiceAwsIdentity;
  /** The resource that installs the ServiceMonitor CRD (the kube-prometheus-stack release). */
  monitoringCrds: pulumi.Resource;
  /** The namespace the objects live in (created by Apps). */
  namespaceResource: pulumi.Resource;
  provider: k8s.Provider;
}

function egressRule(rule: Egress, portOf: (service: string) => number) {
  if (rule.to === "service") {
    return {
      to: [{ podSelector: { matchLabels: { [appLabel]: rule.service } } }],
      ports: [{ protocol: "TCP", port: portOf(rule.service) }],
    };
  }
  if (rule.to === "https") return { ports: [{ protocol: "TCP", port: 443 }] };
  return { to: [{ ipBlock: { cidr: podIdentityAgentCidr } }], ports: [{ protocol: "TCP", port: 80 }] };
}

/** A catalogue entry's egress as NetworkPolicy rules (DNS is always allowed). */
export function egressRules(egress: readonly Egress[], portOf: (service: string) => number) {
  return [dnsEgress, ...egress.map((rule) => egressRule(rule, portOf))];
}

export function deploymentSpec(
  args: PlatformServiceArgs,
  serviceAccountName: string,
): k8sInputs.apps.v1.DeploymentSpec {
  const { entry } = args;
  const labels = { [appLabel]: entry.name, "app.kubernetes.io/part-of": "platform" };
  return {
    replicas: args.replicas,
    selector: { matchLabels: { [appLabel]: entry.name } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template: {
      metadata: { labels },
      spec: {
        serviceAccountName,
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        terminationGracePeriodSeconds: 30,
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { [appLabel]: entry.name } },
          },
        ],
        containers: [
          {
            name: entry.name,
            image: args.image,
            imagePullPolicy: "IfNotPresent",
            ports: [{ name: "http", containerPort: entry.port, protocol: "TCP" }],
            env: Object.entries({ PORT: String(entry.port), HOST: "0.0.0.0", ...args.env }).map(
              ([name, value]) => ({ name, value }),
            ),
            resources: entry.resources,
            securityContext: containerSecurityContext,
            livenessProbe: {
              httpGet: { path: entry.probes.liveness, port: "http" },
              initialDelaySeconds: 5,
              periodSeconds: 10,
              failureThreshold: 3,
            },
            readinessProbe: {
              httpGet: { path: entry.probes.readiness, port: "http" },
              periodSeconds: 5,
              failureThreshold: 2,
            },
            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
          },
        ],
        // The root filesystem is read-only; Node and its libraries may still want a scratch directory.
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
      },
    },
  };
}

/**
 * One catalogue service in the cluster: its ServiceAccount, Deployment, Service, PodDisruptionBudget,
 * ServiceMonitor and NetworkPolicy, all from its catalogue entry; with `awsIdentity`, also an IAM role
 * assumable only through EKS Pod Identity by that service account, carrying exactly the policy file the
 * entry names (byte for byte) and nothing else.
 */
export class PlatformService extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: PlatformServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:apps:Service", name, {}, opts);
    const { entry } = args;
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: [args.namespaceResource] };
    const labels = { [appLabel]: entry.name, "app.kubernetes.io/part-of": "platform" };
    const metadata = { name: entry.name, namespace: args.namespace, labels };
    const selector = { matchLabels: { [appLabel]: entry.name } };
    const serviceAccountName = entry.awsIdentity?.serviceAccount ?? entry.name;

    const { identity, roleArn } = this.awsIdentity(name, args, serviceAccountName);
    this.roleArn = roleArn;
    new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { ...metadata, name: serviceAccountName }, automountServiceAccountToken: false },
      k8sOpts,
    );
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      { metadata, spec: deploymentSpec(args, serviceAccountName) },
      { ...k8sOpts, dependsOn: [args.namespaceResource, ...identity] },
    );
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata,
        spec: {
          type: "ClusterIP",
          selector: { [appLabel]: entry.name },
          ports: [{ name: "http", port: entry.port, targetPort: "http", protocol: "TCP" }],
        },
      },
      k8sOpts,
    );
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata,
        // A single replica may be evicted (maxUnavailable 1) so node drains never block on it.
        spec: args.replicas > 1 ? { minAvailable: 1, selector } : { maxUnavailable: 1, selector },
      },
      k8sOpts,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-monitor`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata,
        spec: {
          selector,
          namespaceSelector: { matchNames: [args.namespace] },
          endpoints: [{ port: "http", path: entry.scrape.path, interval: entry.scrape.interval }],
        },
      },
      { ...k8sOpts, dependsOn: [args.namespaceResource, args.monitoringCrds] },
    );
    this.networkPolicy(name, args, selector, k8sOpts);

    this.registerOutputs({ roleArn: this.roleArn });
  }

  /**
   * The service's AWS role through EKS Pod Identity, when it declares one: the role, its policy and the
   * association, which the Deployment waits for.
   */
  private awsIdentity(
    name: string,
    args: PlatformServiceArgs,
    serviceAccountName: string,
  ): { identity: pulumi.Resource[]; roleArn: pulumi.Output<string> | undefined } {
    const { entry } = args;
    if (!entry.awsIdentity || !args.aws) return { identity: [], roleArn: undefined };
    const awsOpts = { parent: this, provider: args.aws.provider };
    JSON.parse(args.aws.policyText) as PolicyDocument;
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        path: platformRolePath,
        description: `${entry.name}: ${entry.awsIdentity.policyFile} through EKS Pod Identity`,
        assumeRolePolicy: podIdentityTrust({
          accountId: args.aws.accountId,
          clusterName: args.aws.clusterName,
          namespace: args.namespace,
          serviceAccount: serviceAccountName,
        }),
        maxSessionDuration: 3600,
      },
      awsOpts,
    );
    // Passed as text, unchanged, so the role holds byte for byte what the service declares.
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.id, policy: args.aws.policyText },
      awsOpts,
    );
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-pod-identity`,
      {
        clusterName: args.aws.clusterName,
        namespace: args.namespace,
        serviceAccount: serviceAccountName,
        roleArn: role.arn,
      },
      awsOpts,
    );
    // EKS injects Pod Identity credentials when a pod is created: pods admitted before the association
    // exists never get them (and IMDS is out of reach at hop limit 1), so the Deployment waits for it.
    return { identity: [policy, association], roleArn: role.arn };
  }

  /** Who may reach the pods (anyone, or only Prometheus) and where they may connect (the entry's egress). */
  private networkPolicy(
    name: string,
    args: PlatformServiceArgs,
    selector: { matchLabels: Record<string, string> },
    k8sOpts: pulumi.CustomResourceOptions,
  ): void {
    const { entry } = args;
    const ingress =
      entry.ingress === "anyone"
        ? [{ ports: [{ protocol: "TCP", port: entry.port }] }]
        : [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { "kubernetes.io/metadata.name": args.monitoringNamespace },
                  },
                  podSelector: { matchLabels: { [appLabel]: "prometheus" } },
                },
              ],
              ports: [{ protocol: "TCP", port: entry.port }],
            },
          ];
    new k8s.networking.v1.NetworkPolicy(
      `${name}-network`,
      {
        metadata: { name: entry.name, namespace: args.namespace },
        spec: {
          podSelector: selector,
          policyTypes: ["Ingress", "Egress"],
          ingress,
          egress: egressRules(entry.egress, args.portOf),
        },
      },
      k8sOpts,
    );
  }
}

export const readPolicyFile = (file: string) => fs.readFileSync(file, "utf8");
