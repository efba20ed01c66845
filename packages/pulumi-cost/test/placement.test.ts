import { describe, expect, it } from "vitest";
import { PlacementBudget, type PodGroup, placePods } from "../src/placement.js";

/**
 * The batched placement against the one it replaces: every pod on the first node with room, largest first, a
 * node opened when none has room, up to the maximum (the Cluster Autoscaler's binpacking estimator). The same
 * answers on random node groups and workloads.
 */
interface Room {
  cpuMillicores: number;
  memoryBytes: number;
  pods: number;
}

function podByPod(
  groups: PodGroup<number>[],
  room: Room,
  scale: { cpuMillicores: number; memoryBytes: number },
  desired: number,
  max: number,
) {
  const size = (g: PodGroup<number>) =>
    g.requests.cpuMillicores / scale.cpuMillicores + g.requests.memoryBytes / scale.memoryBytes;
  const pods = [...groups]
    .sort((a, b) => size(b) - size(a))
    .flatMap((g) => Array.from({ length: g.count }, () => g));
  const nodes: Room[] = Array.from({ length: desired }, () => ({ ...room }));
  const tooLarge = new Set<number>();
  let pending = 0;
  for (const pod of pods) {
    const fits = (n: Room) =>
      n.cpuMillicores >= pod.requests.cpuMillicores &&
      n.memoryBytes >= pod.requests.memoryBytes &&
      n.pods >= 1;
    if (!fits(room)) {
      tooLarge.add(pod.key);
      pending++;
      continue;
    }
    let node = nodes.find(fits);
    if (!node && nodes.length < max) {
      node = { ...room };
      nodes.push(node);
    }
    if (!node) {
      pending++;
      continue;
    }
    node.cpuMillicores -= pod.requests.cpuMillicores;
    node.memoryBytes -= pod.requests.memoryBytes;
    node.pods -= 1;
  }
  return { nodes: nodes.length, pending, tooLarge: [...tooLarge].sort() };
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("placing pods on a node group", () => {
  it("gives the pod-by-pod answer on 500 random node groups and workloads", () => {
    const next = random(42);
    const pick = (n: number) => Math.floor(next() * n);
    for (let trial = 0; trial < 500; trial++) {
      const room = {
        cpuMillicores: 500 + pick(4000),
        memoryBytes: (256 + pick(8192)) * 2 ** 20,
        pods: 1 + pick(40),
      };
      const scale = {
        cpuMillicores: room.cpuMillicores + pick(200),
        memoryBytes: room.memoryBytes + pick(100) * 2 ** 20,
      };
      const groups = Array.from({ length: 1 + pick(8) }, (_, key) => ({
        key,
        requests: { cpuMillicores: pick(2500), memoryBytes: pick(4096) * 2 ** 20 },
        count: pick(60),
      }));
      const desired = pick(5);
      const max = desired + pick(10);
      const batched = placePods(groups, { room, scale, desired, max });
      const reference = podByPod(groups, room, scale, desired, max);
      expect(
        { nodes: batched.nodes, pending: batched.pending, tooLarge: [...batched.tooLarge].sort() },
        JSON.stringify({ room, groups, desired, max }),
      ).toEqual(reference);
      expect(batched.complete).toBe(true);
    }
  });

  it("places 100,000 pods of 100 workloads on up to 6,000 nodes", () => {
    const room = { cpuMillicores: 1930, memoryBytes: 6837 * 2 ** 20, pods: 29 };
    const groups = Array.from({ length: 100 }, (_, key) => ({
      key,
      requests: { cpuMillicores: 100, memoryBytes: 128 * 2 ** 20 },
      count: 1000,
    }));
    const placed = placePods(groups, { room, scale: room, desired: 10, max: 6000 });
    // 19 pods a node by CPU: 100,000 ÷ 19 = 5,263.2 → 5,264 nodes
    expect(placed).toMatchObject({ nodes: 5264, pending: 0, complete: true });
  });

  it("stops on its budget and says the answer is not known, rather than run on", () => {
    const room = { cpuMillicores: 1000, memoryBytes: 2 ** 30, pods: 100 };
    const groups = Array.from({ length: 50 }, (_, key) => ({
      key,
      requests: { cpuMillicores: 999 - key, memoryBytes: 1 },
      count: 1000,
    }));
    const placed = placePods(groups, {
      room,
      scale: room,
      desired: 1,
      max: 100_000,
      budget: new PlacementBudget(10_000, 1_000_000),
    });
    expect(placed.complete).toBe(false);
  });
});
