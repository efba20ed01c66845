import { describe, expect, it } from "vitest";
import { headline, renderMarkdown } from "../src/markdown.js";
import type { PreviewStep } from "../src/preview.js";
import { podRequests } from "../src/workloads.js";
import {
  DAEMON_SET,
  DEPLOYMENT,
  daemonSet,
  deployment,
  estimateOf,
  NODE_GROUP,
  nodeGroup,
  step,
} from "./fixtures.js";

// A t3.large node (AL2023) gives pods 1,930m CPU, 6,837 MiB and 35 pods (see packages/prices' tests).
// Its $0.0832/h splits into $0.027081 per vCPU-hour and $0.003630 per GiB-hour (OpenCost's ratio).
const estimate = (steps: PreviewStep[]) => estimateOf(steps);
const nodes = (desired = 2, max = 3) =>
  step("same", NODE_GROUP, "nodes", nodeGroup("t3.large", desired, max), nodeGroup("t3.large", desired, max));
const web = (replicas: number, cpu = "900m", memory = "1Gi") => deployment("web", replicas, { cpu, memory });
const fitOf = (e: ReturnType<typeof estimate>) => {
  const fit = e.capacity.after[0]?.fit;
  if (!fit) throw new Error("no node group fit");
  return fit;
};

describe("node capacity in a diff's comment", () => {
  it("shows a node group's line before the change only when it reads differently after", () => {
    const app = web(3, "500m");
    const e = estimate([
      nodes(),
      step("update", NODE_GROUP, "batch", nodeGroup("t3.large", 2, 3), nodeGroup("t3.large", 3, 4)),
      // Capacity unknown (a type without allocatable figures): its lines are compared as text.
      step("same", NODE_GROUP, "odd", nodeGroup("x9.unknown", 1, 2), nodeGroup("x9.unknown", 1, 2)),
      step("same", DEPLOYMENT, "web", app, app),
    ]);
    const heads = renderMarkdown(e)
      .split("\n")
      .filter((line) => line.startsWith("- `"))
      .map((line) => line.split(":")[0]);
    expect(heads).toEqual(["- `batch` before", "- `nodes` after", "- `batch` after", "- `odd` after"]);
  });
});

describe("whether the requests fit the node group", () => {
  it("fits: 3 × 500m on two t3.large nodes adds nothing", () => {
    const e = estimate([nodes(), step("create", DEPLOYMENT, "web", undefined, web(3, "500m"))]);
    expect([fitOf(e).nodes, fitOf(e).extraNodes, fitOf(e).pendingAtMax]).toEqual([2, 0, 0]);
    expect(e.warnings).toEqual([]);
    // 2 × t3.large $121.47 + 2 × 20 GiB $3.20, nothing else
    expect(headline(e).plain).toBe("Monthly cost will not change, stays at $124.67");
  });

  it("needs one more node: 5 × 900m fit two to a node, so three nodes; the third is in the total", () => {
    const e = estimate([nodes(), step("update", DEPLOYMENT, "web", web(3), web(5))]);
    expect([fitOf(e).nodes, fitOf(e).extraNodes, fitOf(e).pendingAtMax]).toEqual([3, 1, 0]);
    const added = e.rows.find((r) => r.scaleOut?.nodeGroup === "nodes");
    // 1 × $0.0832 × 730 = $60.736 → $60.74, and its 20 GiB root volume × $0.08 = $1.60
    expect(added?.after?.components.map((c) => c.arithmetic.plain)).toEqual([
      "t3.large × 730 h × $0.0832/h = $60.74",
      "20 GiB × $0.08/GiB-month = $1.60",
    ]);
    // before: 3 × 900m fit two nodes ($124.67); after: $124.67 + $62.34 = $187.01, +50.0%
    expect(headline(e).plain).toBe("Monthly cost will rise by $62.34 (+50%), to $187.01");
    expect(e.warnings.join("\n")).toContain(
      "the autoscaler adds 1 node (maximum 3), $62.34 a month, counted in the total",
    );
    expect(e.warnings.join("\n")).toContain("raise the desired size to 3");
    expect(renderMarkdown(e)).toContain("| `nodes (autoscaler)` created | nodes the autoscaler adds |");
  });

  it("exceeds the maximum: 7 × 900m need four nodes, three are allowed, one pod stays Pending", () => {
    const e = estimate([nodes(), step("create", DEPLOYMENT, "web", undefined, web(7))]);
    expect([fitOf(e).nodes, fitOf(e).extraNodes, fitOf(e).pendingAtMax]).toEqual([3, 1, 1]);
    expect(e.warnings.join("\n")).toContain(
      "even at its maximum size of 3 × t3.large, node group `nodes` cannot hold every pod: 1 pod would stay Pending.",
    );
  });

  it("names a pod larger than a whole node", () => {
    const e = estimate([
      nodes(),
      step("create", DEPLOYMENT, "big", undefined, deployment("big", 1, { cpu: "2", memory: "1Gi" })),
    ]);
    // 2,000m > 1,930m allocatable
    expect(fitOf(e).tooLargeForANode.map((name) => name.plain)).toEqual(["big"]);
    expect(e.warnings.join("\n")).toContain("(big asks for more than one t3.large can give)");
  });

  it("counts DaemonSet pods on every node: 200m each leaves 1,730m, one 900m pod per node", () => {
    const e = estimate([
      nodes(2, 4),
      step("create", DAEMON_SET, "agent", undefined, daemonSet("agent", { cpu: "200m", memory: "64Mi" })),
      step("create", DEPLOYMENT, "web", undefined, web(3)),
    ]);
    expect([fitOf(e).nodes, fitOf(e).extraNodes]).toEqual([3, 1]);
    // the DaemonSet's share covers the three nodes it runs on: 3 × 0.2 vCPU × 730 h × $0.027081 = $11.86
    const agent = e.workloads.find((w) => w.name.plain === "agent");
    expect(agent?.after?.components[0]?.arithmetic.plain).toBe(
      "3 × 0.2 vCPU × 730 h × $0.027081/vCPU-h = $11.86",
    );
  });

  it("bounds by memory and by the pod limit as well as by CPU", () => {
    // 4 GiB pods: 6,837 MiB holds one; three pods need three nodes
    const memory = estimate([
      nodes(1, 3),
      step("create", DEPLOYMENT, "web", undefined, web(3, "100m", "4Gi")),
    ]);
    expect(fitOf(memory).nodes).toBe(3);
    // 40 tiny pods: 35 pods per t3.large (3 ENIs × 11 addresses + 2)
    const pods = estimate([
      nodes(1, 3),
      step("create", DEPLOYMENT, "web", undefined, web(40, "10m", "10Mi")),
    ]);
    expect(fitOf(pods).nodes).toBe(2);
  });
});

