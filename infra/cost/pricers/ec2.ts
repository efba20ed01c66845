import { numberAt, type PricedInput, stringAt } from "../inputs";
import { priceEbsVolumes } from "./ebs";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types";

export function priceInstance(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const type = stringAt(resource.inputs, "instanceType");
  const perHour = type ? context.prices.ec2InstanceHour[type] : undefined;
  if (!type) sheet.cannotPrice("instance type not known until apply");
  else if (!perHour) sheet.cannotPrice(`instance type ${type} is not in the price table for this region`);
  else sheet.hourly(`${type} instance`, type, perHour);
  const rootSize = numberAt(resource.inputs, "rootBlockDevice.volumeSize");
  if (rootSize !== undefined) {
    priceEbsVolumes(sheet, {
      volumeType: stringAt(resource.inputs, "rootBlockDevice.volumeType") ?? "gp3",
      sizeGiB: rootSize,
      label: "root volume",
    });
  }
  return sheet.result();
}

export function priceNatGateway(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const p = context.prices;
  sheet.hourly("NAT gateway", "NAT gateway", p.natGatewayHour);
  sheet.usageFor(
    { item: "NAT gateway data processed", unitPrice: p.natGatewayPerGb, unit: "GB" },
    context.usage.natGatewayDataProcessedGb,
    "natGateway.dataProcessedGb",
    (gb) => [[gb, "GB"]],
  );
  return sheet.result();
}

export function pricePublicIpv4(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  sheet.hourly("public IPv4 address", "address", context.prices.publicIpv4Hour);
  return sheet.result();
}
