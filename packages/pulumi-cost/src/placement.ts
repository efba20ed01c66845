/**
 * Where pods go on a node group, as the Cluster Autoscaler's binpacking estimator places them: pods in
 * decreasing size (CPU share + memory share of one node), each on the first node it fits, a new node opened
 * when none has room, from the desired size up to the maximum. Spreading rules and affinities are not modelled.
 *
 * Pods of one workload are identical, so they are placed in batches: as many as fit on the first node with
 * room, then the next. The first node with room is found in a segment tree that keeps, for every range of
 * nodes, the most CPU, memory and pod slots any node in it has left: O((workloads + nodes touched) · log nodes)
 * instead of one scan of the nodes per pod. The same answer as placing pod by pod: nodes before the one found
 * had no room for a pod of this size and nothing placed since has given them more.
 */
export interface PodShape {
  cpuMillicores: number;
  memoryBytes: number;
}

export interface NodeRoom {
  cpuMillicores: number;
  memoryBytes: number;
  pods: number;
}

export interface PodGroup<K> {
  key: K;
  requests: PodShape;
  count: number;
}

export interface PlacementOptions {
  /** an empty node's room for these pods (allocatable less what DaemonSets take) */
  room: NodeRoom;
  /** what a pod's size is measured against (the node's allocatable) */
  scale: { cpuMillicores: number; memoryBytes: number };
  desired: number;
  max: number;
  /** shared across node groups: tree steps and nodes opened that the placement may still spend */
  budget?: PlacementBudget;
}

export interface Placement<K> {
  /** nodes the pods need: at least the desired size, at most the maximum */
  nodes: number;
  /** pods that fit on no node even at the maximum size */
  pending: number;
  /** groups one of whose pods is larger than a whole empty node */
  tooLarge: Set<K>;
  /** false when the budget ran out before every pod was placed: `nodes` and `pending` are then unknown */
  complete: boolean;
}

/**
 * How much work the placements of one preview may do, so no preview can make a run take long or hold much
 * memory: steps through the trees, and node slots the trees hold, summed over node groups.
 */
export class PlacementBudget {
  constructor(
    public steps: number,
    public nodes: number,
  ) {}

  /** Takes node slots; false when there are not that many left. */
  allocate(slots: number): boolean {
    this.nodes -= slots;
    return this.nodes >= 0;
  }
}

const EMPTY = -1;

/** Per node: room left; per range of nodes: the most room of any node in it, dimension by dimension. */
class RoomTree {
  size: number;
  cpu: Float64Array;
  memory: Float64Array;
  pods: Float64Array;

  constructor(
    private readonly room: NodeRoom,
    size: number,
    private readonly budget: PlacementBudget | undefined,
  ) {
    this.size = size;
    this.cpu = new Float64Array(2 * size).fill(room.cpuMillicores);
    this.memory = new Float64Array(2 * size).fill(room.memoryBytes);
    this.pods = new Float64Array(2 * size).fill(room.pods);
  }

  /** Doubles the nodes the tree holds; the new ones are empty. */
  grow(): void {
    const old = { cpu: this.cpu, memory: this.memory, pods: this.pods, size: this.size };
    this.size *= 2;
    this.cpu = new Float64Array(2 * this.size).fill(this.room.cpuMillicores);
    this.memory = new Float64Array(2 * this.size).fill(this.room.memoryBytes);
    this.pods = new Float64Array(2 * this.size).fill(this.room.pods);
    for (let i = 0; i < old.size; i++)
      this.set(i, old.cpu[old.size + i] ?? 0, old.memory[old.size + i] ?? 0, old.pods[old.size + i] ?? 0);
  }

  private set(node: number, cpu: number, memory: number, pods: number): void {
    let at = this.size + node;
    this.cpu[at] = cpu;
    this.memory[at] = memory;
    this.pods[at] = pods;
    for (at >>= 1; at >= 1; at >>= 1) {
      this.cpu[at] = Math.max(this.cpu[2 * at] ?? 0, this.cpu[2 * at + 1] ?? 0);
      this.memory[at] = Math.max(this.memory[2 * at] ?? 0, this.memory[2 * at + 1] ?? 0);
      this.pods[at] = Math.max(this.pods[2 * at] ?? 0, this.pods[2 * at + 1] ?? 0);
    }
  }

