/**
 * What an EC2 instance type offers a Kubernetes node: vCPUs and memory (what OpenCost splits the instance
 * price over) and the network interfaces and IPv4 addresses per interface (what bounds the pods an EKS node
 * accepts). One row per instance type in the price table.
 *
 * | figures | source | read on |
 * | --- | --- | --- |
 * | vcpu, memoryGiB | Amazon EC2 Instance Types Guide, "Specifications" tables (docs.aws.amazon.com/ec2/latest/instancetypes/gp.html for M and T, co.html for C, mo.html for R): default vCPUs, memory (GiB) | 2026-12-01 |
 * | enis, ipv4PerEni | awslabs/amazon-eks-ami, nodeadm/internal/kubelet/instance-info.jsonl (defaultMaxENIs, ipv4AddressesPerInterface), commit 81fec2e of 2026-07-23: the file nodeadm reads to set maxPods on AL2023 nodes | 2026-12-01 |
 */
export interface InstanceTypeCapacity {
  vcpu: number;
  memoryGiB: number;
  /** network interfaces on the default network card */
  enis: number;
  ipv4PerEni: number;
}

const CAPACITY_BY_TYPE: Record<string, InstanceTypeCapacity> = {
  "c6i.large": { vcpu: 2, memoryGiB: 4, enis: 3, ipv4PerEni: 10 },
  "c6i.xlarge": { vcpu: 4, memoryGiB: 8, enis: 4, ipv4PerEni: 15 },
  "c6i.2xlarge": { vcpu: 8, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "c6i.4xlarge": { vcpu: 16, memoryGiB: 32, enis: 8, ipv4PerEni: 30 },
  "m5.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 10 },
  "m5.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "m5.2xlarge": { vcpu: 8, memoryGiB: 32, enis: 4, ipv4PerEni: 15 },
  "m5.4xlarge": { vcpu: 16, memoryGiB: 64, enis: 8, ipv4PerEni: 30 },
  "m6g.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 10 },
  "m6g.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "m6i.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 10 },
  "m6i.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "m6i.2xlarge": { vcpu: 8, memoryGiB: 32, enis: 4, ipv4PerEni: 15 },
  "m6i.4xlarge": { vcpu: 16, memoryGiB: 64, enis: 8, ipv4PerEni: 30 },
  "m7g.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 10 },
  "m7g.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "m7i.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 10 },
  "m7i.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "m7i.2xlarge": { vcpu: 8, memoryGiB: 32, enis: 4, ipv4PerEni: 15 },
  "m7i.4xlarge": { vcpu: 16, memoryGiB: 64, enis: 8, ipv4PerEni: 30 },
  "r6i.large": { vcpu: 2, memoryGiB: 16, enis: 3, ipv4PerEni: 10 },
  "r6i.xlarge": { vcpu: 4, memoryGiB: 32, enis: 4, ipv4PerEni: 15 },
  "r6i.2xlarge": { vcpu: 8, memoryGiB: 64, enis: 4, ipv4PerEni: 15 },
  "r6i.4xlarge": { vcpu: 16, memoryGiB: 128, enis: 8, ipv4PerEni: 30 },
  "t3.micro": { vcpu: 2, memoryGiB: 1, enis: 2, ipv4PerEni: 2 },
  "t3.small": { vcpu: 2, memoryGiB: 2, enis: 3, ipv4PerEni: 4 },
  "t3.medium": { vcpu: 2, memoryGiB: 4, enis: 3, ipv4PerEni: 6 },
  "t3.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 12 },
  "t3.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "t3.2xlarge": { vcpu: 8, memoryGiB: 32, enis: 4, ipv4PerEni: 15 },
  "t3a.micro": { vcpu: 2, memoryGiB: 1, enis: 2, ipv4PerEni: 2 },
  "t3a.small": { vcpu: 2, memoryGiB: 2, enis: 2, ipv4PerEni: 4 },
  "t3a.medium": { vcpu: 2, memoryGiB: 4, enis: 3, ipv4PerEni: 6 },
  "t3a.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 12 },
  "t3a.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
  "t3a.2xlarge": { vcpu: 8, memoryGiB: 32, enis: 4, ipv4PerEni: 15 },
  "t4g.micro": { vcpu: 2, memoryGiB: 1, enis: 2, ipv4PerEni: 2 },
  "t4g.small": { vcpu: 2, memoryGiB: 2, enis: 3, ipv4PerEni: 4 },
  "t4g.medium": { vcpu: 2, memoryGiB: 4, enis: 3, ipv4PerEni: 6 },
  "t4g.large": { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 12 },
  "t4g.xlarge": { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
};

/** By instance type; with no prototype, since the name comes from a preview or a setting. */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeCapacity>> = Object.assign(
  Object.create(null),
  CAPACITY_BY_TYPE,
);

/** The capacity row of an instance type, or undefined: a name such as `__proto__` is only ever a key here. */
export function instanceTypeCapacity(instanceType: string): InstanceTypeCapacity | undefined {
  return Object.hasOwn(INSTANCE_TYPES, instanceType) ? INSTANCE_TYPES[instanceType] : undefined;
}
