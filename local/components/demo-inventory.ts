/**
 * The demo inventory on this machine: the dev stack's program run under Pulumi's mocks, its nodes, pods,
 * volumes and load balancers served in kube-state-metrics' exposition format (labelled demo, as the Cost
 * Explorer simulator's bill is), for the live-cost rules; the estimate `npm run cost` makes of the same
 * resources, as the rule group the deploy records in a cluster; and the stack settings the dev stack gives
 * each service (the cost exporter's prices and parts), so the local live cost mirrors the dev stack's.
 */
import {
  createLogger,
  createServiceKit,
  type RunningService,
  type ServiceKit,
  serveService,
} from "@platform/service-kit";
import { Gauge, Registry } from "prom-client";
import { costEstimateGroup, type RecordedEstimate } from "../../alerts/rules/cost-estimate.js";
import {
  INVENTORY_NODE_LABELS,
  INVENTORY_SERVICE_ANNOTATIONS,
  kubeStateMetricsLabel,
} from "../../alerts/rules/live-cost.js";
import type { RuleGroup } from "../../alerts/rules/rule.js";
import { withProgramLogCaptured } from "../../infra/cost/program-log.js";
import { estimateOfStack } from "../../infra/cost/stack-estimate.js";
import { runProgramUnderMocks } from "../../infra/under-mocks/mocks.js";
import { type DemoInventory, demoInventoryOf } from "../demo-inventory.js";
import type { LocalContext, Row } from "./types.js";

/** The stack the local platform mirrors. */
export const MIRRORED_STACK = "dev";
/** Where Prometheus scrapes it (its own /metrics are the server's). */
export const DEMO_INVENTORY_PATH = "/kube-state-metrics";

const INSTANCE_TYPE = kubeStateMetricsLabel("label", INVENTORY_NODE_LABELS.instanceType);
const CAPACITY_TYPE = kubeStateMetricsLabel("label", INVENTORY_NODE_LABELS.capacityType);
const LB_TYPE = kubeStateMetricsLabel("annotation", INVENTORY_SERVICE_ANNOTATIONS.loadBalancerType);
const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;

/** A gauge of the inventory's registry. */
type InventoryGauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => Gauge<L>;

/** The nodes: their info, instance and capacity type labels, capacity and allocatable. */
function nodeSeries(gauge: InventoryGauge, nodes: DemoInventory["nodes"]): void {
  const nodeInfo = gauge("kube_node_info", "Information about a cluster node.", ["node"]);
  const nodeLabels = gauge("kube_node_labels", "Kubernetes labels converted to Prometheus labels.", [
    "node",
    INSTANCE_TYPE,
    CAPACITY_TYPE,
  ]);
  const capacity = gauge("kube_node_status_capacity", "The capacity for different resources of a node.", [
    "node",
    "resource",
    "unit",
  ]);
  const allocatable = gauge(
    "kube_node_status_allocatable",
    "The allocatable for different resources of a node that are available for scheduling.",
    ["node", "resource", "unit"],
  );
  for (const node of nodes) {
    nodeInfo.set({ node: node.name }, 1);
    nodeLabels.set(
      { node: node.name, [INSTANCE_TYPE]: node.instanceType, [CAPACITY_TYPE]: node.capacityType },
      1,
    );
    for (const [series, shape] of [
      [capacity, node.capacity],
      [allocatable, node.allocatable],
    ] as const) {
      series.set({ node: node.name, resource: "cpu", unit: "core" }, shape.cpuCores);
      series.set({ node: node.name, resource: "memory", unit: "byte" }, shape.memoryBytes);
      series.set({ node: node.name, resource: "pods", unit: "integer" }, shape.pods);
    }
  }
}

/** The pods: their containers' requests, their phase, and who owns them (ReplicaSets' Deployments too). */
function podSeries(gauge: InventoryGauge, pods: DemoInventory["pods"]): void {
  const requests = gauge(
    "kube_pod_container_resource_requests",
    "The number of requested request resource by a container.",
    ["namespace", "pod", "container", "node", "resource", "unit"],
  );
  const phase = gauge("kube_pod_status_phase", "The pods current phase.", ["namespace", "pod", "phase"]);
  const owner = gauge("kube_pod_owner", "Information about the Pod's owner.", [
    "namespace",
    "pod",
    "owner_kind",
    "owner_name",
    "owner_is_controller",
  ]);
  const replicaSetOwner = gauge("kube_replicaset_owner", "Information about the ReplicaSet's owner.", [
    "namespace",
    "replicaset",
    "owner_kind",
    "owner_name",
    "owner_is_controller",
  ]);
  for (const pod of pods) {
    const where = { namespace: pod.namespace, pod: pod.name };
    const name = pod.owner.kind === "ReplicaSet" ? (pod.replicaSet?.deployment ?? pod.name) : pod.owner.name;
    for (const container of pod.containers ?? [
      { name, cpuCores: pod.cpuCores, memoryBytes: pod.memoryBytes },
    ]) {
      const labels = { ...where, container: container.name, node: pod.node };
      requests.set({ ...labels, resource: "cpu", unit: "core" }, container.cpuCores);
      requests.set({ ...labels, resource: "memory", unit: "byte" }, container.memoryBytes);
    }
    for (const name of PHASES) phase.set({ ...where, phase: name }, name === "Running" ? 1 : 0);
    owner.set(
      { ...where, owner_kind: pod.owner.kind, owner_name: pod.owner.name, owner_is_controller: "true" },
      1,
    );
    if (pod.replicaSet) {
      replicaSetOwner.set(
        {
          namespace: pod.namespace,
          replicaset: pod.replicaSet.name,
          owner_kind: "Deployment",
          owner_name: pod.replicaSet.deployment,
          owner_is_controller: "true",
        },
        1,
      );
    }
  }
}

