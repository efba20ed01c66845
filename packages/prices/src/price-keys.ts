import type { PriceComponent } from "@platform/price-facts";
import { priceFacts } from "./facts.js";
import { exact } from "./money.js";
import { SERVICE_PRICE_KEYS } from "./service-price-keys.js";

/**
 * Every price the table holds, declared once: what it is, its unit, and the component of the price facts
 * (@platform/price-facts, the one place figures live) it is read from. The table (facts-table.ts), the refresh
 * from the Price List API (price-list.ts) and the pricers all read these declarations, so adding a price is its
 * declaration here and the pricer that uses it; the facts then get its figures from a refresh (until then the
 * price is missing, and what needs it is not priced).
 *
 * A price with `per` holds one figure per value of a product attribute (an instance type, a volume type), read
 * from that attribute of each Price List product. A declaration that names no `service` takes its Price List
 * identification (service code, product family, usage type, attributes) from its facts component.
 */
export interface PriceKeyDeclaration {
  description: string;
  /** the unit of the figure the table stores, as the comment writes it ("h", "GB", "GiB-month") */
  unit: string;
  /**
   * The price facts component holding the figures (for a `per` key, the component's variants are the
   * dimension); or, for a `per` key whose types are separate components, dimension → component.
   */
  facts: string | Readonly<Record<string, string>>;
  /** the Price List service code */
  service?: string;
  /** the end of the product's `usagetype` (usage types carry a region prefix such as EUC1-) */
  usageType?: string;
  /** `productFamily` of the product, when the usage type alone does not single it out */
  productFamily?: string;
  /** further product attributes the product must have (also sent as TERM_MATCH filters) */
  attributes?: Readonly<Record<string, string>>;
  /** attributes that, when a product has them, must hold one of these values */
  allow?: Readonly<Record<string, readonly string[]>>;
  /** a service priced the same everywhere, listed without a region */
  global?: boolean;
  /** one figure per value of this product attribute */
  per?: { attribute: string; what: string };
  /**
   * For a `per` key whose usage type names the dimension (MSK's `Kafka.{variant}`, MQ's `{variant}`): each
   * dimension is asked by its own usage type, and a product is the dimension's when its usagetype ends so.
   */
  variantUsageType?: string;
  /** from the API's price and unit to the stored unit (e.g. per request → per 10,000 requests) */
  scale?: (usd: string, apiUnit: string) => string;
  /** from the stored unit back to the Price List's (the facts keep the API's unit) */
  unscale?: (usd: string) => string;
  required?: boolean;
}

const times = (factor: number) => (usd: string) => exact(usd).times(factor).toFixed();
const over = (factor: number) => (usd: string) => exact(usd).dividedBy(factor).toFixed();

/** gp3 throughput is listed per GiB/s-month; the table holds it per MiB/s-month (gp3 is set in MiB/s). */
const perMibps = (usd: string, apiUnit: string) =>
  apiUnit.startsWith("GiB") ? exact(usd).dividedBy(1024).toFixed() : usd;

const LINUX_ON_DEMAND = {
  operatingSystem: "Linux",
  tenancy: "Shared",
  preInstalledSw: "NA",
  capacitystatus: "Used",
} as const;

