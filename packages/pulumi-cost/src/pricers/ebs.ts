import { component, type Label, textOf } from "../components.js";
import { boundedAt, type PricedInput, stringAt } from "../inputs.js";
import { BOUNDS } from "../limits.js";
import { t } from "../text.js";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types.js";

/**
 * What EBS bills besides a volume's size, by volume type: provisioned IOPS and throughput above what the type
 * includes. A type listed here whose provisioned figure the table lacks is not priced rather than priced at
 * its size alone. io2's IOPS are billed in tiers above 32,000; one figure prices only the first tier.
 */
const PROVISIONED: ReadonlyMap<
  string,
  { iopsIncluded: number; throughputIncluded?: number; iopsTier?: number }
> = new Map([
  ["gp3", { iopsIncluded: 3000, throughputIncluded: 125 }],
  ["io1", { iopsIncluded: 0 }],
  ["io2", { iopsIncluded: 0, iopsTier: 32_000 }],
]);

export interface EbsVolumeSpec {
  volumeType: string;
  sizeGiB: number;
  count?: number;
  iops?: number | undefined;
  throughput?: number | undefined;
  /** where the volume comes from, e.g. "root volumes" or a Helm value's path */
  label?: Label;
}

function provisioned(sheet: PriceSheet, spec: EbsVolumeSpec, prefix: Label[], lead: number[]): void {
  const rules = PROVISIONED.get(spec.volumeType);
  if (!rules) return;
  const extraIops = Math.max(0, (spec.iops ?? rules.iopsIncluded) - rules.iopsIncluded);
  if (extraIops > 0) {
    const price = sheet.price("ebsIopsMonth", spec.volumeType);
    const included = rules.iopsIncluded > 0 ? ` above ${rules.iopsIncluded.toLocaleString("en-US")}` : "";
    if (!price) sheet.cannotPrice(t`${textOf(...prefix)}${spec.volumeType} IOPS are not in the price table`);
    else if (rules.iopsTier !== undefined && extraIops > rules.iopsTier)
      sheet.cannotPrice(
        t`${textOf(...prefix)}${spec.volumeType} IOPS above ${rules.iopsTier} are billed in tiers the table does not hold`,
      );
    else
      sheet.add(
        component(
          t`${textOf(...prefix)}${spec.volumeType} IOPS${included}`,
          [...lead, [extraIops, "IOPS"]],
          price,
          {
            unit: "IOPS-months",
            priceUnit: "IOPS-month",
          },
        ),
      );
  }
  if (rules.throughputIncluded === undefined) return;
  const extraThroughput = Math.max(
    0,
    (spec.throughput ?? rules.throughputIncluded) - rules.throughputIncluded,
  );
  if (extraThroughput === 0) return;
  const price = sheet.price("ebsThroughputMibpsMonth", spec.volumeType);
  if (!price)
    sheet.cannotPrice(t`${textOf(...prefix)}${spec.volumeType} throughput is not in the price table`);
  else
    sheet.add(
      component(
        t`${textOf(...prefix)}${spec.volumeType} throughput above ${rules.throughputIncluded} MB/s`,
        [...lead, [extraThroughput, "MB/s"]],
        price,
        { unit: "MB/s-months", priceUnit: "MB/s-month" },
      ),
    );
}

/** Size, and IOPS and throughput above what the type includes; a type the table lacks is not priced. */
export function priceEbsVolumes(sheet: PriceSheet, spec: EbsVolumeSpec): void {
  const count = spec.count ?? 1;
  const lead = count === 1 ? [] : [count];
  const prefix: Label[] = spec.label ? [spec.label, ": "] : [];
  const storage = sheet.price("ebsStorageGbMonth", spec.volumeType);
  if (!storage) {
    sheet.cannotPrice(t`${textOf(...prefix)}EBS volume type ${spec.volumeType} is not in the price table`);
    return;
  }
  sheet.add(
    component(t`${textOf(...prefix)}${spec.volumeType} storage`, [...lead, [spec.sizeGiB, "GiB"]], storage, {
      unit: "GiB-months",
      priceUnit: "GiB-month",
    }),
  );
  provisioned(sheet, spec, prefix, lead);
}

/** A volume's size, IOPS and throughput as the input gives them, each within what EBS accepts. */
export function ebsFigures(
  resource: PricedInput,
  from: unknown,
  paths: { size: string; iops: string; throughput: string },
) {
  return {
    sizeGiB: boundedAt(resource, paths.size, BOUNDS.ebsSizeGiB, from),
    iops: boundedAt(resource, paths.iops, BOUNDS.ebsIops, from),
    throughput: boundedAt(resource, paths.throughput, BOUNDS.ebsThroughputMibps, from),
  };
}

export function priceEbsVolume(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const { sizeGiB, iops, throughput } = ebsFigures(resource, resource.inputs, {
    size: "size",
    iops: "iops",
    throughput: "throughput",
  });
  if (sizeGiB === undefined) sheet.cannotPrice(t`volume size not known until apply`);
  else
    priceEbsVolumes(sheet, {
      volumeType: stringAt(resource.inputs, "type") ?? "gp2",
      sizeGiB,
      iops,
      throughput,
    });
  return sheet.result();
}
