import { CHART_PROFILES, chartName } from "../charts.js";
import { type Label, textOf } from "../components.js";
import {
  arrayAt,
  at,
  boundedAt,
  objectAt,
  own,
  type PricedInput,
  quantityToGiB,
  stringAt,
} from "../inputs.js";
import { helmValuesParts } from "../kubernetes-parts.js";
import { BOUNDS, checked } from "../limits.js";
import { type Text, t, value } from "../text.js";
import { priceEbsVolumes } from "./ebs.js";
import { priceKubernetesLoadBalancer } from "./load-balancers.js";
import { PriceSheet, type PricingContext, type ResourceIndex, type ResourcePrice } from "./types.js";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const EBS_PROVISIONERS = new Map([
  // the EBS CSI driver's default volume type, and the in-tree provisioner's
  ["ebs.csi.aws.com", "gp3"],
  ["kubernetes.io/aws-ebs", "gp2"],
]);

export type StorageClassAnswer = { volumeType: string; className: string } | { notPriced: Text };

/**
 * Which EBS volume type a claim gets, from the StorageClasses the program itself declares: a named class,
 * or the class it marks as the cluster default. A class the program does not declare is not priced: in
 * an existing cluster (kind, k3d, minikube) the default class is the cluster's own (kind's keeps volumes in
 * a directory on the machine, which AWS does not bill), and guessing gp3 there would invent a charge.
 */
export function ebsTypeForClaim(className: string | undefined, resources: ResourceIndex): StorageClassAnswer {
  const classes = resources.ofType(STORAGE_CLASS);
  const isDefault = (c: PricedInput) =>
    own(objectAt(c.inputs, "metadata.annotations"), "storageclass.kubernetes.io/is-default-class") === "true";
  const chosen =
    className === undefined
      ? classes.find(isDefault)
      : classes.find((c) => (stringAt(c.inputs, "metadata.name") ?? c.name) === className);
  if (!chosen) {
    return {
      notPriced:
        className === undefined
          ? t`the claim uses the cluster's default StorageClass, which this program does not declare (an existing cluster's own: kind keeps such volumes on the machine's disk, not on AWS)`
          : t`StorageClass ${className} is not declared by this program`,
    };
  }
  const name = stringAt(chosen.inputs, "metadata.name") ?? chosen.name;
  const provisioner = stringAt(chosen.inputs, "provisioner") ?? "";
  const defaultType = EBS_PROVISIONERS.get(provisioner);
  if (defaultType === undefined) {
    return { notPriced: t`StorageClass ${name} uses provisioner ${provisioner}, not EBS` };
  }
  return { volumeType: stringAt(chosen.inputs, "parameters.type") ?? defaultType, className: name };
}

/** One claim (or claim template) of `size` for `copies` pods. */
export function priceClaim(
  sheet: PriceSheet,
  spec: unknown,
  copies: number,
  label: Label,
  owner: PricedInput,
): void {
  const raw = quantityToGiB(at(spec, "resources.requests.storage"));
  const field = `${textOf(label).plain} resources.requests.storage`;
  const size = raw === undefined ? undefined : checked(raw, BOUNDS.ebsSizeGiB, owner, field);
  if (size === undefined) {
    sheet.cannotPrice(t`${textOf(label)}: claim size not known`);
    return;
  }
  const answer = ebsTypeForClaim(stringAt(spec, "storageClassName"), sheet.context.resources);
  if ("notPriced" in answer) {
    const many = copies === 1 ? t`` : t`${copies} × `;
    sheet.cannotPrice(t`${textOf(label)}: ${many}${size} GiB volume not priced: ${answer.notPriced}`);
    return;
  }
  priceEbsVolumes(sheet, { volumeType: answer.volumeType, sizeGiB: size, count: copies, label });
}

export function pricePersistentVolumeClaim(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  priceClaim(sheet, at(resource.inputs, "spec"), 1, "claim", resource);
  return sheet.result();
}

export function priceStatefulSetClaims(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const templates = arrayAt(resource.inputs, "spec.volumeClaimTemplates");
  if (!templates || templates.length === 0) return undefined;
  const sheet = new PriceSheet(context);
  const replicas = boundedAt(resource, "spec.replicas", BOUNDS.replicas) ?? 1;
  for (const template of templates) {
    const name = stringAt(template, "metadata.name") ?? "volume";
    priceClaim(sheet, at(template, "spec"), replicas, t`claim template ${name}`, resource);
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
  const chart = chartName(resource);
  if (!CHART_PROFILES.has(chart)) {
    sheet.cannotPrice(
      t`Helm chart ${chart || resource.name}: what it creates besides the storage and load balancers in its values is not known (pulumi-cost has no profile of this chart)`,
    );
  }
  const { claims, loadBalancers } = helmValuesParts(at(resource.inputs, "values"), resource);
  for (const claim of claims) priceClaim(sheet, claim.spec, claim.copies, value(claim.where), resource);
  for (const { service, where } of loadBalancers) priceKubernetesLoadBalancer(sheet, service, value(where));
  return sheet.result();
}
