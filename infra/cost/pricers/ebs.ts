import { component } from "../components";
import { numberAt, type PricedInput, stringAt } from "../inputs";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types";

const GP3_FREE_IOPS = 3000;
const GP3_FREE_THROUGHPUT = 125;

export interface EbsVolumeSpec {
  volumeType: string;
  sizeGiB: number;
  count?: number;
  iops?: number | undefined;
  throughput?: number | undefined;
  /** where the volume comes from, e.g. "root volumes" or a Helm value's path */
  label?: string;
}

/** gp3 (size, IOPS above 3,000, throughput above 125 MB/s) or gp2; any other type is not priced. */
export function priceEbsVolumes(sheet: PriceSheet, spec: EbsVolumeSpec): void {
  const { ebs } = sheet.prices;
  const count = spec.count ?? 1;
  const lead = count === 1 ? [] : [count];
  const label = spec.label ? `${spec.label}: ` : "";
  if (spec.volumeType === "gp3") {
    sheet.add(
      component(`${label}gp3 storage`, [...lead, [spec.sizeGiB, "GiB"]], ebs.gp3GbMonth, {
        unit: "GiB-months",
        priceUnit: "GiB-month",
      }),
    );
    const extraIops = Math.max(0, (spec.iops ?? GP3_FREE_IOPS) - GP3_FREE_IOPS);
    if (extraIops > 0) {
      sheet.add(
        component(`${label}gp3 IOPS above 3,000`, [...lead, [extraIops, "IOPS"]], ebs.gp3IopsMonth, {
          unit: "IOPS-months",
          priceUnit: "IOPS-month",
        }),
      );
    }
    const extraThroughput = Math.max(0, (spec.throughput ?? GP3_FREE_THROUGHPUT) - GP3_FREE_THROUGHPUT);
    if (extraThroughput > 0) {
      sheet.add(
        component(
          `${label}gp3 throughput above 125 MB/s`,
          [...lead, [extraThroughput, "MB/s"]],
          ebs.gp3ThroughputMbpsMonth,
          { unit: "MB/s-months", priceUnit: "MB/s-month" },
        ),
      );
    }
  } else if (spec.volumeType === "gp2") {
    sheet.add(
      component(`${label}gp2 storage`, [...lead, [spec.sizeGiB, "GiB"]], ebs.gp2GbMonth, {
        unit: "GiB-months",
        priceUnit: "GiB-month",
      }),
    );
  } else {
    sheet.cannotPrice(`${label}EBS volume type ${spec.volumeType} is not in the price table`);
  }
}

export function priceEbsVolume(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const size = numberAt(resource.inputs, "size");
  if (size === undefined) sheet.cannotPrice("volume size not known until apply");
  else {
    priceEbsVolumes(sheet, {
      volumeType: stringAt(resource.inputs, "type") ?? "gp2",
      sizeGiB: size,
      iops: numberAt(resource.inputs, "iops"),
      throughput: numberAt(resource.inputs, "throughput"),
    });
  }
  return sheet.result();
}
