/**
 * A preview is a pull request's output, so the engine treats it as untrusted input: every number it prices is
 * checked against the bound AWS (or Kubernetes, for a Kubernetes field) enforces, and the document's size,
 * nesting and work are capped. A value out of bounds is bad input (exit 2), named with its resource and field.
 *
 * | bound | source | read on |
 * | --- | --- | --- |
 * | node group sizes ≤ 100,000 | Amazon EKS supports clusters of up to 100,000 nodes ("Under the hood: Amazon EKS ultra scale clusters", AWS Containers blog, 2025-07-16); the default quota is 450 nodes per managed node group (docs.aws.amazon.com/eks/latest/userguide/service-quotas.html) | 2026-12-07 |
 * | EBS size 1–65,536 GiB, IOPS ≤ 256,000, throughput ≤ 2,000 MiB/s | EC2 API Reference, CreateVolume (Size: gp3 and io2 up to 65,536 GiB; Iops: io2 up to 256,000) and ModifyVolume (Throughput: gp3 up to 2,000) | 2026-12-07 |
 * | replicas and Helm `replicas` ≤ 2,147,483,647 | Kubernetes API: `spec.replicas` is an int32, refused above by the API server | 2026-12-07 |
 */
export class BadInputError extends Error {
  override name = "BadInputError";
}

export interface Bound {
  max: number;
  integer: boolean;
  /** what AWS (or Kubernetes) says, for the error */
  why: string;
}

export const BOUNDS = {
  nodeCount: {
    max: 100_000,
    integer: true,
    why: "an EKS cluster has at most 100,000 nodes",
  },
  replicas: {
    max: 2_147_483_647,
    integer: true,
    why: "Kubernetes keeps replicas in a 32-bit integer",
  },
  ebsSizeGiB: {
    max: 65_536,
    integer: true,
    why: "the largest EBS volume (gp3, io2) is 65,536 GiB",
  },
  ebsIops: { max: 256_000, integer: true, why: "no EBS volume takes more than 256,000 IOPS (io2)" },
  ebsThroughputMibps: {
    max: 2_000,
    integer: true,
    why: "no EBS volume takes more than 2,000 MiB/s (gp3)",
  },
  /** exact arithmetic: no request or quantity beyond what a double holds to the unit */
  exactUnits: {
    max: Number.MAX_SAFE_INTEGER,
    integer: true,
    why: "the engine counts bytes and millicores exactly up to 2^53",
  },
} as const satisfies Record<string, Bound>;

/** Caps on the document and on the work one preview may cause. */
export const LIMITS = {
  /** the preview file (a 20,000-resource preview is about 13 MB) */
  previewBytes: 64 * 2 ** 20,
  /** steps of a preview */
  steps: 200_000,
  /** the configuration file */
  configBytes: 2 ** 20,
  /** levels of a Helm release's values the engine walks */
  valuesDepth: 64,
  /** steps the placement takes through its trees, summed over node groups, before it stops checking */
  placementWork: 20_000_000,
  /** node slots the placement holds, summed over node groups (20 bytes each) */
  placementNodes: 2_000_000,
} as const;

/** A resource's name and type as an error names them. */
export interface Named {
  name: string;
  type: string;
}

export function badField(resource: Named, field: string, problem: string): BadInputError {
  return new BadInputError(
    `resource ${JSON.stringify(resource.name)} (${resource.type}), field ${field}: ${problem}`,
  );
}

/** A number from the input, refused unless finite, ≥ 0, within the bound, and whole where the bound says so. */
export function checked(value: number, bound: Bound, resource: Named, field: string): number {
  if (!Number.isFinite(value)) throw badField(resource, field, `${value} is not a finite number`);
  if (value < 0) throw badField(resource, field, `${value} is negative`);
  if (bound.integer && !Number.isInteger(value))
    throw badField(resource, field, `${value} is not a whole number`);
  if (value > bound.max) {
    throw badField(resource, field, `${value} is above ${bound.max.toLocaleString("en-US")}: ${bound.why}`);
  }
  return value;
}