const CORE_PRICE_KEYS = {
  eksClusterHour: {
    facts: "eks.cluster-hour",
    description: "EKS control plane, standard support, per cluster-hour",
    unit: "h",
    service: "AmazonEKS",
    usageType: "AmazonEKS-Hours:perCluster",
  },
  eksExtendedSupportClusterHour: {
    facts: "eks.extended-support-hour",
    description:
      "EKS extended-support surcharge per cluster-hour, billed on top of eksClusterHour while the cluster's version is in extended support (the surcharge alone, not the whole rate)",
    unit: "h",
    service: "AmazonEKS",
    usageType: "AmazonEKS-Hours:extendedSupport",
  },
  ec2InstanceHour: {
    facts: "ec2.instance-hour",
    description: "EC2 on-demand Linux, shared tenancy, per instance-hour",
    unit: "h",
    service: "AmazonEC2",
    productFamily: "Compute Instance",
    attributes: LINUX_ON_DEMAND,
    allow: { licenseModel: ["No License required"] },
    per: { attribute: "instanceType", what: "instance type" },
  },
  natGatewayHour: {
    facts: "ec2.nat-gateway-hour",
    description: "NAT gateway, per hour",
    unit: "h",
    service: "AmazonEC2",
    productFamily: "NAT Gateway",
    usageType: "NatGateway-Hours",
  },
  natGatewayPerGb: {
    facts: "ec2.nat-gateway-gb",
    description: "NAT gateway data processed, per GB",
    unit: "GB",
    service: "AmazonEC2",
    productFamily: "NAT Gateway",
    usageType: "NatGateway-Bytes",
  },
  publicIpv4Hour: {
    facts: "vpc.public-ipv4-hour",
    description: "public IPv4 address in use, per address-hour",
    unit: "h",
    service: "AmazonVPC",
    usageType: "PublicIPv4:InUseAddress",
  },
  ebsStorageGbMonth: {
    facts: {
      gp2: "ebs.gp2-storage",
      gp3: "ebs.gp3-storage",
      io1: "ebs.io1-storage",
      io2: "ebs.io2-storage",
      st1: "ebs.st1-storage",
      sc1: "ebs.sc1-storage",
    },
    description: "EBS volume storage, per GiB-month, by volume type",
    unit: "GiB-month",
    service: "AmazonEC2",
    productFamily: "Storage",
    usageType: "EBS:VolumeUsage",
    per: { attribute: "volumeApiName", what: "EBS volume type" },
  },
  ebsIopsMonth: {
    facts: { gp3: "ebs.gp3-iops", io1: "ebs.io1-iops", io2: "ebs.io2-iops" },
    description: "EBS provisioned IOPS per IOPS-month, by volume type (gp3: above its free 3,000)",
    unit: "IOPS-month",
    service: "AmazonEC2",
    productFamily: "System Operation",
    usageType: "EBS:VolumeP-IOPS",
    per: { attribute: "volumeApiName", what: "EBS volume type" },
  },
  ebsThroughputMibpsMonth: {
    facts: { gp3: "ebs.gp3-throughput" },
    description: "EBS provisioned throughput per MB/s-month, by volume type (gp3: above its free 125 MB/s)",
    unit: "MB/s-month",
    service: "AmazonEC2",
    productFamily: "Provisioned Throughput",
    usageType: "EBS:VolumeP-Throughput",
    per: { attribute: "volumeApiName", what: "EBS volume type" },
    scale: perMibps,
    unscale: times(1024),
  },
  albHour: {
    facts: "elb.alb-hour",
    description: "Application Load Balancer, per hour",
    unit: "h",
    service: "AWSELB",
    productFamily: "Load Balancer-Application",
    usageType: "LoadBalancerUsage",
  },
  albLcuHour: {
    facts: "elb.alb-lcu-hour",
    description: "Application Load Balancer capacity unit, per LCU-hour",
    unit: "LCU-hour",
    service: "AWSELB",
    productFamily: "Load Balancer-Application",
    usageType: "LCUUsage",
  },
  nlbHour: {
    facts: "elb.nlb-hour",
    description: "Network Load Balancer, per hour",
    unit: "h",
    service: "AWSELB",
    productFamily: "Load Balancer-Network",
    usageType: "LoadBalancerUsage",
  },
  nlbLcuHour: {
    facts: "elb.nlb-lcu-hour",
    description: "Network Load Balancer capacity unit, per NLCU-hour",
    unit: "NLCU-hour",
    service: "AWSELB",
    productFamily: "Load Balancer-Network",
    usageType: "LCUUsage",
  },
  clbHour: {
    facts: "elb.clb-hour",
    description: "Classic Load Balancer, per hour",
    unit: "h",
    service: "AWSELB",
    productFamily: "Load Balancer",
    usageType: "LoadBalancerUsage",
  },
  clbPerGb: {
    facts: "elb.clb-gb",
    description: "Classic Load Balancer data processed, per GB",
    unit: "GB",
    service: "AWSELB",
    productFamily: "Load Balancer",
    usageType: "DataProcessing-Bytes",
  },
  kmsKeyMonth: {
    facts: "kms.key-month",
    description: "KMS customer managed key, per key-month",
    unit: "key-month",
    service: "awskms",
    usageType: "KMS-Keys",
  },
  kmsPer10kRequests: {
    facts: "kms.requests",
    description: "KMS requests, per 10,000 (the API lists the price per request)",
    unit: "10,000 requests",
    service: "awskms",
    usageType: "KMS-Requests",
    scale: times(10_000),
    unscale: over(10_000),
  },
  s3StandardGbMonth: {
    facts: "s3.standard-storage",
    description: "S3 Standard storage, per GB-month (first tier)",
    unit: "GB-month",
    service: "AmazonS3",
    attributes: { storageClass: "General Purpose" },
    usageType: "TimedStorage-ByteHrs",
  },
  cloudwatchLogsIngestPerGb: {
    facts: "cloudwatch.logs-ingest-gb",
    description: "CloudWatch Logs ingestion (standard), per GB",
    unit: "GB",
    service: "AmazonCloudWatch",
    usageType: "DataProcessing-Bytes",
  },
  cloudwatchMetricMonth: {
    facts: "cloudwatch.metric-month",
    description: "CloudWatch custom metric, per metric-month (first tier)",
    unit: "metric-month",
    service: "AmazonCloudWatch",
    usageType: "CW:MetricMonitorUsage",
  },
  ampSamplesIngestedPer10M: {
    facts: "amp.samples-ingested",
    description:
      "Amazon Managed Service for Prometheus metric samples ingested, per 10 million samples (first tier: the first 2 billion a month; the API lists the price per sample)",
    unit: "10M samples",
    service: "AmazonPrometheus",
    usageType: "AMP:MetricSampleCount",
    scale: times(10_000_000),
    unscale: over(10_000_000),
  },
  ampStorageGbMonth: {
    facts: "amp.storage",
    description:
      "Amazon Managed Service for Prometheus metrics stored (samples and metadata), per GB-month (1 GB = 2^30 bytes)",
    unit: "GB-month",
    service: "AmazonPrometheus",
    usageType: "AMP:MetricStorageByteHrs",
  },
  ampQuerySamplesPerBillion: {
    facts: "amp.query-samples",
    description:
      "Amazon Managed Service for Prometheus query samples processed (QueryMetric API), per billion samples (the API lists the price per sample)",
    unit: "billion samples",
    service: "AmazonPrometheus",
    usageType: "AMP:QuerySamplesProcessed",
    scale: times(1_000_000_000),
    unscale: over(1_000_000_000),
  },
  costExplorerApiRequest: {
    facts: "costexplorer.api-request",
    description: "Cost Explorer API request",
    unit: "request",
    service: "AWSCostExplorer",
    usageType: "APIRequest",
    global: true,
  },
} as const satisfies Record<string, PriceKeyDeclaration>;

