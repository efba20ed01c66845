/**
 * Serves a synthetic cluster (../synthetic-cluster.ts) as Prometheus scrapes a real one: kube-state-metrics
 * at one address (the demo inventory's series, which the live-cost rules read, plus the per-pod and
 * per-container series kube-state-metrics v2 adds), each node's kubelet cAdvisor at its own path, and the
 * cost exporter's prices for the cluster's instance types. The kube-state-metrics text is rendered once per
 * churn, as kube-state-metrics keeps its stores; cAdvisor's counters advance with time.
 */
import {
  createLogger,
  createServiceKit,
  HTTP_DURATION_BUCKETS,
  type ServiceKit,
} from "@platform/service-kit";
import { Registry } from "prom-client";
import { registerPriceMetrics } from "../../services/cost-exporter/src/price-metrics.js";
import type { DemoPod } from "../demo-inventory.js";
import { SYNTHETIC_INSTANCE_TYPES, type SyntheticCluster } from "../synthetic-cluster.js";
import { kubeStateMetricsRegistry } from "./demo-inventory.js";

export const SYNTHETIC_PATHS = {
  kubeStateMetrics: "/kube-state-metrics",
  /** Followed by the node's name. */
  cadvisor: "/cadvisor/",
  prices: "/prices",
  /** The instrumented services' pods (scraped with honor_labels: each series names its job). */
  apps: "/apps",
} as const;

/** One Deployment in this many serves HTTP with the storefront's metrics (the metric contract). */
const SERVING_EVERY = 10;
const ROUTES = [
  { method: "GET", endpoint: "/", status: "200", share: 0.6 },
  { method: "GET", endpoint: "/products/:id", status: "200", share: 0.3 },
  { method: "POST", endpoint: "/checkout", status: "201", share: 0.09 },
  { method: "GET", endpoint: "/", status: "500", share: 0.01 },
] as const;
const OUTCOMES = { accepted: 0.9, invalid: 0.04, out_of_stock: 0.03, payment_failed: 0.02, failed: 0.01 };

/**
 * The metric contract's series of every pod of a serving Deployment (one in SERVING_EVERY), counting at one
 * request a second per pod: requests by route and status, the duration histogram (HTTP_DURATION_BUCKETS),
 * revenue, checkouts by outcome and product views, so the SLO and business rules see many jobs and pods.
 */
export function appsText(
  pods: readonly DemoPod[],
  podIdentity: SyntheticCluster["podIdentity"],
  now: number,
): string {
  const requests: string[] = [];
  const buckets: string[] = [];
  const business: string[] = [];
  for (const pod of pods) {
    const id = podIdentity.get(`${pod.namespace}/${pod.name}`);
    if (!id) continue;
    const seconds = Math.max(0, (now - id.startedAt) / 1000);
    const where = {
      job: pod.replicaSet?.deployment ?? pod.owner.name,
      namespace: pod.namespace,
      pod: pod.name,
      instance: `${id.ip}:8080`,
    };
    for (const route of ROUTES) {
      requests.push(
        series(
          "app_requests_total",
          { ...where, method: route.method, endpoint: route.endpoint, status: route.status },
          Math.floor(seconds * route.share),
        ),
      );
    }
    for (const route of ROUTES.slice(0, 2)) {
      const count = Math.floor(seconds * route.share);
      const labels = { ...where, method: route.method, endpoint: route.endpoint };
      HTTP_DURATION_BUCKETS.forEach((le, i) => {
        buckets.push(
          series(
            "app_request_duration_seconds_bucket",
            { ...labels, le: String(le) },
            Math.floor((count * (i + 1)) / HTTP_DURATION_BUCKETS.length),
          ),
        );
      });
      buckets.push(series("app_request_duration_seconds_bucket", { ...labels, le: "+Inf" }, count));
      buckets.push(series("app_request_duration_seconds_sum", labels, count * 0.05));
      buckets.push(series("app_request_duration_seconds_count", labels, count));
    }
    const checkouts = seconds * 0.09;
    for (const [outcome, share] of Object.entries(OUTCOMES)) {
      business.push(series("app_checkouts_total", { ...where, outcome }, Math.floor(checkouts * share)));
    }
    business.push(series("app_revenue_total", where, Math.floor(checkouts * 0.9) * 42.5));
    business.push(series("app_product_views_total", where, Math.floor(seconds * 0.3)));
  }
  return [
    "# TYPE app_requests_total counter\n",
    ...requests,
    "# TYPE app_request_duration_seconds histogram\n",
    ...buckets,
    "# TYPE app_checkouts_total counter\n",
    ...business.filter((l) => l.startsWith("app_checkouts_total")),
    "# TYPE app_revenue_total counter\n",
    ...business.filter((l) => l.startsWith("app_revenue_total")),
    "# TYPE app_product_views_total counter\n",
    ...business.filter((l) => l.startsWith("app_product_views_total")),
  ].join("");
}

