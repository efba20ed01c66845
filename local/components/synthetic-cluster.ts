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
    "# HELP app_requests_total HTTP requests by route and status.\n# TYPE app_requests_total counter\n",
    ...requests,
    "# HELP app_request_duration_seconds HTTP request duration.\n# TYPE app_request_duration_seconds histogram\n",
    ...buckets,
    "# HELP app_checkouts_total Checkouts by outcome.\n# TYPE app_checkouts_total counter\n",
    ...business.filter((l) => l.startsWith("app_checkouts_total")),
    "# HELP app_revenue_total Revenue in US dollars.\n# TYPE app_revenue_total counter\n",
    ...business.filter((l) => l.startsWith("app_revenue_total")),
    "# HELP app_product_views_total Product views.\n# TYPE app_product_views_total counter\n",
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

const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;
/** The demo inventory's per-pod families, rendered here as text: prom-client takes seconds at 10,000 pods. */
const INVENTORY_POD_FAMILIES = [
  "kube_pod_container_resource_requests",
  "kube_pod_status_phase",
  "kube_pod_owner",
  "kube_replicaset_owner",
];

const HELP: Record<string, string> = {
  kube_pod_container_resource_requests: "The number of requested request resource by a container.",
  kube_pod_status_phase: "The pods current phase.",
  kube_pod_owner: "Information about the Pod's owner.",
  kube_replicaset_owner: "Information about the ReplicaSet's owner.",
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
type Add = (name: string, labels: Record<string, string>, value: number) => void;
type PodIdentity = { uid: string; ip: string; startedAt: number };

/** The demo inventory's per-pod families: requests per container, phase, owner, and each ReplicaSet's owner once. */
function inventoryFamilies(pod: DemoPod, add: Add, replicaSets: Set<string>): void {
  const at = { namespace: pod.namespace, pod: pod.name };
  for (const container of containersOf(pod)) {
    const labels = { ...at, container: container.name, node: pod.node };
    add(
      "kube_pod_container_resource_requests",
      { ...labels, resource: "cpu", unit: "core" },
      container.cpuCores,
    );
    add(
      "kube_pod_container_resource_requests",
      { ...labels, resource: "memory", unit: "byte" },
      container.memoryBytes,
    );
  }
  for (const phase of PHASES) add("kube_pod_status_phase", { ...at, phase }, phase === "Running" ? 1 : 0);
  const owner = { owner_kind: pod.owner.kind, owner_name: pod.owner.name, owner_is_controller: "true" };
  add("kube_pod_owner", { ...at, ...owner }, 1);
  const replicaSet = pod.replicaSet;
  if (replicaSet && !replicaSets.has(`${pod.namespace}/${replicaSet.name}`)) {
    replicaSets.add(`${pod.namespace}/${replicaSet.name}`);
    const rsOwner = {
      owner_kind: "Deployment",
      owner_name: replicaSet.deployment,
      owner_is_controller: "true",
    };
    add("kube_replicaset_owner", { namespace: pod.namespace, replicaset: replicaSet.name, ...rsOwner }, 1);
  }
}

/** What kube-state-metrics v2 adds of every pod and container: info, start, readiness, labels, limits, restarts. */
function stateFamilies(pod: DemoPod, id: PodIdentity, add: Add): void {
  const where = { namespace: pod.namespace, pod: pod.name, uid: id.uid };
  const createdBy = { created_by_kind: pod.owner.kind, created_by_name: pod.owner.name };
  const addresses = { host_ip: "10.0.0.1", pod_ip: id.ip, node: pod.node };
  add(
    "kube_pod_info",
    { ...where, ...addresses, ...createdBy, priority_class: "", host_network: "false" },
    1,
  );
  add("kube_pod_start_time", where, Math.floor(id.startedAt / 1000));
  for (const condition of ["true", "false", "unknown"]) {
    add("kube_pod_status_ready", { ...where, condition }, condition === "true" ? 1 : 0);
  }
  add("kube_pod_labels", where, 1);
  for (const container of containersOf(pod)) {
    const inPod = { ...where, container: container.name };
    const image = `registry.example/${pod.namespace}/${container.name}:1.0.0`;
    const ids = { image_id: `${image}@sha256:0`, container_id: `containerd://${id.uid}` };
    add("kube_pod_container_info", { ...inPod, image_spec: image, image, ...ids }, 1);
    const limits = { ...inPod, node: pod.node };
    add(
      "kube_pod_container_resource_limits",
      { ...limits, resource: "cpu", unit: "core" },
      container.cpuCores * 2,
    );
    add(
      "kube_pod_container_resource_limits",
      { ...limits, resource: "memory", unit: "byte" },
      container.memoryBytes * 2,
    );
    add("kube_pod_container_status_restarts_total", inPod, 0);
    add("kube_pod_container_status_ready", inPod, 1);
  }
}

/** Every pod's kube-state-metrics series as text, family by family. */
export function podSeries(cluster: SyntheticCluster): string {
  const out: Record<string, string[]> = Object.fromEntries(Object.keys(HELP).map((name) => [name, []]));
  const add: Add = (name, labels, value) => out[name]?.push(series(name, labels, value));
  const replicaSets = new Set<string>();
  for (const pod of cluster.inventory.pods) {
    const id = cluster.podIdentity.get(`${pod.namespace}/${pod.name}`);
    if (!id) continue;
    inventoryFamilies(pod, add, replicaSets);
    stateFamilies(pod, id, add);
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
    "# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.\n# TYPE container_cpu_usage_seconds_total counter\n",
    "# HELP container_memory_working_set_bytes Current working set in bytes.\n# TYPE container_memory_working_set_bytes gauge\n",
    "# HELP container_memory_rss Size of RSS in bytes.\n# TYPE container_memory_rss gauge\n",
  ];
  const cpu: string[] = [];
  const memory: string[] = [];
  const rss: string[] = [];
  // What a cgroup (the pod's, or one container's) has used since the pod started: 60% of its CPU request
  // and 70% of its memory request.
  const use = (
    labels: Record<string, string>,
    requested: { cpuCores: number; memoryBytes: number },
    seconds: number,
  ) => {
    cpu.push(
      series(
        "container_cpu_usage_seconds_total",
        { ...labels, cpu: "total" },
        seconds * requested.cpuCores * 0.6,
      ),
    );
    memory.push(
      series("container_memory_working_set_bytes", labels, Math.round(requested.memoryBytes * 0.7)),
    );
  };
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
    use(podLabels, pod, seconds);
    for (const container of containersOf(pod)) {
      const labels = {
        container: container.name,
        id: `${cgroup}/${id.uid.slice(0, 8)}${container.name}`,
        image: `registry.example/${pod.namespace}/${container.name}:1.0.0`,
        name: `${id.uid.slice(0, 8)}${container.name}`,
        namespace: pod.namespace,
        pod: pod.name,
      };
      use(labels, container, seconds);
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
    // Nodes (a few hundred) through the demo inventory's registry; its per-pod families as text.
    const nodesOnly = await kubeStateMetricsRegistry({ ...cluster.inventory, pods: [] }).metrics();
    kubeStateMetrics =
      nodesOnly
        .split("\n")
        .filter(
          (line) =>
            !INVENTORY_POD_FAMILIES.some(
              (f) => line.startsWith(`# HELP ${f} `) || line.startsWith(`# TYPE ${f} `),
            ),
        )
        .join("\n") + podSeries(cluster);
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
