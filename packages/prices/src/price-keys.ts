import { exact } from "./money.js";

/**
 * Every price the table holds, declared once: what it is, its unit, and where the AWS Price List API keeps it.
 * The table's schema (table.ts), the refresh from the Price List API (price-list.ts) and the pricers all read
 * these declarations, so adding a price is its declaration here and the pricer that uses it; the snapshot then
 * gets its figures from a refresh (until then the price is missing, and what needs it is not priced).
 *
 * A price with `per` holds one figure per value of a product attribute (an instance type, a volume type), read
 * from that attribute of each Price List product. `required` prices must be in every region of a table.
 */
export interface PriceKeyDeclaration {
  description: string;
  /** the unit of the figure the table stores, as the comment writes it ("h", "GB", "GiB-month") */
  unit: string;
  /** the Price List service code */
  service: string;
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
  /** from the API's price and unit to the stored unit (e.g. per request → per 10,000 requests) */
  scale?: (usd: string, apiUnit: string) => string;
  required?: boolean;
}

const times = (factor: number) => (usd: string) => exact(usd).times(factor).toFixed();

/** gp3 throughput is listed per GiB/s-month; the table holds it per MiB/s-month (gp3 is set in MiB/s). */
const perMibps = (usd: string, apiUnit: string) =>
  apiUnit.startsWith("GiB") ? exact(usd).dividedBy(1024).toFixed() : usd;

const LINUX_ON_DEMAND = {
  operatingSystem: "Linux",
  tenancy: "Shared",
  preInstalledSw: "NA",
  capacitystatus: "Used",
} as const;

