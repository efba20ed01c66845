import { type PricedInput, stringAt } from "../inputs.js";
import { t, value } from "../text.js";
import { ebsFigures, priceEbsVolumes } from "./ebs.js";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types.js";

export function priceInstance(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const type = stringAt(resource.inputs, "instanceType");
  const perHour = type ? sheet.price("ec2InstanceHour", type) : undefined;
  if (!type) sheet.cannotPrice(t`instance type not known until apply`);
  else if (!perHour) sheet.cannotPrice(t`instance type ${type} is not in the price table for this region`);
  else sheet.hourly(t`${type} instance`, value(type), perHour);
  const root = ebsFigures(resource, resource.inputs, {
    size: "rootBlockDevice.volumeSize",
    iops: "rootBlockDevice.iops",
    throughput: "rootBlockDevice.throughput",
  });
  if (root.sizeGiB !== undefined) {
    priceEbsVolumes(sheet, {
      volumeType: stringAt(resource.inputs, "rootBlockDevice.volumeType") ?? "gp3",
      sizeGiB: root.sizeGiB,
      iops: root.iops,
      throughput: root.throughput,
      label: "root volume",
    });
  }
  return sheet.result();
}

export function priceNatGateway(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  sheet.hourly("NAT gateway", "NAT gateway", sheet.need("natGatewayHour"));
  sheet.usageFor(
    { item: t`NAT gateway data processed`, unitPrice: sheet.need("natGatewayPerGb"), unit: "GB" },
    context.usage.natGatewayDataProcessedGb,
    t`natGateway.dataProcessedGb`,
    (gb) => [[gb, "GB"]],
  );
  return sheet.result();
}

export function pricePublicIpv4(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  sheet.hourly("public IPv4 address", "address", sheet.need("publicIpv4Hour"));
  return sheet.result();
}
