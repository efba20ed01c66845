import { type Label, textOf } from "../components.js";
import { at, objectAt, own, type PricedInput, stringAt } from "../inputs.js";
import { t } from "../text.js";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types.js";

export type LoadBalancerKind = "application" | "network" | "classic";

const NAMES: Record<LoadBalancerKind, string> = { application: "ALB", network: "NLB", classic: "Classic LB" };

/** Hours, plus capacity units (ALB LCU, NLB NLCU) or data processed (Classic) as usage. */
export function priceLoadBalancerKind(sheet: PriceSheet, kind: LoadBalancerKind, label?: Label): void {
  const prefix: Label[] = label ? [label, ": "] : [];
  const { usage, hoursPerMonth } = sheet.context;
  const name = NAMES[kind];
  if (kind === "classic") {
    sheet.hourly(textOf(...prefix, name), name, sheet.need("clbHour"));
    sheet.usageFor(
      { item: textOf(...prefix, `${name} data processed`), unitPrice: sheet.need("clbPerGb"), unit: "GB" },
      usage.classicLoadBalancerDataProcessedGb,
      t`loadBalancer.classicDataProcessedGb`,
      (gb) => [[gb, "GB"]],
    );
    return;
  }
  const hourly = sheet.need(kind === "application" ? "albHour" : "nlbHour");
  const unitPrice = sheet.need(kind === "application" ? "albLcuHour" : "nlbLcuHour");
  const unit = kind === "application" ? "LCU-hour" : "NLCU-hour";
  sheet.hourly(textOf(...prefix, name), name, hourly);
  sheet.usageFor(
    { item: textOf(...prefix, `${name} capacity units`), unitPrice, unit },
    usage.loadBalancerCapacityUnitsPerHour,
    t`loadBalancer.capacityUnitsPerHour`,
    (units) => [
      [units, unit === "LCU-hour" ? "LCU" : "NLCU"],
      [hoursPerMonth, "h"],
    ],
    { unit: `${unit}s`, priceUnit: unit },
  );
}

/** Which AWS load balancer a Kubernetes Service of type LoadBalancer gets, from its annotations. */
export function kubernetesLoadBalancerKind(service: unknown): LoadBalancerKind {
  const annotations = objectAt(service, "metadata.annotations") ?? objectAt(service, "annotations") ?? {};
  const annotated = own(annotations, "service.beta.kubernetes.io/aws-load-balancer-type");
  const loadBalancerClass =
    stringAt(service, "spec.loadBalancerClass") ?? stringAt(service, "loadBalancerClass");
  if (annotated === "nlb" || annotated === "external" || loadBalancerClass === "service.k8s.aws/nlb")
    return "network";
  return "classic";
}

export function priceKubernetesLoadBalancer(sheet: PriceSheet, service: unknown, label?: Label): void {
  priceLoadBalancerKind(sheet, kubernetesLoadBalancerKind(service), label);
}

export function priceAwsLoadBalancer(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const kind = stringAt(resource.inputs, "loadBalancerType") ?? "application";
  if (kind === "application" || kind === "network") priceLoadBalancerKind(sheet, kind);
  else if (kind === "gateway") priceGatewayLoadBalancer(sheet);
  else sheet.cannotPrice(t`load balancer type ${kind} is not in the price table`);
  return sheet.result();
}

export function priceClassicLoadBalancer(
  _resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  priceLoadBalancerKind(sheet, "classic");
  return sheet.result();
}

export function priceKubernetesService(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  if (at(resource.inputs, "spec.type") !== "LoadBalancer") return undefined;
  const sheet = new PriceSheet(context);
  priceKubernetesLoadBalancer(sheet, resource.inputs);
  return sheet.result();
}

/** A Gateway Load Balancer: hours, and its capacity units (GLCU) as usage. */
function priceGatewayLoadBalancer(sheet: PriceSheet): void {
  const { usage, hoursPerMonth } = sheet.context;
  sheet.hourly("GWLB", "GWLB", sheet.need("gwlbHour"));
  sheet.usageFor(
    { item: t`GWLB capacity units`, unitPrice: sheet.need("gwlbLcuHour"), unit: "GLCU-hour" },
    usage.loadBalancerCapacityUnitsPerHour,
    t`loadBalancer.capacityUnitsPerHour`,
    (units) => [
      [units, "GLCU"],
      [hoursPerMonth, "h"],
    ],
    { unit: "GLCU-hours", priceUnit: "GLCU-hour" },
  );
}
