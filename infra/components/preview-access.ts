import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubePrometheusStackRelease } from "./monitoring";

/**
 * The Kubernetes group the CI preview role's access entry carries (`clusterViewerRoleArns`).
 * AmazonEKSViewPolicy, which that entry also has, covers discovery and the built-in kinds a Helm dry run
 * reads, but no Secrets and no custom resources: `pulumi preview --refresh` then cannot read the Grafana
 * admin and Telegram Secrets, the Helm release (stored as Secrets) or the PrometheusRules and ServiceMonitors.
 */
export const previewerGroup = "platform:previewers";

/** Read-only verbs: the only ones this component ever grants. */
export const readVerbs = ["get", "list", "watch"];

/**
 * The stack's Prometheus as the API server's service proxy names it (`<service>:<port name>`): the chart's
 * Prometheus Service (`<fullname>-prometheus`, port `http-web`, 9090). `npm run rightsize -- --cluster-proxy`
 * reads it at `/api/v1/namespaces/<monitoring>/services/<this>/proxy/…`, and the usage readers may GET exactly
 * this name and nothing else.
 */
export const prometheusProxyName = `${kubePrometheusStackRelease}-prometheus:http-web`;

/**
 * Every kind the program declares other than Secrets, by API group and resource: readable cluster-wide
 * (they are not secret, and the namespaced ones live in namespaces the stack names).
 */
export const declaredKinds: { apiGroup: string; resources: string[] }[] = [
  { apiGroup: "", resources: ["namespaces", "configmaps", "services", "serviceaccounts"] },
  { apiGroup: "apps", resources: ["deployments"] },
  { apiGroup: "policy", resources: ["poddisruptionbudgets"] },
  { apiGroup: "networking.k8s.io", resources: ["networkpolicies", "ingresses"] },
  { apiGroup: "storage.k8s.io", resources: ["storageclasses"] },
  { apiGroup: "monitoring.coreos.com", resources: ["prometheusrules", "servicemonitors"] },
  {
    apiGroup: "rbac.authorization.k8s.io",
    resources: ["clusterroles", "clusterrolebindings", "roles", "rolebindings"],
  },
];

export interface PreviewAccessArgs {
  /** Namespaces whose Secrets the program declares or Helm keeps its release records in. */
  secretNamespaces: string[];
  /** Where the stack's Prometheus runs: its query API is readable through the service proxy (GET only). */
  monitoringNamespace: string;
  provider: k8s.Provider;
}

/** Read-only RBAC for the previewer group: the declared kinds cluster-wide, Secrets per namespace. */
export class PreviewAccess extends pulumi.ComponentResource {
  constructor(name: string, args: PreviewAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:access:PreviewAccess", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const subjects = [{ kind: "Group", name: previewerGroup, apiGroup: "rbac.authorization.k8s.io" }];

    const reader = new k8s.rbac.v1.ClusterRole(
      `${name}-read`,
      {
        metadata: { name: "platform-preview-read" },
        rules: declaredKinds.map(({ apiGroup, resources }) => ({
          apiGroups: [apiGroup],
          resources,
          verbs: readVerbs,
        })),
      },
      k8sOpts,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-read`,
      {
        metadata: { name: "platform-preview-read" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: reader.metadata.name },
        subjects,
      },
      k8sOpts,
    );

    for (const namespace of [...new Set(args.secretNamespaces)].sort()) {
      const secretReader = new k8s.rbac.v1.Role(
        `${name}-secrets-${namespace}`,
        {
          metadata: { name: "platform-preview-secrets", namespace },
          rules: [{ apiGroups: [""], resources: ["secrets"], verbs: readVerbs }],
        },
        k8sOpts,
      );
      new k8s.rbac.v1.RoleBinding(
        `${name}-secrets-${namespace}`,
        {
          metadata: { name: "platform-preview-secrets", namespace },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: secretReader.metadata.name },
          subjects,
        },
        k8sOpts,
      );
    }
    // Right-sizing (rightsize.yml, with the drift role) reads what containers used from Prometheus: GET on
    // this one Service's proxy, nothing else of it. Previewers already read this namespace's Secrets (Grafana's
    // admin password among them), which reach the same data; this adds no other object or verb.
    const usageReader = new k8s.rbac.v1.Role(
      `${name}-prometheus-query`,
      {
        metadata: { name: "platform-prometheus-query", namespace: args.monitoringNamespace },
        rules: [
          {
            apiGroups: [""],
            resources: ["services/proxy"],
            resourceNames: [prometheusProxyName],
            verbs: ["get"],
          },
        ],
      },
      k8sOpts,
    );
    new k8s.rbac.v1.RoleBinding(
      `${name}-prometheus-query`,
      {
        metadata: { name: "platform-prometheus-query", namespace: args.monitoringNamespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: usageReader.metadata.name },
        subjects,
      },
      k8sOpts,
    );
    this.registerOutputs({});
  }
}