  private fits(at: number, pod: PodShape): boolean {
    return (
      (this.cpu[at] ?? 0) >= pod.cpuMillicores &&
      (this.memory[at] ?? 0) >= pod.memoryBytes &&
      (this.pods[at] ?? 0) >= 1
    );
  }

  /** The first node with room for the pod, EMPTY when none; undefined when the budget ran out. */
  firstFit(pod: PodShape, limit: number): number | undefined {
    const stack = [1];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (this.budget && --this.budget.steps < 0) return undefined;
      if (!this.fits(at, pod)) continue;
      if (at >= this.size) return at - this.size < limit ? at - this.size : EMPTY;
      stack.push(2 * at + 1, 2 * at);
    }
    return EMPTY;
  }

  /** Puts up to `count` pods on a node; returns how many it took. */
  take(node: number, pod: PodShape, count: number): number {
    const at = this.size + node;
    const cpu = this.cpu[at] ?? 0;
    const memory = this.memory[at] ?? 0;
    const pods = this.pods[at] ?? 0;
    const byCpu = pod.cpuMillicores > 0 ? Math.floor(cpu / pod.cpuMillicores) : Number.POSITIVE_INFINITY;
    const byMemory = pod.memoryBytes > 0 ? Math.floor(memory / pod.memoryBytes) : Number.POSITIVE_INFINITY;
    const taken = Math.min(count, byCpu, byMemory, pods);
    this.set(node, cpu - taken * pod.cpuMillicores, memory - taken * pod.memoryBytes, pods - taken);
    return taken;
  }
}

const power2AtLeast = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/** A pod's share of a node, for ordering largest first. */
const sizeOf = (r: PodShape, scale: PlacementOptions["scale"]) =>
  r.cpuMillicores / scale.cpuMillicores + r.memoryBytes / scale.memoryBytes;

const fitsEmpty = (pod: PodShape, room: NodeRoom) =>
  room.cpuMillicores >= pod.cpuMillicores && room.memoryBytes >= pod.memoryBytes && room.pods >= 1;

// Closures are made outside: this runs once per node group, most of them with nothing to place.
export function placePods<K>(groups: readonly PodGroup<K>[], options: PlacementOptions): Placement<K> {
  const { room, scale, desired, max, budget } = options;
  const ordered =
    groups.length > 1
      ? [...groups].sort((a, b) => sizeOf(b.requests, scale) - sizeOf(a.requests, scale))
      : groups;
  const tooLarge = new Set<K>();
  const opened = Math.min(desired, max);
  let used = opened;
  let pending = 0;
  const initial = power2AtLeast(Math.max(opened, 1));
  if (budget && !budget.allocate(initial)) return { nodes: used, pending, tooLarge, complete: false };
  const tree = new RoomTree(room, initial, budget);
  for (const group of ordered) {
    let left = group.count;
    if (left > 0 && !fitsEmpty(group.requests, room)) {
      tooLarge.add(group.key);
      pending += left;
      continue;
    }
    while (left > 0) {
      let node = tree.firstFit(group.requests, used < max ? used + 1 : used);
      if (node === undefined) return { nodes: used, pending, tooLarge, complete: false };
      if (node === EMPTY && used < max && used >= tree.size) {
        if (budget && !budget.allocate(tree.size)) return { nodes: used, pending, tooLarge, complete: false };
        tree.grow();
        node = used;
      }
      if (node === EMPTY) {
        pending += left;
        break;
      }
      if (node >= used) used = node + 1;
      left -= tree.take(node, group.requests, left);
    }
  }
  return { nodes: Math.max(used, Math.min(desired, max)), pending, tooLarge, complete: true };
}
