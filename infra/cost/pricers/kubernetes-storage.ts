import { arrayAt, at, numberAt, objectAt, type PricedInput, quantityToGiB, stringAt } from "../inputs";
import { helmValuesParts } from "../kubernetes-parts";
import { priceEbsVolumes } from "./ebs";
import { priceKubernetesLoadBalancer } from "./load-balancers";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const EBS_PROVISIONERS: Record<string, string> = {
  // the EBS CSI driver's default volume type, and the in-tree provisioner's
  "ebs.csi.aws.com": "gp3",
  "kubernetes.io/aws-ebs": "gp2",
};

export type StorageClassAnswer = { volumeType: string; className: string } | { notPriced: string };

/**
 * Which EBS volume type a claim gets, from the StorageClasses the program itself declares: a named class,
 * or the class it marks as the cluster default. A class the program does not declare is not priced: in
 * an existing cluster (kind, k3d, minikube) the default class is the cluster's own (kind's keeps volumes in
 * a directory on the machine, which AWS does not bill), and guessing gp3 there would invent a charge.
 */
export function ebsTypeForClaim(
  className: string | undefined,
  context: Pick<PricingContext, "resources">,
): StorageClassAnswer {
  const classes = context.resources.filter((r) => r.type === STORAGE_CLASS);
  const isDefault = (c: PricedInput) =>
    objectAt(c.inputs, "metadata.annotations")?.["storageclass.kubernetes.io/is-default-class"] === "true";
  const chosen =
    className === undefined
      ? classes.find(isDefault)
      : classes.find((c) => (stringAt(c.inputs, "metadata.name") ?? c.name) === className);
  if (!chosen) {
    return {
      notPriced:
        className === undefined
          ? "the claim uses the cluster's default StorageClass, which this program does not declare (an existing cluster's own: kind keeps such volumes on the machine's disk, not on AWS)"
          : `StorageClass ${className} is not declared by this program`,
    };
  }
  const name = stringAt(chosen.inputs, "metadata.name") ?? chosen.name;
  const provisioner = stringAt(chosen.inputs, "provisioner") ?? "";
  const defaultType = EBS_PROVISIONERS[provisioner];
  if (defaultType === undefined) {
    return { notPriced: `StorageClass ${name} uses provisioner ${provisioner}, not EBS` };
  }
  return { volumeType: stringAt(chosen.inputs, "parameters.type") ?? defaultType, className: name };
}

/** One claim (or claim template) of `size` for `copies` pods. */
export function priceClaim(sheet: PriceSheet, spec: unknown, copies: number, label: string): void {
  const size = quantityToGiB(at(spec, "resources.requests.storage"));
  if (size === undefined) {
    sheet.cannotPrice(`${label}: claim size not known`);
    return;
  }
  const answer = ebsTypeForClaim(stringAt(spec, "storageClassName"), sheet.context);
  if ("notPriced" in answer) {
    sheet.cannotPrice(
      `${label}: ${copies === 1 ? "" : `${copies} × `}${size} GiB volume not priced: ${answer.notPriced}`,
    );
    return;
  }
  priceEbsVolumes(sheet, { volumeType: answer.volumeType, sizeGiB: size, count: copies, label });
}

export function pricePersistentVolumeClaim(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  priceClaim(sheet, at(resource.inputs, "spec"), 1, "claim");
  return sheet.result();
}

export function priceStatefulSetClaims(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const templates = arrayAt(resource.inputs, "spec.volumeClaimTemplates");
  if (!templates || templates.length === 0) return undefined;
  const sheet = new PriceSheet(context);
  const replicas = numberAt(resource.inputs, "spec.replicas") ?? 1;
  for (const template of templates) {
    const name = stringAt(template, "metadata.name") ?? "volume";
    priceClaim(sheet, at(template, "spec"), replicas, `claim template ${name}`);
  }
  return sheet.result();
}

/**
 * Helm values hold storage and Services as data: every volumeClaimTemplate, enabled persistence block and
 * LoadBalancer service, multiplied by the nearest `replicas` above it (e.g. Prometheus and Alertmanager
 * storage in kube-prometheus-stack).
 */
export function priceHelmValues(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const { claims, loadBalancers } = helmValuesParts(at(resource.inputs, "values"));
  for (const claim of claims) priceClaim(sheet, claim.spec, claim.copies, claim.where);
  for (const { service, where } of loadBalancers) priceKubernetesLoadBalancer(sheet, service, where);
  return sheet.result();
}