const TEXT = "text/plain; version=0.0.4; charset=utf-8";

/** A label value as the exposition format escapes it. */
const quoted = (value: string) =>
  `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
const series = (name: string, labels: Record<string, string>, value: number) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${quoted(v)}`)
    .join(",")}} ${value}\n`;

const containersOf = (pod: DemoPod) =>
  pod.containers ?? [
    {
      name: pod.replicaSet?.deployment ?? pod.owner.name,
      cpuCores: pod.cpuCores,
      memoryBytes: pod.memoryBytes,
    },
  ];

const HELP: Record<string, string> = {
  kube_pod_info: "Information about pod.",
  kube_pod_start_time: "Start time in unix timestamp for a pod.",
  kube_pod_status_ready: "Describes whether the pod is ready to serve requests.",
  kube_pod_labels: "Kubernetes labels converted to Prometheus labels.",
  kube_pod_container_info: "Information about a container in a pod.",
  kube_pod_container_resource_limits: "The number of requested limit resource by a container.",
  kube_pod_container_status_restarts_total: "The number of container restarts per container.",
  kube_pod_container_status_ready: "Describes whether the containers readiness check succeeded.",
};

/** What kube-state-metrics v2 reports of every pod and container besides the demo inventory's series. */
function podSeries(cluster: SyntheticCluster): string {
  const out: Record<string, string[]> = Object.fromEntries(Object.keys(HELP).map((name) => [name, []]));
  const push = (name: string, text: string) => out[name]?.push(text);
  for (const pod of cluster.inventory.pods) {
    const id = cluster.podIdentity.get(`${pod.namespace}/${pod.name}`);
    if (!id) continue;
    const where = { namespace: pod.namespace, pod: pod.name, uid: id.uid };
    push(
      "kube_pod_info",
      series(
        "kube_pod_info",
        {
          ...where,
          host_ip: "10.0.0.1",
          pod_ip: id.ip,
          node: pod.node,
          created_by_kind: pod.owner.kind,
          created_by_name: pod.owner.name,
          priority_class: "",
          host_network: "false",
        },
        1,
      ),
    );
    push("kube_pod_start_time", series("kube_pod_start_time", where, Math.floor(id.startedAt / 1000)));
    for (const condition of ["true", "false", "unknown"]) {
      push(
        "kube_pod_status_ready",
        series("kube_pod_status_ready", { ...where, condition }, condition === "true" ? 1 : 0),
      );
    }
    push("kube_pod_labels", series("kube_pod_labels", where, 1));
    for (const container of containersOf(pod)) {
      const inPod = { ...where, container: container.name };
      const image = `registry.example/${pod.namespace}/${container.name}:1.0.0`;
      push(
        "kube_pod_container_info",
        series(
          "kube_pod_container_info",
          {
            ...inPod,
            image_spec: image,
            image,
            image_id: `${image}@sha256:0`,
            container_id: `containerd://${id.uid}`,
          },
          1,
        ),
      );
      for (const [resource, unit, value] of [
        ["cpu", "core", container.cpuCores * 2],
        ["memory", "byte", container.memoryBytes * 2],
      ] as const) {
        push(
          "kube_pod_container_resource_limits",
          series("kube_pod_container_resource_limits", { ...inPod, node: pod.node, resource, unit }, value),
        );
      }
      push(
        "kube_pod_container_status_restarts_total",
        series("kube_pod_container_status_restarts_total", inPod, 0),
      );
      push("kube_pod_container_status_ready", series("kube_pod_container_status_ready", inPod, 1));
    }
  }
  return Object.entries(out)
    .map(
      ([name, lines]) =>
        `# HELP ${name} ${HELP[name]}\n# TYPE ${name} ${name.endsWith("_total") ? "counter" : "gauge"}\n${lines.join("")}`,
    )
    .join("");
}

