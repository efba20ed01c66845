/**
 * The demo inventory: what kube-state-metrics would report for the dev stack, read from what the dev stack's
 * program declares under Pulumi's mocks (infra/under-mocks/mocks.ts). Its node group (instance type, capacity
 * type, size), the pods of its Deployments, StatefulSets and DaemonSets and of its Helm releases with their
 * requests, the persistent volumes its claims and Helm values ask for, and its Services of type LoadBalancer.
 * The live-cost rules price it as they price a cluster's; the estimate of the same resources is what
 * `npm run cost` says, so the two can be compared (tests/platform.e2e.test.ts). Pure functions: the local
 * component (components/demo-inventory.ts) runs the program and serves the result.
 */

import { eksNodeAllocatable } from "@platform/prices";
import {
  at,
  ebsTypeForClaim,
  helmValuesParts,
  kubernetesLoadBalancerKind,
  nodeSpecOf,
  type PricedInput,
  quantityToGiB,
  ResourceIndex,
  stringAt,
  type Workload,
  workloadsOf,
} from "pulumi-cost";
import { COST_INVENTORY_ENV } from "../catalogue/services.js";

const GIB = 2 ** 30;
const MIB = 2 ** 20;

export interface DemoNode {
  name: string;
  instanceType: string;
  capacityType: string;
  capacity: { cpuCores: number; memoryBytes: number; pods: number };
  allocatable: { cpuCores: number; memoryBytes: number; pods: number };
}

export interface DemoPod {
  namespace: string;
  name: string;
  node: string;
  /** The controller kube-state-metrics names as the pod's owner (a Deployment's pods: its ReplicaSet). */
  owner: { kind: string; name: string };
  /** For a Deployment's pods: the ReplicaSet and the Deployment that owns it. */
  replicaSet?: { name: string; deployment: string };
  cpuCores: number;
  memoryBytes: number;
  /** Each container's requests when the pod has several (they add up to the pod's); one container otherwise. */
  containers?: { name: string; cpuCores: number; memoryBytes: number }[];
}

export interface DemoVolume {
  name: string;
  claim: { namespace: string; name: string };
  storageClass: string;
  sizeBytes: number;
}

export interface DemoLoadBalancer {
  namespace: string;
  service: string;
  /** The aws-load-balancer-type annotation kube-state-metrics would report (network: nlb). */
  typeAnnotation?: string;
}

export interface DemoInventory {
  stack: string;
  nodes: DemoNode[];
  pods: DemoPod[];
  volumes: DemoVolume[];
  loadBalancers: DemoLoadBalancer[];
  /** What the program could not place or price, said at start-up. */
  notes: string[];
  /** The environment the stack gives each service that describes the stack (its prices and parts). */
  stackEnv: Record<string, Record<string, string>>;
}

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** A node of an instance type as kube-state-metrics reports it: capacity and allocatable from EKS's figures. */
export function nodeOfShape(
  name: string,
  shape: NonNullable<ReturnType<typeof eksNodeAllocatable>>,
  capacityType: string,
): DemoNode {
  return {
    name,
    instanceType: shape.instanceType,
    capacityType,
    capacity: {
      cpuCores: shape.capacity.cpuMillicores / 1000,
      memoryBytes: shape.capacity.memoryMiB * MIB,
      pods: shape.maxPods,
    },
    allocatable: {
      cpuCores: shape.allocatable.cpuMillicores / 1000,
      memoryBytes: shape.allocatable.memoryMiB * MIB,
      pods: shape.allocatable.pods,
    },
  };
}

function nodesOf(resources: readonly PricedInput[], notes: string[]): DemoNode[] {
  const nodes: DemoNode[] = [];
  for (const group of resources.filter((r) => r.type === NODE_GROUP)) {
    const spec = nodeSpecOf(group, new ResourceIndex(resources));
    const count = Number(at(group.inputs, "scalingConfig.desiredSize") ?? 0);
    const shape = spec.instanceType ? eksNodeAllocatable(spec.instanceType) : undefined;
    if (!spec.instanceType || !shape) {
      notes.push(
        `node group ${group.name}: no capacity figures for ${spec.instanceType ?? "its instance type"}`,
      );
      continue;
    }
    for (let i = 1; i <= count; i++) {
      nodes.push(nodeOfShape(`${slug(group.name)}-${i}`, shape, spec.spot ? "SPOT" : "ON_DEMAND"));
    }
  }
  return nodes;
}