describe("workloads priced as a share of their node group", () => {
  it("prices the storefront's 2 × (50m, 96Mi) with the node's CPU and memory rates", () => {
    const e = estimate([
      nodes(),
      step(
        "create",
        DEPLOYMENT,
        "storefront",
        undefined,
        deployment("storefront", 2, { cpu: "50m", memory: "96Mi" }),
      ),
    ]);
    const storefront = e.workloads.find((w) => w.name.plain === "storefront");
    // 2 × 0.05 vCPU × 730 h = 73 vCPU-h × $0.027081 = $1.976913 → $1.98
    // 2 × 0.09375 GiB × 730 h = 136.875 GiB-h × $0.00363 = $0.49685625 → $0.50
    expect(storefront?.after?.components.map((c) => c.arithmetic.plain)).toEqual([
      "2 × 0.05 vCPU × 730 h × $0.027081/vCPU-h = $1.98",
      "2 × 0.09375 GiB × 730 h × $0.00363/GiB-h = $0.50",
    ]);
    expect(storefront?.after?.monthly.toFixed(2)).toBe("2.48");
    // a share of nodes already counted: the total is the nodes alone
    expect(e.totalAfter.toFixed(2)).toBe("124.67");
    const allocation = e.capacity.after[0];
    // idle = 2 × t3.large instance-hours $121.47 − $2.48 requested
    expect([allocation?.nodesMonthly.toFixed(2), allocation?.idle.toFixed(2)]).toEqual(["121.47", "118.99"]);
  });

  it("reads a pod's effective requests the way the scheduler does", () => {
    const podSpec = {
      containers: [
        { name: "a", resources: { requests: { cpu: "100m", memory: "64Mi" } } },
        { name: "b", resources: { requests: { cpu: "200m" } } },
        { name: "c" },
      ],
      initContainers: [
        { name: "migrate", resources: { requests: { cpu: "500m", memory: "32Mi" } } },
        { name: "proxy", restartPolicy: "Always", resources: { requests: { cpu: "10m", memory: "16Mi" } } },
      ],
    };
    // containers 300m + sidecar 10m = 310m < the 500m init container; memory 64Mi + 16Mi > 32Mi
    expect(podRequests(podSpec, { type: "kubernetes:apps/v1:Deployment", name: "web", inputs: {} })).toEqual({
      pod: { cpuMillicores: 500, memoryBytes: 80 * 2 ** 20 },
      withoutRequests: ["c"],
    });
  });
});