/** One node's cAdvisor: each container's and each pod's cgroup CPU and memory, as the kubelet serves them. */
export function cadvisorText(cluster: SyntheticCluster, pods: readonly DemoPod[], now: number): string {
  const lines: string[] = [
    "# TYPE container_cpu_usage_seconds_total counter\n",
    "# TYPE container_memory_working_set_bytes gauge\n",
    "# TYPE container_memory_rss gauge\n",
  ];
  const cpu: string[] = [];
  const memory: string[] = [];
  const rss: string[] = [];
  for (const pod of pods) {
    const id = cluster.podIdentity.get(`${pod.namespace}/${pod.name}`);
    if (!id) continue;
    const seconds = Math.max(0, (now - id.startedAt) / 1000);
    const cgroup = `/kubepods/burstable/pod${id.uid}`;
    const podLabels = {
      container: "",
      id: cgroup,
      image: "",
      name: "",
      namespace: pod.namespace,
      pod: pod.name,
    };
    cpu.push(
      series(
        "container_cpu_usage_seconds_total",
        { ...podLabels, cpu: "total" },
        seconds * pod.cpuCores * 0.6,
      ),
    );
    memory.push(series("container_memory_working_set_bytes", podLabels, Math.round(pod.memoryBytes * 0.7)));
    for (const container of containersOf(pod)) {
      const labels = {
        container: container.name,
        id: `${cgroup}/${id.uid.slice(0, 8)}${container.name}`,
        image: `registry.example/${pod.namespace}/${container.name}:1.0.0`,
        name: `${id.uid.slice(0, 8)}${container.name}`,
        namespace: pod.namespace,
        pod: pod.name,
      };
      cpu.push(
        series(
          "container_cpu_usage_seconds_total",
          { ...labels, cpu: "total" },
          seconds * container.cpuCores * 0.6,
        ),
      );
      memory.push(
        series("container_memory_working_set_bytes", labels, Math.round(container.memoryBytes * 0.7)),
      );
      rss.push(series("container_memory_rss", labels, Math.round(container.memoryBytes * 0.5)));
    }
  }
  return [lines[0], ...cpu, lines[1], ...memory, lines[2], ...rss].join("");
}

export interface SyntheticClusterServer extends ServiceKit {
  /** Renders kube-state-metrics' text afresh (after a churn); returns how long it took, in ms. */
  refresh(): Promise<number>;
}

export function createSyntheticClusterServer(cluster: SyntheticCluster): SyntheticClusterServer {
  const kit = createServiceKit({
    name: "synthetic-cluster",
    logger: createLogger({ service: "synthetic-cluster", level: "warn" }),
    summary: () => `synthetic cluster of ${cluster.size.nodes} nodes and ${cluster.size.pods} pods`,
  });
  const prices = new Registry();
  registerPriceMetrics(prices, {
    region: "us-east-1",
    instanceTypes: SYNTHETIC_INSTANCE_TYPES,
    stack: "synthetic",
    resources: { eks_cluster: 1, nat_gateway: 3, public_ipv4_address: 3, kms_key: 1 },
    nodeRootVolume: { volumeType: "gp3", sizeGiB: 50 },
    now: Date.now,
  });
  let kubeStateMetrics = "";
  let podsByNode = new Map<string, DemoPod[]>();
  let serving: DemoPod[] = [];
  const deployments = new Set(cluster.inventory.pods.map((p) => p.replicaSet?.deployment));
  deployments.delete(undefined);
  const servingWorkloads = new Set([...deployments].filter((_, i) => i % SERVING_EVERY === 0));
  const refresh = async () => {
    const started = performance.now();
    kubeStateMetrics = (await kubeStateMetricsRegistry(cluster.inventory).metrics()) + podSeries(cluster);
    podsByNode = new Map(cluster.inventory.nodes.map((n) => [n.name, []]));
    for (const pod of cluster.inventory.pods) podsByNode.get(pod.node)?.push(pod);
    serving = cluster.inventory.pods.filter((p) => servingWorkloads.has(p.replicaSet?.deployment));
    return performance.now() - started;
  };
  kit.app.get(SYNTHETIC_PATHS.kubeStateMetrics, (c) =>
    c.body(kubeStateMetrics, 200, { "Content-Type": TEXT }),
  );
  kit.app.get(`${SYNTHETIC_PATHS.cadvisor}:node`, (c) =>
    c.body(cadvisorText(cluster, podsByNode.get(c.req.param("node")) ?? [], Date.now()), 200, {
      "Content-Type": TEXT,
    }),
  );
  kit.app.get(SYNTHETIC_PATHS.apps, (c) =>
    c.body(appsText(serving, cluster.podIdentity, Date.now()), 200, { "Content-Type": TEXT }),
  );
  kit.app.get(SYNTHETIC_PATHS.prices, async (c) =>
    c.body(await prices.metrics(), 200, { "Content-Type": prices.contentType }),
  );
  return { ...kit, refresh };
}
