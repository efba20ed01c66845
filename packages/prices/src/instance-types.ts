import { readInstanceCapacity } from "@platform/price-facts";

/**
 * What an EC2 instance type offers a Kubernetes node: vCPUs and memory (what OpenCost splits the instance
 * price over) and the network interfaces and IPv4 addresses per interface (what bounds the pods an EKS node
 * accepts). The rows are @platform/price-facts' `data/instance-capacity.json`, one per priced instance type
 * that its two sources list, each field from its source:
 *
 * | figures | source | stated |
 * | --- | --- | --- |
 * | vcpu, memory | kubernetes/autoscaler, cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go (VCPU, MemoryMb; generated from DescribeInstanceTypes) | 2026-01-22 |
 * | enis, ipv4PerEni | awslabs/amazon-eks-ami, nodeadm/internal/kubelet/instance-info.jsonl (defaultMaxENIs, ipv4AddressesPerInterface): the file nodeadm reads to set maxPods on AL2023 nodes | 2026-07-23 |
 *
 * The 41 rows this table held before it was generated (vCPUs and memory from the EC2 Instance Types Guide's
 * specification tables, read 2026-12-01) equal the generated ones.
 */
export interface InstanceTypeCapacity {
  vcpu: number;
  memoryGiB: number;
  /** network interfaces on the default network card */
  enis: number;
  ipv4PerEni: number;
}

const CAPACITY_BY_TYPE: Record<string, InstanceTypeCapacity> = Object.fromEntries(
  Object.entries(readInstanceCapacity().types).map(([type, { vcpu, memoryMiB, enis, ipv4PerEni }]) => [
    type,
    { vcpu, memoryGiB: memoryMiB / 1024, enis, ipv4PerEni },
  ]),
);

/** By instance type; with no prototype, since the name comes from a preview or a setting. */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeCapacity>> = Object.assign(
  Object.create(null),
  CAPACITY_BY_TYPE,
);

/** The capacity row of an instance type, or undefined: a name such as `__proto__` is only ever a key here. */
export function instanceTypeCapacity(instanceType: string): InstanceTypeCapacity | undefined {
  return Object.hasOwn(INSTANCE_TYPES, instanceType) ? INSTANCE_TYPES[instanceType] : undefined;
}
