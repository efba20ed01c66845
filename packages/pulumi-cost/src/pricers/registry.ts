import { MissingPriceError } from "@platform/prices";
import type { PricedInput } from "../inputs.js";
import { t } from "../text.js";
import type { ResourceUsage } from "../usage.js";
import { CATALOG_PRICERS } from "./catalog.js";
import { priceEbsVolume } from "./ebs.js";
import { priceInstance, priceNatGateway, pricePublicIpv4 } from "./ec2.js";
import { priceEksCluster } from "./eks.js";
import { builtInFree, FREE_TYPES } from "./free.js";
import { priceIngress } from "./ingress.js";
import { priceHelmValues, pricePersistentVolumeClaim, priceStatefulSetClaims } from "./kubernetes-storage.js";
import { priceAwsLoadBalancer, priceClassicLoadBalancer, priceKubernetesService } from "./load-balancers.js";
import { priceAutoScalingGroup, priceNodeGroup } from "./nodes.js";
import { addResourceUsage } from "./resource-usage.js";
import { type Pricer, PriceSheet, type PricingContext, type ResourcePrice } from "./types.js";
import { priceAmpWorkspace, priceKmsKey, priceLogGroup, priceS3Bucket } from "./usage-priced.js";

/**
 * Resource type → its pricer. A type that is neither here nor in the free list (free.ts), nor declared free by
 * the configuration, is not priced: it is listed with the reason and the total becomes "at least". Kubernetes
 * workloads are not billed by themselves: what their requests cost is a share of their node group (see
 * ../workloads.ts), and the nodes they need beyond it are priced there.
 */
export const PRICERS: ReadonlyMap<string, Pricer> = new Map<string, Pricer>([
  ["aws:eks/cluster:Cluster", priceEksCluster],
  ["aws:eks/nodeGroup:NodeGroup", priceNodeGroup],
  ["aws:autoscaling/group:Group", priceAutoScalingGroup],
  ["aws:ec2/instance:Instance", priceInstance],
  ["aws:ec2/natGateway:NatGateway", priceNatGateway],
  ["aws:ec2/eip:Eip", pricePublicIpv4],
  ["aws:ebs/volume:Volume", priceEbsVolume],
  ["aws:lb/loadBalancer:LoadBalancer", priceAwsLoadBalancer],
  ["aws:alb/loadBalancer:LoadBalancer", priceAwsLoadBalancer],
  ["aws:elb/loadBalancer:LoadBalancer", priceClassicLoadBalancer],
  ["aws:kms/key:Key", priceKmsKey],
  ["aws:s3/bucket:Bucket", priceS3Bucket],
  ["aws:s3/bucketV2:BucketV2", priceS3Bucket],
  ["aws:cloudwatch/logGroup:LogGroup", priceLogGroup],
  ["aws:amp/workspace:Workspace", priceAmpWorkspace],
  ["kubernetes:core/v1:Service", priceKubernetesService],
  ["kubernetes:networking.k8s.io/v1:Ingress", priceIngress],
  ["kubernetes:core/v1:PersistentVolumeClaim", pricePersistentVolumeClaim],
  ["kubernetes:apps/v1:StatefulSet", priceStatefulSetClaims],
  ["kubernetes:helm.sh/v3:Release", priceHelmValues],
  // the types written as data: a few lines each (catalog.ts)
  ...CATALOG_PRICERS,
]);

/** The verdict on one resource: its price, or undefined when AWS bills nothing for it. */
export interface PricingSetup {
  /** the context of the resource's region; undefined when the table has no prices there */
  context: PricingContext | undefined;
  region: string | undefined;
  /** types the configuration declares free */
  freeTypes: ReadonlyMap<string, string>;
  resourceUsage: ResourceUsage;
  side: "before" | "after";
}

function notPriced(reason: ReturnType<typeof t>): ResourcePrice {
  return { components: [], notPriced: [reason], usage: [], notes: [], warnings: [] };
}

function withUsage(base: ResourcePrice | undefined, resource: PricedInput, context: PricingContext) {
  const sheet = new PriceSheet(context);
  addResourceUsage(sheet, resource);
  const extra = sheet.result();
  if (!extra) return base;
  if (!base) return extra;
  return {
    components: base.components,
    notPriced: [...base.notPriced, ...extra.notPriced],
    usage: [...base.usage, ...extra.usage],
    notes: [...base.notes, ...extra.notes],
    warnings: base.warnings,
  };
}

export function priceResource(resource: PricedInput, setup: PricingSetup): ResourcePrice | undefined {
  if (builtInFree(resource.type, resource.custom)) return undefined;
  const pricer = PRICERS.get(resource.type);
  const free = FREE_TYPES.has(resource.type) || setup.freeTypes.has(resource.type);
  if (!pricer && !free) {
    return notPriced(t`resource type ${resource.type} is not priced: pulumi-cost has no price for it`);
  }
  const { context } = setup;
  if (!context) {
    const configured = setup.resourceUsage.of(resource.name, resource.type, setup.side).length > 0;
    if (free && !pricer && !configured) return undefined;
    return notPriced(
      setup.region
        ? t`no prices for region ${setup.region} in the price table (never priced at another region's)`
        : t`the region it is billed in is not known: give its provider a region, or run with --region`,
    );
  }
  try {
    const base = pricer ? pricer(resource, context) : undefined;
    const configured = setup.resourceUsage.of(resource.name, resource.type, setup.side).length > 0;
    return configured ? withUsage(base, resource, context) : base;
  } catch (error) {
    // Only a region made of live prices lacks a price the pricers take for granted.
    if (!(error instanceof MissingPriceError)) throw error;
    const { key, region } = error.lookup;
    return notPriced(t`no ${key} price for region ${region}: ${error.reason}`);
  }
}