/** The namespace and owner name a workload's pods have, from the resource that declares them. */
function placeOf(workload: Workload, byName: Map<string, PricedInput>): { namespace: string; name: string } {
  const resource = byName.get(workload.resource);
  if (resource && HELM_TYPES.has(resource.type)) {
    const pod = workload.name.plain.split(": ").pop() ?? workload.name.plain;
    return { namespace: stringAt(resource.inputs, "namespace") ?? "default", name: slug(pod) };
  }
  return {
    namespace: stringAt(resource?.inputs, "metadata.namespace") ?? "default",
    name: stringAt(resource?.inputs, "metadata.name") ?? slug(workload.name.plain),
  };
}

/**
 * Pods on nodes as the scheduler's default scoring would spread them (each on the node with the most free
 * share of CPU and memory, largest first); DaemonSets on every node.
 */
function podsOf(resources: readonly PricedInput[], nodes: DemoNode[], notes: string[]): DemoPod[] {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const { workloads, notes: workloadNotes } = workloadsOf(resources);
  notes.push(...workloadNotes.map((note) => note.plain));
  const free = new Map(nodes.map((n) => [n.name, { ...n.allocatable }]));
  const pods: DemoPod[] = [];
  const take = (node: DemoNode, workload: Workload) => {
    const room = free.get(node.name);
    if (!room) return;
    room.cpuCores -= workload.pod.cpuMillicores / 1000;
    room.memoryBytes -= workload.pod.memoryBytes;
    room.pods -= 1;
  };
  const podOf = (workload: Workload, node: DemoNode, index: string): DemoPod => {
    const { namespace, name } = placeOf(workload, byName);
    const base = {
      namespace,
      node: node.name,
      cpuCores: workload.pod.cpuMillicores / 1000,
      memoryBytes: workload.pod.memoryBytes,
    };
    if (workload.kind === "Deployment") {
      const replicaSet = `${name}-5d8f7c9b4`;
      return {
        ...base,
        name: `${replicaSet}-${index}`,
        owner: { kind: "ReplicaSet", name: replicaSet },
        replicaSet: { name: replicaSet, deployment: name },
      };
    }
    return { ...base, name: `${name}-${index}`, owner: { kind: workload.kind, name } };
  };
  for (const daemon of workloads.filter((w) => w.kind === "DaemonSet")) {
    for (const node of nodes) {
      pods.push(podOf(daemon, node, node.name.split("-").pop() ?? "0"));
      take(node, daemon);
    }
  }
  const share = (cpu: number, memory: number, node: DemoNode) =>
    cpu / node.allocatable.cpuCores + memory / node.allocatable.memoryBytes;
  const scheduled = workloads
    .filter((w) => w.kind !== "DaemonSet")
    .flatMap((w) => Array.from({ length: w.replicas }, (_, i) => ({ workload: w, index: i })))
    .sort(
      (a, b) =>
        b.workload.pod.cpuMillicores / 1000 +
        b.workload.pod.memoryBytes / GIB -
        (a.workload.pod.cpuMillicores / 1000 + a.workload.pod.memoryBytes / GIB),
    );
  for (const { workload, index } of scheduled) {
    const fits = nodes.filter((node) => {
      const room = free.get(node.name);
      return (
        room !== undefined &&
        room.pods >= 1 &&
        room.cpuCores >= workload.pod.cpuMillicores / 1000 &&
        room.memoryBytes >= workload.pod.memoryBytes
      );
    });
    const node = fits.sort((a, b) => {
      const ra = free.get(a.name);
      const rb = free.get(b.name);
      return (
        (rb ? share(rb.cpuCores, rb.memoryBytes, b) : 0) - (ra ? share(ra.cpuCores, ra.memoryBytes, a) : 0)
      );
    })[0];
    if (!node) {
      notes.push(`${workload.name.plain}: pod ${index + 1} does not fit the nodes and stays Pending`);
      continue;
    }
    pods.push(podOf(workload, node, workload.kind === "StatefulSet" ? String(index) : `x${index}`));
    take(node, workload);
  }
  return pods;
}