export const PRICE_KEYS = {
  eksClusterHour: {
    description: "EKS control plane, standard support, per cluster-hour",
    unit: "h",
    service: "AmazonEKS",
    usageType: "AmazonEKS-Hours:perCluster",
    required: true,
  },
  eksExtendedSupportClusterHour: {
    description:
      "EKS extended-support surcharge per cluster-hour, billed on top of eksClusterHour while the cluster's version is in extended support (the surcharge alone, not the whole rate)",
    unit: "h",
    service: "AmazonEKS",
    usageType: "AmazonEKS-Hours:extendedSupport",
    required: true,
  },
  ec2InstanceHour: {
    description: "EC2 on-demand Linux, shared tenancy, per instance-hour",
    unit: "h",
    service: "AmazonEC2",
    productFamily: "Compute Instance",
    attributes: LINUX_ON_DEMAND,
    allow: { licenseModel: ["No License required"] },
    per: { attribute: "instanceType", what: "instance type" },
  },
  natGatewayHour: {
    description: "NAT gateway, per hour",
    unit: "h",
    service: "AmazonEC2",
    productFamily: "NAT Gateway",
    usageType: "NatGateway-Hours",
    required: true,
  },
  natGatewayPerGb: {
    description: "NAT gateway data processed, per GB",
    unit: "GB",
    service: "AmazonEC2",
    productFamily: "NAT Gateway",
    usageType: "NatGateway-Bytes",
    required: true,
  },
  publicIpv4Hour: {
    description: "public IPv4 address in use, per address-hour",
    unit: "h",
    service: "AmazonVPC",
    usageType: "PublicIPv4:InUseAddress",
    required: true,
  },
  ebsStorageGbMonth: {
    description: "EBS volume storage, per GiB-month, by volume type",
    unit: "GiB-month",
    service: "AmazonEC2",
    productFamily: "Storage",
    usageType: "EBS:VolumeUsage",
    per: { attribute: "volumeApiName", what: "EBS volume type" },
  },
  ebsIopsMonth: {
    description: "EBS provisioned IOPS per IOPS-month, by volume type (gp3: above its free 3,000)",
    unit: "IOPS-month",
    service: "AmazonEC2",
    productFamily: "System Operation",
    usageType: "EBS:VolumeP-IOPS",
    per: { attribute: "volumeApiName", what: "EBS volume type" },
  },
  ebsThroughputMibpsMonth: {
    description: "EBS provisioned throughput per MB/s-month, by volume type (gp3: above its free 125 MB/s)",
    unit: "MB/s-month",
    service: "AmazonEC2",
    productFamily: "Provisioned Throughput",
    usageType: "EBS:VolumeP-Throughput",
    per: { attribute: "volumeApiName", what: "EBS volume type" },
    scale: perMibps,
  },
  albHour: {
    description: "Application Load Balancer, per hour",
    unit: "h",
    service: "AWSELB",
    productFamily: "Load Balancer-Application",
    usageType: "LoadBalancerUsage",
    required: true,
  },
  albLcuHour: {
    description: "Application Load Balancer capacity unit, per LCU-hour",
    unit: "LCU-hour",
    service: "AWSELB",
    productFamily: "Load Balancer-Application",
    usageType: "LCUUsage",
    required: true,
  },
  nlbHour: {
    description: "Network Load Balancer, per hour",
    unit: "h",
    service: "AWSELB",
    productFamily: "Load Balancer-Network",
    usageType: "LoadBalancerUsage",
    required: true,
  },
  nlbLcuHour: {
    description: "Network Load Balancer capacity unit, per NLCU-hour",
    unit: "NLCU-hour",
    service: "AWSELB",
    productFamily: "Load Balancer-Network",
    usageType: "LCUUsage",
    required: true,
  },
  clbHour: {
    description: "Classic Load Balancer, per hour",
    unit: "h",
    service: "AWSELB",
    productFamily: "Load Balancer",
    usageType: "LoadBalancerUsage",
    required: true,
  },
  clbPerGb: {
    description: "Classic Load Balancer data processed, per GB",
    unit: "GB",
    service: "AWSELB",
    productFamily: "Load Balancer",
    usageType: "DataProcessing-Bytes",
    required: true,
  },
  kmsKeyMonth: {
    description: "KMS customer managed key, per key-month",
    unit: "key-month",
    service: "awskms",
    usageType: "KMS-Keys",
    required: true,
  },
  kmsPer10kRequests: {
    description: "KMS requests, per 10,000 (the API lists the price per request)",
    unit: "10,000 requests",
    service: "awskms",
    usageType: "KMS-Requests",
    scale: times(10_000),
    required: true,
  },
  s3StandardGbMonth: {
    description: "S3 Standard storage, per GB-month (first tier)",
    unit: "GB-month",
    service: "AmazonS3",
    attributes: { storageClass: "General Purpose" },
    usageType: "TimedStorage-ByteHrs",
    required: true,
  },
  cloudwatchLogsIngestPerGb: {
    description: "CloudWatch Logs ingestion (standard), per GB",
    unit: "GB",
    service: "AmazonCloudWatch",
    usageType: "DataProcessing-Bytes",
    required: true,
  },
  cloudwatchMetricMonth: {
    description: "CloudWatch custom metric, per metric-month (first tier)",
    unit: "metric-month",
    service: "AmazonCloudWatch",
    usageType: "CW:MetricMonitorUsage",
    required: true,
  },
  ampSamplesIngestedPer10M: {
    description:
      "Amazon Managed Service for Prometheus metric samples ingested, per 10 million samples (first tier: the first 2 billion a month; the API lists the price per sample)",
    unit: "10M samples",
    service: "AmazonPrometheus",
    usageType: "AMP:MetricSampleCount",
    scale: times(10_000_000),
  },
  ampStorageGbMonth: {
    description:
      "Amazon Managed Service for Prometheus metrics stored (samples and metadata), per GB-month (1 GB = 2^30 bytes)",
    unit: "GB-month",
    service: "AmazonPrometheus",
    usageType: "AMP:MetricStorageByteHrs",
  },
  ampQuerySamplesPerBillion: {
    description:
      "Amazon Managed Service for Prometheus query samples processed (QueryMetric API), per billion samples (the API lists the price per sample)",
    unit: "billion samples",
    service: "AmazonPrometheus",
    usageType: "AMP:QuerySamplesProcessed",
    scale: times(1_000_000_000),
  },
  costExplorerApiRequest: {
    description: "Cost Explorer API request",
    unit: "request",
    service: "AWSCostExplorer",
    usageType: "APIRequest",
    global: true,
    required: true,
  },
} as const satisfies Record<string, PriceKeyDeclaration>;

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

export function declarationOf(key: PriceKey): PriceKeyDeclaration {
  return PRICE_KEYS[key];
}
