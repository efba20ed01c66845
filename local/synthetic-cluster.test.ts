import { promtoolCheckMetrics } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { kubeStateMetricsRegistry } from "./components/demo-inventory.js";
import { appsText, cadvisorText, podSeries } from "./components/synthetic-cluster.js";
import { syntheticCluster } from "./synthetic-cluster.js";

const size = { nodes: 10, pods: 300, workloads: 60, namespaces: 10 };

/** Sample lines of some families as a sorted list, label order normalised. */
function samples(text: string, families: readonly string[]): string[] {
  return text
    .split("\n")
    .filter((line) => families.some((f) => line.startsWith(`${f}{`)))
    .map((line) => {
      const match = /^([^{]+)\{(.*)\} (.+)$/.exec(line);
      const labels = (match?.[2] ?? "").split(/,(?=[a-z_]+=")/).sort();
      return `${match?.[1]}{${labels.join(",")}} ${Number(match?.[3])}`;
    })
    .sort();
}

describe("a synthetic cluster of any size", () => {
  it("has exactly the nodes, pods, workloads and namespaces asked for, every pod on a node", () => {
    const { inventory } = syntheticCluster(size, 7);
    expect(inventory.nodes).toHaveLength(10);
    expect(inventory.pods).toHaveLength(300);
    const workloads = new Set(
      inventory.pods.map((p) => `${p.namespace}/${p.replicaSet?.deployment ?? p.owner.name}`),
    );
    expect(workloads.size).toBe(60);
    expect(new Set(inventory.pods.map((p) => p.namespace)).size).toBe(10);
    const nodes = new Set(inventory.nodes.map((n) => n.name));
    expect(inventory.pods.every((p) => nodes.has(p.node))).toBe(true);
    // Three DaemonSets, a pod on every node each.
    expect(inventory.pods.filter((p) => p.owner.kind === "DaemonSet")).toHaveLength(30);
    expect(new Set(inventory.pods.map((p) => `${p.namespace}/${p.name}`)).size).toBe(300);
    // The same size and seed are the same cluster.
    expect(syntheticCluster(size, 7).inventory.pods.map((p) => p.name)).toEqual(
      inventory.pods.map((p) => p.name),
    );
    expect(() => syntheticCluster({ ...size, pods: 20 })).toThrow(/cannot give each of 60 workloads a pod/);
  });

  it("churns: replaced pods get new names, a rolled-out Deployment a new ReplicaSet, the counts stay", () => {
    const cluster = syntheticCluster(size, 3, 0);
    const before = new Set(cluster.inventory.pods.map((p) => p.name));
    const replicaSets = new Set(
      cluster.inventory.pods.flatMap((p) => (p.replicaSet ? [p.replicaSet.name] : [])),
    );
    cluster.churn(0.1, 60_000);
    const after = cluster.inventory.pods;
    expect(after).toHaveLength(300);
    const fresh = after.filter((p) => !before.has(p.name));
    expect(fresh.length).toBeGreaterThan(10);
    expect(fresh.every((p) => p.owner.kind === "ReplicaSet")).toBe(true);
    expect(after.some((p) => p.replicaSet && !replicaSets.has(p.replicaSet.name))).toBe(true);
    expect(
      fresh.every((p) => cluster.podIdentity.get(`${p.namespace}/${p.name}`)?.startedAt === 60_000),
    ).toBe(true);
    expect(cluster.podIdentity.size).toBe(300);
  });

  it("serves the demo inventory's per-pod series exactly as its registry writes them", async () => {
    const cluster = syntheticCluster(size, 5);
    const families = [
      "kube_pod_container_resource_requests",
      "kube_pod_status_phase",
      "kube_pod_owner",
      "kube_replicaset_owner",
    ];
    const registry = await kubeStateMetricsRegistry(cluster.inventory).metrics();
    const ours = samples(podSeries(cluster), families);
    expect(ours.length).toBeGreaterThan(300 * 8);
    expect(ours).toEqual(samples(registry, families));
  });

  it("writes well-formed expositions (promtool check metrics) with cAdvisor's and the services' label sets", async () => {
    const cluster = syntheticCluster(size, 5, 0);
    const node = cluster.inventory.nodes[0]?.name as string;
    const pods = cluster.inventory.pods.filter((p) => p.node === node);
    const cadvisor = cadvisorText(cluster, pods, 600_000);
    const apps = appsText(
      pods.filter((p) => p.replicaSet),
      cluster.podIdentity,
      600_000,
    );
    for (const text of [podSeries(cluster), cadvisor, apps])
      expect(await promtoolCheckMetrics(text)).toBe("");
    expect(cadvisor).toMatch(
      /container_cpu_usage_seconds_total\{container="",id="\/kubepods\/burstable\/pod[^"]+",image="",name="",namespace="[^"]+",pod="[^"]+",cpu="total"\} /,
    );
    expect(apps).toContain('app_request_duration_seconds_bucket{job="');
  });
});
