import { describe, expect, it } from "vitest";
import {
  INVENTORY_NODE_LABELS,
  INVENTORY_SERVICE_ANNOTATIONS,
  kubeStateMetricsLabel,
} from "../alerts/rules/live-cost.js";
import { withProgramLogCaptured } from "../infra/cost/program-log.js";
import { estimateOfStack } from "../infra/cost/stack-estimate.js";
import { runProgramUnderMocks } from "../infra/under-mocks/mocks.js";
import { kubeStateMetricsRegistry } from "./components/demo-inventory.js";
import { demoInventoryOf } from "./demo-inventory.js";

const program = async (overrides?: Record<string, string>) =>
  (await withProgramLogCaptured(() => runProgramUnderMocks("dev", overrides))).result;
const GIB = 2 ** 30;

describe("the demo inventory mirrors what the dev stack's program declares", () => {
  it("its node group, the pods npm run cost counts on it, its volumes, and the cost exporter's stack settings", async () => {
    const resources = await program();
    const inventory = demoInventoryOf("dev", resources);
    expect(inventory.nodes.map((n) => [n.instanceType, n.capacityType])).toEqual([
      ["t3.large", "ON_DEMAND"],
      ["t3.large", "ON_DEMAND"],
    ]);
    // Every pod the program declares is counted, the load balancer controller's two (its chart's profile) too.
    expect(inventory.notes).toEqual([]);
    const controller = inventory.pods.filter((p) => p.owner.name.includes("aws-load-balancer-controller"));
    expect(controller.map((p) => [p.cpuCores, p.memoryBytes])).toEqual([
      [0.05, 128 * 2 ** 20],
      [0.05, 128 * 2 ** 20],
    ]);
    // The same requests npm run cost places on the node group (its capacity section), every pod on a node.
    const [fit] = estimateOfStack("dev", resources).capacity.after;
    const cpu = inventory.pods.reduce((sum, p) => sum + p.cpuCores * 1000, 0);
    const memory = inventory.pods.reduce((sum, p) => sum + p.memoryBytes, 0);
    expect(Math.round(cpu)).toBe(fit?.fit.requested.cpuMillicores.toNumber());
    expect(memory).toBe(fit?.fit.requested.memoryBytes.toNumber());
    expect(inventory.pods).toHaveLength((fit?.fit.pods ?? 0) + (fit?.fit.daemonSets.length ?? 0) * 2);
    expect(new Set(inventory.pods.map((p) => p.node))).toEqual(new Set(inventory.nodes.map((n) => n.name)));
    const storefront = inventory.pods.filter((p) => p.replicaSet?.deployment === "storefront");
    expect(storefront).toHaveLength(2);
    expect(storefront[0]).toMatchObject({ namespace: "platform", owner: { kind: "ReplicaSet" } });
    expect(inventory.pods.find((p) => p.owner.name === "prometheus")).toMatchObject({
      namespace: "monitoring",
      owner: { kind: "StatefulSet" },
    });
    expect(
      inventory.volumes.map((v) => [v.claim.namespace, v.storageClass, v.sizeBytes / GIB]).sort(),
    ).toEqual([
      ["monitoring", "gp3", 2],
      ["monitoring", "gp3", 50],
    ]);
    expect(inventory.loadBalancers).toEqual([]);
    expect(inventory.stackEnv["cost-exporter"]).toEqual({
      PRICE_REGION: "us-east-1",
      PRICE_INSTANCE_TYPES: "t3.large",
      STACK_NAME: "dev",
      STACK_RESOURCES: "eks_cluster=1,kms_key=1,nat_gateway=1,public_ipv4_address=1",
      NODE_ROOT_VOLUME: "gp3:50",
      // No EKS_EXTENDED_SUPPORT_FROM: the cluster's upgrade policy is STANDARD, never billed extended support.
    });
  }, 60_000);

  it("follows the stack's settings: SPOT capacity, more nodes", async () => {
    const inventory = demoInventoryOf(
      "dev",
      await program({ nodeCapacityType: "SPOT", nodeDesiredSize: "3", grafanaExposure: "cluster-ip" }),
    );
    expect(inventory.nodes.map((n) => n.capacityType)).toEqual(["SPOT", "SPOT", "SPOT"]);
    // The program declares no Service of type LoadBalancer: the shop (and an exposed Grafana) are behind the
    // Application Load Balancer of an Ingress, which this inventory does not list.
    expect(inventory.loadBalancers).toEqual([]);
  }, 60_000);

  it("is served with the series and labels the live-cost rules read from kube-state-metrics", async () => {
    const inventory = demoInventoryOf("dev", await program());
    const text = await kubeStateMetricsRegistry(inventory).metrics();
    const instanceType = kubeStateMetricsLabel("label", INVENTORY_NODE_LABELS.instanceType);
    const capacityType = kubeStateMetricsLabel("label", INVENTORY_NODE_LABELS.capacityType);
    expect(text).toContain(
      `kube_node_labels{node="cluster-nodes-1",${instanceType}="t3.large",${capacityType}="ON_DEMAND"} 1`,
    );
    expect(text).toContain('demo_inventory_info{stack="dev",source="Pulumi.dev.yaml under mocks"} 1');
    expect(text).toMatch(
      /kube_pod_container_resource_requests\{namespace="platform",pod="storefront-[^"]+",container="storefront",node="cluster-nodes-\d",resource="cpu",unit="core"\} 0\.05/,
    );
    expect(text).toMatch(
      /kube_persistentvolume_claim_ref\{persistentvolume="pvc-[^"]+",name="[^"]+",claim_namespace="monitoring"\} 1/,
    );
    expect(text).toContain('kube_replicaset_owner{namespace="platform",replicaset="storefront-');
    // A Service of type LoadBalancer carries the annotation label the rules read (empty when not set).
    expect(kubeStateMetricsLabel("annotation", INVENTORY_SERVICE_ANNOTATIONS.loadBalancerType)).toBe(
      "annotation_service_beta_kubernetes_io_aws_load_balancer_type",
    );
  }, 60_000);
});
