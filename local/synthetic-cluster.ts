/**
 * A synthetic cluster of any size, for measuring what the rules cost as the cluster grows: N nodes, P pods of
 * W workloads in K namespaces, as kube-state-metrics and the kubelets' cAdvisor report them, with churn (pods
 * replaced, Deployments rolled out) over time. The series the live-cost rules read are the demo inventory's
 * (components/demo-inventory.ts renders both); the rest are what kube-state-metrics v2 and cAdvisor add to
 * every pod and container in a real cluster (names and labels as they write them), so Prometheus holds and
 * indexes what it would. Pure and seeded: the same size and seed give the same cluster.
 */
import { eksNodeAllocatable } from "@platform/prices";
import { mulberry32 } from "../services/traffic/src/random.js";
import { type DemoInventory, type DemoNode, type DemoPod, nodeOfShape } from "./demo-inventory.js";

export interface ClusterSize {
  nodes: number;
  pods: number;
  workloads: number;
  namespaces: number;
}

/** The node types the cluster mixes (in the price table, with EKS capacity figures): 8 vCPU, 58 pods each. */
export const SYNTHETIC_INSTANCE_TYPES = ["m6i.2xlarge", "m7i.2xlarge", "r6i.2xlarge"] as const;
/** DaemonSets: one pod on every node each (a log shipper, the CNI, a node exporter). */
const DAEMON_SETS = ["log-shipper", "aws-node", "node-exporter"] as const;
const MIB = 2 ** 20;

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const suffix = (next: () => number, length: number) =>
  Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join("");

interface Workload {
  namespace: string;
  name: string;
  kind: "Deployment" | "StatefulSet" | "DaemonSet";
  replicas: number;
  /** The current ReplicaSet's hash (Deployments). */
  hash: string;
  containers: { name: string; cpuCores: number; memoryBytes: number }[];
}

export interface SyntheticCluster {
  size: ClusterSize;
  inventory: DemoInventory;
  /** Every pod's uid and address, for kube_pod_info and cAdvisor's cgroup paths. */
  podIdentity: Map<string, { uid: string; ip: string; startedAt: number }>;
  /**
   * Replaces `share` of the Deployments' pods with new ones (new names, other nodes) and rolls one
   * Deployment out (a new ReplicaSet, every pod of it replaced), as a day of deploys and evictions does.
   */
  churn(share: number, now: number): void;
}

function nodesOf(count: number): DemoNode[] {
  return Array.from({ length: count }, (_, i) => {
    const instanceType = SYNTHETIC_INSTANCE_TYPES[i % SYNTHETIC_INSTANCE_TYPES.length] as string;
    const shape = eksNodeAllocatable(instanceType);
    if (!shape) throw new Error(`no capacity figures for ${instanceType}`);
    const name = `ip-10-${Math.floor(i / 65_536)}-${Math.floor(i / 256) % 256}-${i % 256}.ec2.internal`;
    return nodeOfShape(name, shape, i % 5 === 4 ? "SPOT" : "ON_DEMAND");
  });
}

/** The workloads: the DaemonSets, then Deployments (five in six) and StatefulSets sharing the other pods. */
function workloadsOf(size: ClusterSize, next: () => number): Workload[] {
  const container = (name: string) => ({
    name,
    cpuCores: Math.round((0.02 + next() * 0.25) * 1000) / 1000,
    memoryBytes: Math.round(32 + next() * 480) * MIB,
  });
  const daemons: Workload[] = DAEMON_SETS.slice(0, Math.max(0, Math.min(3, size.workloads - 1))).map(
    (name) => ({
      namespace: "kube-system",
      name,
      kind: "DaemonSet",
      replicas: size.nodes,
      hash: "",
      containers: [container(name)],
    }),
  );
  const others = size.workloads - daemons.length;
  const podsLeft = size.pods - daemons.length * size.nodes;
  if (others < 1 || podsLeft < others) {
    throw new Error(
      `${size.pods} pods cannot give each of ${size.workloads} workloads a pod besides ${daemons.length} DaemonSets on ${size.nodes} nodes`,
    );
  }
  // Skewed sizes, as real clusters have: a few large workloads, many with a replica or two.
  const weights = Array.from({ length: others }, () => 1 / (0.05 + next()));
  const total = weights.reduce((a, b) => a + b, 0);
  const replicas = weights.map((w) => 1 + Math.floor(((podsLeft - others) * w) / total));
  let missing = podsLeft - replicas.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % others, missing--) replicas[i] = (replicas[i] ?? 0) + 1;
  return [
    ...daemons,
    ...replicas.map((count, i): Workload => {
      const name = `app-${i}`;
      return {
        // The DaemonSets' kube-system is one of the K namespaces.
        namespace: `team-${i % Math.max(1, size.namespaces - 1)}`,
        name,
        kind: i % 6 === 5 ? "StatefulSet" : "Deployment",
        replicas: count,
        hash: suffix(next, 10),
        // One pod in four carries a sidecar.
        containers: next() < 0.25 ? [container(name), container("proxy")] : [container(name)],
      };
    }),
  ];
}