/** The volumes the stack's claims and Helm values ask for, with the class the program gives them. */
function volumesOf(resources: readonly PricedInput[], notes: string[]): DemoVolume[] {
  const volumes: DemoVolume[] = [];
  const index = new ResourceIndex(resources);
  const add = (namespace: string, where: string, spec: unknown, copies: number) => {
    const sizeGiB = quantityToGiB(at(spec, "resources.requests.storage"));
    const answer = ebsTypeForClaim(stringAt(spec, "storageClassName"), index);
    if (sizeGiB === undefined || "notPriced" in answer) {
      notes.push(`${where}: volume left out (${"notPriced" in answer ? answer.notPriced.plain : "no size"})`);
      return;
    }
    for (let i = 0; i < copies; i++) {
      const claim = `${slug(where)}-${i}`;
      volumes.push({
        name: `pvc-${claim}`,
        claim: { namespace, name: claim },
        storageClass: answer.className,
        sizeBytes: sizeGiB * GIB,
      });
    }
  };
  for (const resource of resources) {
    if (HELM_TYPES.has(resource.type)) {
      const namespace = stringAt(resource.inputs, "namespace") ?? "default";
      for (const claim of helmValuesParts(at(resource.inputs, "values"), resource).claims) {
        add(namespace, claim.where, claim.spec, claim.copies);
      }
    } else if (resource.type === "kubernetes:core/v1:PersistentVolumeClaim") {
      const namespace = stringAt(resource.inputs, "metadata.namespace") ?? "default";
      add(
        namespace,
        stringAt(resource.inputs, "metadata.name") ?? resource.name,
        at(resource.inputs, "spec"),
        1,
      );
    }
  }
  return volumes;
}

function loadBalancersOf(resources: readonly PricedInput[]): DemoLoadBalancer[] {
  const found: DemoLoadBalancer[] = [];
  const add = (namespace: string, service: string, object: unknown) => {
    found.push({
      namespace,
      service,
      ...(kubernetesLoadBalancerKind(object) === "network" ? { typeAnnotation: "nlb" } : {}),
    });
  };
  for (const resource of resources) {
    if (HELM_TYPES.has(resource.type)) {
      const namespace = stringAt(resource.inputs, "namespace") ?? "default";
      for (const lb of helmValuesParts(at(resource.inputs, "values"), resource).loadBalancers) {
        add(namespace, slug(lb.where.replace(/\.service$/, "")), lb.service);
      }
    } else if (
      resource.type === "kubernetes:core/v1:Service" &&
      at(resource.inputs, "spec.type") === "LoadBalancer"
    ) {
      add(
        stringAt(resource.inputs, "metadata.namespace") ?? "default",
        stringAt(resource.inputs, "metadata.name") ?? resource.name,
        resource.inputs,
      );
    }
  }
  return found;
}

/** Per service, the env its Deployment gets that describes the stack (COST_INVENTORY_ENV). */
function stackEnvOf(resources: readonly PricedInput[]): Record<string, Record<string, string>> {
  const byService: Record<string, Record<string, string>> = {};
  for (const deployment of resources.filter((r) => r.type === DEPLOYMENT)) {
    const name = stringAt(deployment.inputs, "metadata.name");
    const env = at(deployment.inputs, "spec.template.spec.containers.0.env");
    if (!name || !Array.isArray(env)) continue;
    const picked = Object.fromEntries(
      env
        .filter(
          (e): e is { name: string; value: string } =>
            typeof e?.name === "string" &&
            typeof e?.value === "string" &&
            (COST_INVENTORY_ENV as readonly string[]).includes(e.name),
        )
        .map((e) => [e.name, e.value]),
    );
    if (Object.keys(picked).length > 0) byService[name] = picked;
  }
  return byService;
}

export function demoInventoryOf(stack: string, resources: readonly PricedInput[]): DemoInventory {
  const notes: string[] = [];
  const nodes = nodesOf(resources, notes);
  return {
    stack,
    nodes,
    pods: podsOf(resources, nodes, notes),
    volumes: volumesOf(resources, notes),
    loadBalancers: loadBalancersOf(resources),
    notes,
    stackEnv: stackEnvOf(resources),
  };
}
