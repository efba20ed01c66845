import { readFileSync } from "node:fs";
import { z } from "zod";
import { sourceDocument } from "./schema.js";

/**
 * What each EC2 instance type offers a Kubernetes node, for the types the price facts price: vCPUs and memory
 * (what bounds the requests a node holds, and what a node's price is split over) and its network interfaces and
 * IPv4 addresses per interface (what bounds its pods on EKS). Each field names the dated source it is read from;
 * a priced type neither source lists has no row, and the capacity of its nodes is not checked.
 */
export const INSTANCE_CAPACITY_FILE = new URL(
  "../data/instance-capacity.json",
  // As PRICE_FACTS_FILE: `import.meta` is refused only by the CommonJS type-check of the Pulumi program.
  // biome-ignore lint/suspicious/noTsIgnore: an expect-error would fail the ES-module type-check, where it is valid
  // @ts-ignore TS1343 under the CommonJS type-check only (an expect-error would fail the ES-module one)
  import.meta.url,
);

const count = z.number().int().positive();

export const instanceCapacityDocument = z
  .strictObject({
    schemaVersion: z.literal(1),
    compiled: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    sources: z.record(z.string().min(1), sourceDocument),
    /** the source each field of a row is read from */
    fields: z.strictObject({
      vcpu: z.string(),
      memoryMiB: z.string(),
      enis: z.string(),
      ipv4PerEni: z.string(),
    }),
    types: z.record(
      z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, "an EC2 instance type such as m7i.large"),
      z.strictObject({ vcpu: count, memoryMiB: count, enis: count, ipv4PerEni: count }),
    ),
  })
  .refine((doc) => Object.values(doc.fields).every((id) => Object.hasOwn(doc.sources, id)), {
    message: "every field names one of the sources",
    path: ["fields"],
  });

export type InstanceCapacityDocument = z.infer<typeof instanceCapacityDocument>;
export type InstanceCapacityRow = InstanceCapacityDocument["types"][string];

/** Validates a capacity document; the error names every bad field. */
export function loadInstanceCapacity(
  document: unknown,
  origin = "the instance capacity",
): InstanceCapacityDocument {
  const parsed = instanceCapacityDocument.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`,
    );
    throw new Error(`${origin} is not valid:\n  ${problems.slice(0, 50).join("\n  ")}`);
  }
  return parsed.data;
}

/** The capacity rows this package ships, validated. */
export function readInstanceCapacity(file: URL | string = INSTANCE_CAPACITY_FILE): InstanceCapacityDocument {
  return loadInstanceCapacity(JSON.parse(readFileSync(file, "utf8")), String(file));
}
