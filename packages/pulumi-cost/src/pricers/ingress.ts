import { objectAt, own, type PricedInput, stringAt } from "../inputs.js";
import { t } from "../text.js";
import { priceLoadBalancerKind } from "./load-balancers.js";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types.js";

export const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SUBNET = "aws:ec2/subnet:Subnet";
const ALB_CLASS = "alb";
const GROUP = "alb.ingress.kubernetes.io/group.name";
/** The tag the AWS Load Balancer Controller discovers an internet-facing ALB's subnets by (one per zone). */
const PUBLIC_SUBNET_TAG = "kubernetes.io/role/elb";

const annotationsOf = (ingress: PricedInput) => objectAt(ingress.inputs, "metadata.annotations") ?? {};
const annotation = (ingress: PricedInput, key: string) => {
  const value = own(annotationsOf(ingress), key);
  return typeof value === "string" ? value : undefined;
};

/** The Ingress class: `spec.ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation. */
function ingressClass(ingress: PricedInput): string | undefined {
  return (
    stringAt(ingress.inputs, "spec.ingressClassName") ?? annotation(ingress, "kubernetes.io/ingress.class")
  );
}

/** Ingresses of one group share one ALB; an Ingress outside a group is an ALB of its own. */
const groupOf = (ingress: PricedInput) => annotation(ingress, GROUP);

/**
 * The public IPv4 addresses an internet-facing ALB holds: one per subnet it spans, from the `subnets`
 * annotation, else the subnets of the preview the controller discovers (tagged `kubernetes.io/role/elb`).
 */
function publicSubnets(ingress: PricedInput, context: PricingContext): number {
  const listed = annotation(ingress, "alb.ingress.kubernetes.io/subnets");
  if (listed) return listed.split(",").filter((s) => s.trim() !== "").length;
  return context.resources
    .ofType(SUBNET)
    .filter((subnet) => own(objectAt(subnet.inputs, "tags") ?? {}, PUBLIC_SUBNET_TAG) !== undefined).length;
}

/**
 * An Ingress handled by the AWS Load Balancer Controller is an Application Load Balancer: its hours, the
 * public IPv4 addresses of an internet-facing one, and LCUs as usage. Ingresses sharing a group share one ALB,
 * priced on the group's first Ingress. An Ingress of another class is served by a controller whose bill is
 * not known here, so it is not priced.
 */
export function priceIngress(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const kind = ingressClass(resource);
  if (kind !== ALB_CLASS) {
    sheet.cannotPrice(
      kind === undefined
        ? t`Ingress without an ingress class (spec.ingressClassName): which load balancer serves it is not known`
        : t`Ingress class ${kind} is not the AWS Load Balancer Controller's (alb): what its controller creates is not known`,
    );
    return sheet.result();
  }
  const group = groupOf(resource);
  if (group !== undefined) {
    const first = context.resources
      .ofType(INGRESS)
      .find((other) => ingressClass(other) === ALB_CLASS && groupOf(other) === group);
    if (first && first !== resource) {
      return {
        components: [],
        notPriced: [],
        usage: [],
        notes: [t`shares the ALB of Ingress group ${group}, priced on ${first.name}`],
        warnings: [],
      };
    }
  }
  priceLoadBalancerKind(sheet, "application");
  if (annotation(resource, "alb.ingress.kubernetes.io/scheme") === "internet-facing") {
    const subnets = publicSubnets(resource, context);
    if (subnets > 0)
      sheet.hourly("ALB public IPv4 addresses", "address", sheet.need("publicIpv4Hour"), subnets);
    else
      sheet.cannotPrice(
        t`internet-facing ALB: its public IPv4 addresses (one per subnet) are not known: no alb.ingress.kubernetes.io/subnets annotation and no subnet tagged ${PUBLIC_SUBNET_TAG} in the preview`,
      );
  }
  return sheet.result();
}