/** The persistent volumes: their size, storage class and claim. */
function volumeSeries(gauge: InventoryGauge, volumes: DemoInventory["volumes"]): void {
  const pvCapacity = gauge("kube_persistentvolume_capacity_bytes", "Persistentvolume capacity in bytes.", [
    "persistentvolume",
  ]);
  const pvInfo = gauge("kube_persistentvolume_info", "Information about persistentvolume.", [
    "persistentvolume",
    "storageclass",
  ]);
  const claimRef = gauge(
    "kube_persistentvolume_claim_ref",
    "Information about the Persistent Volume Claim Reference.",
    ["persistentvolume", "name", "claim_namespace"],
  );
  for (const volume of volumes) {
    pvCapacity.set({ persistentvolume: volume.name }, volume.sizeBytes);
    pvInfo.set({ persistentvolume: volume.name, storageclass: volume.storageClass }, 1);
    claimRef.set(
      { persistentvolume: volume.name, name: volume.claim.name, claim_namespace: volume.claim.namespace },
      1,
    );
  }
}

/** The Services of type LoadBalancer, with the annotation that says which kind. */
function loadBalancerSeries(gauge: InventoryGauge, loadBalancers: DemoInventory["loadBalancers"]): void {
  const serviceType = gauge("kube_service_spec_type", "Type about service.", [
    "namespace",
    "service",
    "type",
  ]);
  const serviceAnnotations = gauge(
    "kube_service_annotations",
    "Kubernetes annotations converted to Prometheus labels.",
    ["namespace", "service", LB_TYPE],
  );
  for (const lb of loadBalancers) {
    serviceType.set({ namespace: lb.namespace, service: lb.service, type: "LoadBalancer" }, 1);
    serviceAnnotations.set(
      {
        namespace: lb.namespace,
        service: lb.service,
        ...(lb.typeAnnotation ? { [LB_TYPE]: lb.typeAnnotation } : {}),
      },
      1,
    );
  }
}

/** The inventory as kube-state-metrics' series (the names and labels of kube-state-metrics v2). */
export function kubeStateMetricsRegistry(inventory: DemoInventory): Registry {
  const registry = new Registry();
  const registers = [registry];
  const gauge: InventoryGauge = (name, help, labelNames) => new Gauge({ name, help, labelNames, registers });

  gauge(
    "demo_inventory_info",
    "Always 1: this inventory is a demo, mirroring a stack's program under mocks.",
    ["stack", "source"],
  ).set({ stack: inventory.stack, source: `Pulumi.${inventory.stack}.yaml under mocks` }, 1);

  nodeSeries(gauge, inventory.nodes);
  podSeries(gauge, inventory.pods);
  volumeSeries(gauge, inventory.volumes);
  loadBalancerSeries(gauge, inventory.loadBalancers);
  return registry;
}

export interface DemoStack {
  inventory: DemoInventory;
  /** The dev stack's estimate, as the deploy records it in a cluster. */
  estimate: RuleGroup;
  monthlyUsd: string;
}

/** The dev stack's program under mocks: its inventory and its estimate (the program's log kept apart). */
export async function mirrorStack(stack = MIRRORED_STACK): Promise<DemoStack> {
  const { result: resources } = await withProgramLogCaptured(() => runProgramUnderMocks(stack));
  const estimate = estimateOfStack(stack, resources);
  const recorded: RecordedEstimate = {
    stack,
    monthlyUsd: estimate.totalAfter.toFixed(2),
    hoursPerMonth: estimate.priceSource.hoursPerMonth.toNumber(),
    commit: "local",
    pricedOn: estimate.monthStart,
  };
  return {
    inventory: demoInventoryOf(stack, resources),
    estimate: costEstimateGroup(recorded),
    monthlyUsd: recorded.monthlyUsd,
  };
}

export interface DemoInventoryServer extends ServiceKit {
  registry: Registry;
}

export function createDemoInventoryServer(inventory: DemoInventory): DemoInventoryServer {
  const kit = createServiceKit({
    name: "demo-inventory",
    logger: createLogger({ service: "demo-inventory", level: "warn" }),
    summary: () => `demo inventory of stack ${inventory.stack}`,
  });
  const registry = kubeStateMetricsRegistry(inventory);
  kit.app.get(DEMO_INVENTORY_PATH, async (c) =>
    c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType }),
  );
  return { ...kit, registry };
}

/** Serves the inventory in the runner's own process on its port. */
export async function startDemoInventory(
  context: LocalContext,
  demo: DemoStack,
): Promise<{ running: RunningService; row: Row }> {
  const server = createDemoInventoryServer(demo.inventory);
  const running = await serveService(server, {
    config: { PORT: context.ports["demo-inventory"] as number, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 2000 },
    handleSignals: false,
  });
  const { nodes, pods, volumes, loadBalancers } = demo.inventory;
  const types = [...new Set(nodes.map((n) => n.instanceType))].join(", ");
  return {
    running,
    row: {
      name: "demo-inventory",
      url: `${running.url}${DEMO_INVENTORY_PATH}`,
      status: "running",
      note: `demo: the ${demo.inventory.stack} stack's program under mocks, ${nodes.length} × ${types}, ${pods.length} pods, ${volumes.length} volumes, ${loadBalancers.length} load balancers; estimate $${demo.monthlyUsd}/month`,
    },
  };
}
