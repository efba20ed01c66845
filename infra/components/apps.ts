import * as k8s from "@pulumi/kubernetes";
import type * as k8sInputs from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";

export interface WorkloadSpec {
  name: string;
  image: string;
  port: number;
  replicas: number;
  env: Record<string, string>;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** Seconds between scrapes; the cost exporter serves a snapshot, so a slower scrape is enough. */
  scrapeInterval: string;
}

export interface AppsArgs {
  namespace: string;
  monitoringNamespace: string;
  storefront: { image: string; replicas: number };
  costExporter: { image: string; serviceAccount: string; env: Record<string, string> };
  traffic: { image: string; rate: number } | undefined;
  /** The resource that installs the ServiceMonitor CRD (the kube-prometheus-stack release). */
  monitoringCrds: pulumi.Resource;
  provider: k8s.Provider;
}

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

export function deploymentSpec(
  workload: WorkloadSpec,
  serviceAccountName: string,
): k8sInputs.apps.v1.DeploymentSpec {
  const labels = { [appLabel]: workload.name, "app.kubernetes.io/part-of": "platform" };
  return {
    replicas: workload.replicas,
    selector: { matchLabels: { [appLabel]: workload.name } },
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
            labelSelector: { matchLabels: { [appLabel]: workload.name } },
          },
        ],
        containers: [
          {
            name: workload.name,
            image: workload.image,
            imagePullPolicy: "IfNotPresent",
            ports: [{ name: "http", containerPort: workload.port, protocol: "TCP" }],
            env: Object.entries({ PORT: String(workload.port), HOST: "0.0.0.0", ...workload.env }).map(
              ([name, value]) => ({ name, value }),
            ),
            resources: workload.resources,
            securityContext: containerSecurityContext,
            livenessProbe: {
              httpGet: { path: "/health", port: "http" },
              initialDelaySeconds: 5,
              periodSeconds: 10,
              failureThreshold: 3,
            },
            readinessProbe: {
              httpGet: { path: "/ready", port: "http" },
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

const fromPrometheus = (monitoringNamespace: string, port: number) => ({
  from: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": monitoringNamespace } },
      podSelector: { matchLabels: { [appLabel]: "prometheus" } },
    },
  ],
  ports: [{ protocol: "TCP", port }],
});

/** The storefront, the cost exporter and (optionally) demo traffic, locked down and scraped. */
export class Apps extends pulumi.ComponentResource {
  readonly namespace: string;

  constructor(name: string, args: AppsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:apps:Apps", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    this.namespace = args.namespace;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          name: args.namespace,
          labels: {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
          },
        },
      },
      k8sOpts,
    );
    const nsOpts = { ...k8sOpts, dependsOn: [namespace] };

    const workloads: WorkloadSpec[] = [
      {
        name: "storefront",
        image: args.storefront.image,
        port: 8080,
        replicas: args.storefront.replicas,
        env: { LOG_LEVEL: "info" },
        resources: { requests: { cpu: "50m", memory: "96Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        scrapeInterval: "15s",
      },
      {
        name: "cost-exporter",
        image: args.costExporter.image,
        port: 8081,
        // One replica: each replica would make its own paid Cost Explorer calls.
        replicas: 1,
        env: { LOG_LEVEL: "info", ...args.costExporter.env },
        resources: { requests: { cpu: "20m", memory: "96Mi" }, limits: { cpu: "250m", memory: "192Mi" } },
        scrapeInterval: "60s",
      },
    ];
    if (args.traffic) {
      workloads.push({
        name: "traffic",
        image: args.traffic.image,
        port: 8082,
        replicas: 1,
        env: {
          LOG_LEVEL: "info",
          TARGET_URL: `http://storefront.${args.namespace}.svc.cluster.local:8080`,
          RATE: String(args.traffic.rate),
        },
        resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
        scrapeInterval: "30s",
      });
    }

    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      {
        metadata: { name: "default-deny", namespace: args.namespace },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      nsOpts,
    );

    for (const workload of workloads) {
      const serviceAccountName =
        workload.name === "cost-exporter" ? args.costExporter.serviceAccount : workload.name;
      const labels = { [appLabel]: workload.name, "app.kubernetes.io/part-of": "platform" };
      const metadata = { name: workload.name, namespace: args.namespace, labels };

      new k8s.core.v1.ServiceAccount(
        `${name}-${workload.name}`,
        { metadata: { ...metadata, name: serviceAccountName }, automountServiceAccountToken: false },
        nsOpts,
      );
      new k8s.apps.v1.Deployment(
        `${name}-${workload.name}`,
        { metadata, spec: deploymentSpec(workload, serviceAccountName) },
        nsOpts,
      );
      new k8s.core.v1.Service(
        `${name}-${workload.name}`,
        {
          metadata,
          spec: {
            type: "ClusterIP",
            selector: { [appLabel]: workload.name },
            ports: [{ name: "http", port: workload.port, targetPort: "http", protocol: "TCP" }],
          },
        },
        nsOpts,
      );
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-${workload.name}`,
        {
          metadata,
          // A single replica may be evicted (maxUnavailable 1) so node drains never block on it.
          spec:
            workload.replicas > 1
              ? { minAvailable: 1, selector: { matchLabels: { [appLabel]: workload.name } } }
              : { maxUnavailable: 1, selector: { matchLabels: { [appLabel]: workload.name } } },
        },
        nsOpts,
      );
      new k8s.apiextensions.CustomResource(
        `${name}-${workload.name}-monitor`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata,
          spec: {
            selector: { matchLabels: { [appLabel]: workload.name } },
            namespaceSelector: { matchNames: [args.namespace] },
            endpoints: [{ port: "http", path: "/metrics", interval: workload.scrapeInterval }],
          },
        },
        { ...nsOpts, dependsOn: [namespace, args.monitoringCrds] },
      );
    }

    const policy = (workloadName: string, spec: k8sInputs.networking.v1.NetworkPolicySpec) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${workloadName}`,
        { metadata: { name: workloadName, namespace: args.namespace }, spec },
        nsOpts,
      );
    const selectApp = (workloadName: string) => ({ matchLabels: { [appLabel]: workloadName } });

    policy("storefront", {
      podSelector: selectApp("storefront"),
      policyTypes: ["Ingress", "Egress"],
      // The shop's port is open to any client; the storefront itself calls nothing but DNS.
      ingress: [{ ports: [{ protocol: "TCP", port: 8080 }] }],
      egress: [dnsEgress],
    });
    policy("cost-exporter", {
      podSelector: selectApp("cost-exporter"),
      policyTypes: ["Ingress", "Egress"],
      ingress: [fromPrometheus(args.monitoringNamespace, 8081)],
      egress: [
        dnsEgress,
        { ports: [{ protocol: "TCP", port: 443 }] },
        // The EKS Pod Identity agent hands out the role's credentials on this link-local address.
        { to: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ protocol: "TCP", port: 80 }] },
      ],
    });
    if (args.traffic) {
      policy("traffic", {
        podSelector: selectApp("traffic"),
        policyTypes: ["Ingress", "Egress"],
        ingress: [fromPrometheus(args.monitoringNamespace, 8082)],
        egress: [
          dnsEgress,
          { to: [{ podSelector: selectApp("storefront") }], ports: [{ protocol: "TCP", port: 8080 }] },
        ],
      });
    }
    this.registerOutputs({ namespace: this.namespace });
  }
}