export const PRICE_KEYS = { ...CORE_PRICE_KEYS, ...SERVICE_PRICE_KEYS } as const satisfies Record<
  string,
  PriceKeyDeclaration
>;

export type PriceKey = keyof typeof PRICE_KEYS;
/** The prices that hold one figure per instance type, volume type, … */
export type PerPriceKey = {
  [K in PriceKey]: (typeof PRICE_KEYS)[K] extends { per: object } ? K : never;
}[PriceKey];
export type ScalarPriceKey = Exclude<PriceKey, PerPriceKey>;
export type RequiredPriceKey = {
  [K in ScalarPriceKey]: (typeof PRICE_KEYS)[K] extends { required: true } ? K : never;
}[ScalarPriceKey];

export const priceKeyNames = Object.keys(PRICE_KEYS) as PriceKey[];

const resolved = new Map<PriceKey, PriceKeyDeclaration>();

/** A key's declaration, its Price List identification filled in from its facts component when it names none. */
export function declarationOf(key: PriceKey): PriceKeyDeclaration {
  const known = resolved.get(key);
  if (known) return known;
  const declaration: PriceKeyDeclaration = PRICE_KEYS[key];
  const made =
    declaration.service || typeof declaration.facts !== "string"
      ? declaration
      : { ...identificationOf(factsComponent(declaration.facts)), ...declaration };
  resolved.set(key, made);
  return made;
}

/** A component of the price facts, by id; an unknown id is a defect of the declarations. */
export function factsComponent(id: string): PriceComponent {
  const component = priceFacts().components.find((c) => c.id === id);
  if (!component) throw new Error(`the price facts have no component ${id}`);
  return component;
}

/**
 * What GetProducts is asked for a component: its usage type and attributes. A usage type that names the variant
 * is left out, unless no attribute names it (MSK, MQ): then each variant is asked by its own usage type.
 */
function identificationOf(component: PriceComponent): Partial<PriceKeyDeclaration> {
  const attributes = Object.fromEntries(
    Object.entries(component.attributes).filter(([, value]) => !value.includes("{variant}")),
  );
  return {
    service: component.servicecode,
    productFamily: component.productFamily,
    ...(!component.usagetype.includes("{variant}")
      ? { usageType: component.usagetype }
      : Object.values(component.attributes).some((value) => value.includes("{variant}"))
        ? {} // an attribute names the variant: asked in ANY_OF lists of it
        : { variantUsageType: component.usagetype }),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...(component.prefix === "never" ? { global: true } : {}),
  };
}
