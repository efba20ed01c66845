import { isDeepStrictEqual } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { EKS_ADDON_VERSIONS, EKS_ADDONS } from "../eks-addon-versions";
import { EKS_VERSIONS } from "../kubernetes-versions";
import { type MockedResource, type ProgramRun, runProgram } from "../under-mocks/mocks";
import { dependencyGraph, keyOf } from "./dependency-graph";
import { ofType } from "./stacks";

/**
 * One `platform:kubernetesVersion` bump moves the control plane, the add-ons and the nodes, in that order: the
 * engine updates a resource after everything it depends on, so the dependencies are the order.
 */
let before: ProgramRun;
let after: ProgramRun;
beforeAll(async () => {
  before = await runProgram("dev", { kubernetesVersion: "1.35" });
  after = await runProgram("dev", { kubernetesVersion: "1.36" });
});

const eks = (run: ProgramRun) => ({
  cluster: ofType(run.resources, "aws:eks/cluster:Cluster")[0] as MockedResource,
  nodes: ofType(run.resources, "aws:eks/nodeGroup:NodeGroup")[0] as MockedResource,
  addon: (name: string) =>
    ofType(run.resources, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === name) as MockedResource,
});

describe("upgrading Kubernetes", () => {
  it("one version bump updates the control plane, the add-ons and the nodes", () => {
    const [old, next] = [eks(before), eks(after)];
    expect([old.cluster.inputs.version, next.cluster.inputs.version]).toEqual(["1.35", "1.36"]);
    // The nodes run the cluster's version (the cluster's own output, so they follow what EKS reports).
    expect([old.nodes.inputs.version, next.nodes.inputs.version]).toEqual(["1.35", "1.36"]);
    expect(next.nodes.dependencies).toContainEqual({ type: "aws:eks/cluster:Cluster", name: "cluster-eks" });
    for (const addon of EKS_ADDONS) {
      expect(old.addon(addon).inputs.addonVersion, addon).toBe(EKS_ADDON_VERSIONS["1.35"]?.[addon]);
      expect(next.addon(addon).inputs.addonVersion, addon).toBe(EKS_ADDON_VERSIONS["1.36"]?.[addon]);
      // An update keeps the program's configuration, as creation does.
      expect(next.addon(addon).inputs.resolveConflictsOnUpdate, addon).toBe("OVERWRITE");
    }
    const changed = after.resources
      .filter((r) => r.type.startsWith("aws:eks/"))
      .filter((r) => {
        const previous = before.resources.find((p) => keyOf(p) === keyOf(r));
        return !previous || !isDeepStrictEqual(previous.inputs, r.inputs);
      })
      .map(keyOf);
    expect(changed).toEqual(
      expect.arrayContaining([
        "aws:eks/cluster:Cluster::cluster-eks",
        "aws:eks/nodeGroup:NodeGroup::cluster-nodes",
        "aws:eks/addon:Addon::cluster-kube-proxy",
        "aws:eks/addon:Addon::cluster-coredns",
      ]),
    );
  });

  it("in that order: control plane, then the node agents, then the nodes, then the add-ons that run on them", () => {
    const graph = dependencyGraph(after.resources);
    const { cluster, nodes, addon } = eks(after);
    const nodeAgents = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].map(addon);
    const onTheNodes = ["coredns", "aws-ebs-csi-driver"].map(addon);
    for (const agent of nodeAgents) {
      expect(graph.dependsOn(agent, cluster), agent.name).toBe(true);
      // A node joins with its kube-proxy, CNI and Pod Identity agent at the new version.
      expect(graph.dependsOn(nodes, agent), agent.name).toBe(true);
    }
    expect(graph.dependsOn(nodes, cluster)).toBe(true);
    for (const service of onTheNodes) {
      // Their pods need nodes: EKS reports them DEGRADED until some can run them.
      expect(graph.dependsOn(service, nodes), service.name).toBe(true);
    }
  });

  it("every Kubernetes version EKS offers in standard support today has its add-on versions recorded", () => {
    const now = Date.now();
    const standard = EKS_VERSIONS.filter((v) => Date.parse(`${v.endOfStandardSupport}T00:00:00Z`) > now);
    expect(standard.map((v) => v.version).filter((v) => !EKS_ADDON_VERSIONS[v])).toEqual([]);
    for (const [version, row] of Object.entries(EKS_ADDON_VERSIONS)) {
      for (const addon of EKS_ADDONS)
        expect(row[addon], `${version} ${addon}`).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      // kube-proxy follows the Kubernetes minor version exactly.
      expect(row["kube-proxy"].startsWith(`v${version}.`), version).toBe(true);
    }
  });
});
