import { at, type PricedInput, stringAt } from "./inputs.js";

/**
 * Which pods a Helm chart runs for its values, so that the requests the program puts in a release's values
 * count against the node group like any Deployment's. Charts describe this only in their templates, so each
 * chart gets a profile here: the pod, its kind, how many, and the value paths of its containers' resources.
 * The numbers themselves are always read from the release's values. A release of a chart without a profile is
 * not priced: what it creates is not known.
 */
export interface ChartPod {
  name: string;
  kind: "Deployment" | "StatefulSet" | "DaemonSet";
  enabled: (values: unknown) => boolean;
  /** value paths whose product is the pod count (each the chart's default when unset, else 1); none: one pod */
  replicas: string[];
  /** the chart's own defaults of those paths (values.yaml), used when the release leaves them unset */
  replicaDefaults?: Readonly<Record<string, number>>;
  /** value paths of `resources` blocks, with how many containers of the pod use each */
  containers: { path: string; copies?: (values: unknown) => number }[];
}

const on = (path: string) => (values: unknown) => at(values, path) !== false;

/**
 * kube-prometheus-stack (chart 88.x, read from its values.yaml and templates on 2026-12-01): the operator
 * injects a config-reloader container (resources from `prometheusOperator.prometheusConfigReloader`) into
 * every Prometheus and Alertmanager pod; Grafana runs one sidecar container per enabled sidecar (dashboards and
 * datasources are on by default in this chart); the admission webhook's patch Jobs run once at install and
 * hold no capacity afterwards.
 */
const kubePrometheusStack: ChartPod[] = [
  {
    name: "prometheus",
    kind: "StatefulSet",
    enabled: on("prometheus.enabled"),
    replicas: ["prometheus.prometheusSpec.replicas", "prometheus.prometheusSpec.shards"],
    containers: [
      { path: "prometheus.prometheusSpec.resources" },
      { path: "prometheusOperator.prometheusConfigReloader.resources" },
    ],
  },
  {
    name: "alertmanager",
    kind: "StatefulSet",
    enabled: on("alertmanager.enabled"),
    replicas: ["alertmanager.alertmanagerSpec.replicas"],
    containers: [
      { path: "alertmanager.alertmanagerSpec.resources" },
      { path: "prometheusOperator.prometheusConfigReloader.resources" },
    ],
  },
  {
    name: "grafana",
    kind: "Deployment",
    enabled: on("grafana.enabled"),
    replicas: ["grafana.replicas"],
    containers: [
      { path: "grafana.resources" },
      {
        path: "grafana.sidecar.resources",
        copies: (v) =>
          (at(v, "grafana.sidecar.dashboards.enabled") !== false ? 1 : 0) +
          (at(v, "grafana.sidecar.datasources.enabled") !== false ? 1 : 0),
      },
    ],
  },
  {
    name: "prometheus-operator",
    kind: "Deployment",
    enabled: on("prometheusOperator.enabled"),
    replicas: [],
    containers: [{ path: "prometheusOperator.resources" }],
  },
  {
    name: "kube-state-metrics",
    kind: "Deployment",
    enabled: on("kubeStateMetrics.enabled"),
    replicas: ["kube-state-metrics.replicas"],
    containers: [{ path: "kube-state-metrics.resources" }],
  },
  {
    name: "node-exporter",
    kind: "DaemonSet",
    enabled: on("nodeExporter.enabled"),
    replicas: [],
    containers: [{ path: "prometheus-node-exporter.resources" }],
  },
];

/**
 * aws-load-balancer-controller (chart 3.5.0, read from its values.yaml and templates/deployment.yaml on
 * 2026-12-07): one Deployment of `replicaCount` pods (2 by default), one container whose `resources` are the
 * chart's `resources` (empty by default: pods that request nothing). The webhooks are served by the same pods.
 */
const awsLoadBalancerController: ChartPod[] = [
  {
    name: "aws-load-balancer-controller",
    kind: "Deployment",
    enabled: () => true,
    replicas: ["replicaCount"],
    replicaDefaults: { replicaCount: 2 },
    containers: [{ path: "resources" }],
  },
];

export const CHART_PROFILES: ReadonlyMap<string, readonly ChartPod[]> = new Map([
  ["kube-prometheus-stack", kubePrometheusStack],
  ["aws-load-balancer-controller", awsLoadBalancerController],
]);

/** A Helm release's chart by name: `prometheus-community/kube-prometheus-stack` → `kube-prometheus-stack`. */
export function chartName(release: PricedInput): string {
  const chart = stringAt(release.inputs, "chart") ?? "";
  return chart.split("/").pop() ?? chart;
}