function podOf(workload: Workload, node: string, name: string): DemoPod {
  const cpuCores = workload.containers.reduce((sum, c) => sum + c.cpuCores, 0);
  const memoryBytes = workload.containers.reduce((sum, c) => sum + c.memoryBytes, 0);
  const base = { namespace: workload.namespace, name, node, cpuCores, memoryBytes };
  const containers = workload.containers.length > 1 ? { containers: workload.containers } : {};
  if (workload.kind !== "Deployment") {
    return { ...base, ...containers, owner: { kind: workload.kind, name: workload.name } };
  }
  const replicaSet = `${workload.name}-${workload.hash}`;
  return {
    ...base,
    ...containers,
    owner: { kind: "ReplicaSet", name: replicaSet },
    replicaSet: { name: replicaSet, deployment: workload.name },
  };
}

/** A cluster of this size; throws when the pods cannot be spread over the workloads and nodes. */
export function syntheticCluster(size: ClusterSize, seed = 1, now = Date.now()): SyntheticCluster {
  const { nodes: n, pods: p, workloads: w, namespaces: k } = size;
  for (const [key, value] of Object.entries({ nodes: n, pods: p, workloads: w, namespaces: k })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${key}: a whole number above 0, not ${value}`);
  }
  const next = mulberry32(seed);
  const nodes = nodesOf(size.nodes);
  const workloads = workloadsOf(size, next);
  const podIdentity = new Map<string, { uid: string; ip: string; startedAt: number }>();
  let serial = 0;
  const identify = (pod: DemoPod, at: number) => {
    serial++;
    const hex = serial.toString(16).padStart(12, "0");
    podIdentity.set(`${pod.namespace}/${pod.name}`, {
      uid: `${suffix(next, 8)}-0000-4000-8000-${hex}`,
      ip: `10.${100 + ((serial >> 16) % 100)}.${(serial >> 8) % 256}.${serial % 256}`,
      startedAt: at,
    });
    return pod;
  };
  let cursor = 0;
  const anyNode = () => (nodes[cursor++ % nodes.length] as DemoNode).name;
  const pods: DemoPod[] = [];
  const byWorkload = new Map<Workload, DemoPod[]>();
  for (const workload of workloads) {
    const own = Array.from({ length: workload.replicas }, (_, i) => {
      if (workload.kind === "DaemonSet")
        return podOf(workload, (nodes[i] as DemoNode).name, `${workload.name}-${suffix(next, 5)}`);
      if (workload.kind === "StatefulSet") return podOf(workload, anyNode(), `${workload.name}-${i}`);
      return podOf(workload, anyNode(), `${workload.name}-${workload.hash}-${suffix(next, 5)}`);
    }).map((pod) => identify(pod, now));
    byWorkload.set(workload, own);
    pods.push(...own);
  }
  const inventory: DemoInventory = {
    stack: "synthetic",
    nodes,
    pods,
    volumes: [],
    loadBalancers: [],
    notes: [],
    stackEnv: {},
  };
  const deployments = workloads.filter((w) => w.kind === "Deployment");
  let rollout = 0;
  const replace = (workload: Workload, old: DemoPod, at: number) => {
    podIdentity.delete(`${old.namespace}/${old.name}`);
    return identify(podOf(workload, anyNode(), `${workload.name}-${workload.hash}-${suffix(next, 5)}`), at);
  };
  return {
    size,
    inventory,
    podIdentity,
    churn(share, at) {
      const rolled = deployments[rollout++ % Math.max(1, deployments.length)];
      if (rolled) rolled.hash = suffix(next, 10);
      const fresh: DemoPod[] = [];
      for (const [workload, own] of byWorkload) {
        const replaced = own.map((pod) =>
          workload.kind === "Deployment" && (workload === rolled || next() < share)
            ? replace(workload, pod, at)
            : pod,
        );
        byWorkload.set(workload, replaced);
        fresh.push(...replaced);
      }
      inventory.pods = fresh;
    },
  };
}
