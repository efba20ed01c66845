import { instanceTypeCapacity } from "./instance-types.js";

/**
 * What the scheduler can place on one EKS node of an instance type (AL2023 AMI, nodeadm, VPC CNI without
 * prefix delegation): allocatable = capacity − kube-reserved − the hard eviction threshold.
 *
 * | figure | source | read on |
 * | --- | --- | --- |
 * | maxPods = enis × (ipv4PerEni − 1) + 2 | awslabs/amazon-eks-ami, nodeadm/internal/kubelet/eni_max_pods.go (calculateStandardMaxPods), commit 81fec2e of 2026-07-23 | 2026-12-01 |
 * | kube-reserved memory = 11 MiB × maxPods + 255 MiB; CPU = 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % above (whole millicores per range) | same repository, nodeadm/internal/kubelet/config.go (getMemoryMebibytesToReserve, getCPUMillicoresToReserve) | 2026-12-01 |
 * | eviction-hard memory.available 100Mi; no system-reserved | same file, defaultKubeletSubConfig | 2026-12-01 |
 * | memory capacity = nominal × (1 − 0.075): the hypervisor and kernel keep some of the nominal memory from the kubelet | Karpenter's VM_MEMORY_OVERHEAD_PERCENT default 0.075 (karpenter.sh settings; aws/karpenter-provider-aws#5161) | 2026-12-01 |
 */
export const VM_MEMORY_OVERHEAD_PERCENT = "7.5";
export const EVICTION_HARD_MEMORY_MIB = 100;

export interface NodeAllocatable {
  instanceType: string;
  vcpu: number;
  memoryGiB: number;
  maxPods: number;
  /** what the kubelet reports as capacity */
  capacity: { cpuMillicores: number; memoryMiB: number };
  reserved: { cpuMillicores: number; memoryMiB: number };
  allocatable: { cpuMillicores: number; memoryMiB: number; pods: number };
}

export function eksMaxPods(enis: number, ipv4PerEni: number): number {
  return enis * (ipv4PerEni - 1) + 2;
}

/** nodeadm's tiers, in basis points of each range of millicores. */
const CPU_RESERVE_TIERS: readonly [from: number, to: number, basisPoints: number][] = [
  [0, 1000, 600],
  [1000, 2000, 100],
  [2000, 4000, 50],
  [4000, Number.POSITIVE_INFINITY, 25],
];

export function eksKubeReservedCpuMillicores(totalMillicores: number): number {
  let reserved = 0;
  for (const [from, to, basisPoints] of CPU_RESERVE_TIERS) {
    if (totalMillicores <= from) continue;
    reserved += Math.floor(((Math.min(totalMillicores, to) - from) * basisPoints) / 10_000);
  }
  return reserved;
}

export function eksKubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

const allocatables = new Map<string, NodeAllocatable | undefined>();

/** The node's allocatable capacity, or undefined for an instance type the table does not describe. */
export function eksNodeAllocatable(instanceType: string): NodeAllocatable | undefined {
  if (allocatables.has(instanceType)) return allocatables.get(instanceType);
  const found = computeAllocatable(instanceType);
  if (allocatables.size < 10_000) allocatables.set(instanceType, found);
  return found;
}

function computeAllocatable(instanceType: string): NodeAllocatable | undefined {
  const type = instanceTypeCapacity(instanceType);
  if (!type) return undefined;
  const maxPods = eksMaxPods(type.enis, type.ipv4PerEni);
  const capacityCpu = type.vcpu * 1000;
  // Whole MiB, rounded down: 7.5 % of the nominal memory is never seen by the kubelet.
  const capacityMemory = Math.floor((type.memoryGiB * 1024 * (1000 - 75)) / 1000);
  const reservedCpu = eksKubeReservedCpuMillicores(capacityCpu);
  const reservedMemory = eksKubeReservedMemoryMiB(maxPods) + EVICTION_HARD_MEMORY_MIB;
  return {
    instanceType,
    vcpu: type.vcpu,
    memoryGiB: type.memoryGiB,
    maxPods,
    capacity: { cpuMillicores: capacityCpu, memoryMiB: capacityMemory },
    reserved: { cpuMillicores: reservedCpu, memoryMiB: reservedMemory },
    allocatable: {
      cpuMillicores: capacityCpu - reservedCpu,
      memoryMiB: capacityMemory - reservedMemory,
      pods: maxPods,
    },
  };
}
