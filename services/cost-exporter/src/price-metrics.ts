import {
  instanceTypeCapacity,
  type Money,
  type PriceTable,
  type RegionPrices,
  splitNodePrice,
} from "@platform/prices";
import { Gauge, type Registry } from "prom-client";
import {
  type NodeRootVolume,
  PRICE_TABLE,
  type StackResourceKind,
  type StackSettingsValues,
} from "./stack-settings.js";

export interface PriceMetricsOptions {
  region: string;
  instanceTypes: readonly string[];
  stack?: string | undefined;
  resources: Partial<Record<StackResourceKind, number>>;
  nodeRootVolume?: NodeRootVolume | undefined;
  /** YYYY-MM-DD: from this UTC day on, the control plane is billed extended support. */
  eksExtendedSupportFrom?: string | undefined;
  now: () => number;
  table?: PriceTable;
}

/** The options of the exporter's settings (stack-settings.ts), read at scrape time against `now`. */
export function priceMetricsOptionsFrom(config: StackSettingsValues, now: () => number): PriceMetricsOptions {
  return {
    region: config.PRICE_REGION,
    instanceTypes: config.PRICE_INSTANCE_TYPES,
    stack: config.STACK_NAME,
    resources: config.STACK_RESOURCES,
    nodeRootVolume: config.NODE_ROOT_VOLUME,
    eksExtendedSupportFrom: config.EKS_EXTENDED_SUPPORT_FROM,
    now,
  };
}

/** A gauge with a `region` label and `labelNames`, registered where the exporter's metrics are. */
type PriceGauge = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
) => Gauge<"region" | L>;

/** A price as a float, made once from the exact decimal (the table's digits, e.g. 0.0832). */
const float = (price: Money) => Number(price.toString());
/** Sets a gauge only for a price the table has in the region (a missing price is no series, never 0). */
function setKnown<L extends string>(
  g: Gauge<L>,
  labels: Partial<Record<L, string>>,
  price: Money | undefined,
) {
  if (price !== undefined) g.set(labels, float(price));
}

/**
 * Prices from `@platform/prices` (the table `npm run cost` reads) and the stack's parts outside Kubernetes,
 * as a small, bounded set of gauges: a few per configured instance type, one or three per other kind. The
 * live-cost recording rules (alerts/rules/live-cost.ts) multiply them with what kube-state-metrics reports.
 * Nothing here calls AWS: the values are fixed at start, except whether extended support has begun.
 */
export function registerPriceMetrics(registry: Registry, options: PriceMetricsOptions): void {
  const table = options.table ?? PRICE_TABLE;
  const prices = table.regions.get(options.region);
  if (!prices) throw new Error(`no prices for region ${options.region} in the price table`);
  const registers = [registry];
  const region = options.region;
  const gauge: PriceGauge = (name, help, labelNames) =>
    new Gauge({ name, help, labelNames: ["region", ...labelNames] as const, registers });

  new Gauge({
    name: "aws_price_table_info",
    help: "Always 1: the price table the prices come from (its region and the date its prices were current).",
    labelNames: ["region", "recorded"] as const,
    registers,
  }).set({ region, recorded: table.recorded }, 1);
  new Gauge({
    name: "aws_price_table_month_seconds",
    help: "Length of the price table's month (730 hours): a monthly price over this, times 3600, is hourly.",
    registers,
  }).set(float(table.hoursPerMonth.times(3600)));

  instancePrices(gauge, region, prices, options.instanceTypes);

  const ebs = gauge(
    "aws_price_ebs_usd_per_gib_month",
    "EBS storage price by volume type, US dollars per GiB-month.",
    ["volume_type"],
  );
  for (const [volume_type, price] of prices.ebsStorageGbMonth) ebs.set({ region, volume_type }, float(price));
  const loadBalancer = gauge(
    "aws_price_load_balancer_usd_per_hour",
    "Elastic Load Balancing hourly price by type (capacity units not included), US dollars per hour.",
    ["type"],
  );
  setKnown(loadBalancer, { region, type: "application" }, prices.albHour);
  setKnown(loadBalancer, { region, type: "network" }, prices.nlbHour);
  setKnown(loadBalancer, { region, type: "classic" }, prices.clbHour);
  setKnown(
    gauge("aws_price_nat_gateway_usd_per_hour", "NAT gateway price, US dollars per hour.", []),
    { region },
    prices.natGatewayHour,
  );
  setKnown(
    gauge(
      "aws_price_public_ipv4_usd_per_hour",
      "Public IPv4 address price, US dollars per address-hour.",
      [],
    ),
    { region },
    prices.publicIpv4Hour,
  );
  setKnown(
    gauge(
      "aws_price_eks_cluster_usd_per_hour",
      "EKS control plane price in standard support, US dollars per cluster-hour.",
      [],
    ),
    { region },
    prices.eksClusterHour,
  );
  setKnown(
    gauge(
      "aws_price_eks_extended_support_usd_per_hour",
      "Surcharge per cluster-hour, on top of the standard price, while the cluster's version is in extended support.",
      [],
    ),
    { region },
    prices.eksExtendedSupportClusterHour,
  );
  setKnown(
    gauge("aws_price_kms_key_usd_per_month", "KMS customer managed key price, US dollars per key-month.", []),
    { region },
    prices.kmsKeyMonth,
  );

  if (options.stack !== undefined) stackMetrics(registers, options.stack, region, options);
}

/** Each configured instance type's hourly price, and its CPU and memory parts as OpenCost splits it. */
function instancePrices(
  gauge: PriceGauge,
  region: string,
  prices: RegionPrices,
  instanceTypes: readonly string[],
): void {
  const instance = gauge(
    "aws_price_ec2_instance_usd_per_hour",
    "On-demand Linux price of an instance type, US dollars per instance-hour.",
    ["instance_type"],
  );
  const vcpu = gauge(
    "aws_price_ec2_instance_vcpu_usd_per_hour",
    "The instance price's CPU part as OpenCost splits it, US dollars per vCPU-hour.",
    ["instance_type"],
  );
  const memory = gauge(
    "aws_price_ec2_instance_memory_usd_per_gib_hour",
    "The instance price's memory part as OpenCost splits it, US dollars per GiB-hour.",
    ["instance_type"],
  );
  for (const instance_type of new Set(instanceTypes)) {
    const hourly = prices.ec2InstanceHour.get(instance_type);
    if (hourly === undefined) continue;
    instance.set({ region, instance_type }, float(hourly));
    const shape = instanceTypeCapacity(instance_type);
    if (!shape) continue;
    const split = splitNodePrice(hourly, shape.vcpu, shape.memoryGiB);
    vcpu.set({ region, instance_type }, float(split.perVcpuHour));
    memory.set({ region, instance_type }, float(split.perGiBHour));
  }
}

/** The stack this exporter reports for: its parts outside Kubernetes, counted at each scrape. */
function stackMetrics(
  registers: Registry[],
  stack: string,
  region: string,
  options: PriceMetricsOptions,
): void {
  new Gauge({
    name: "aws_stack_info",
    help: "Always 1: the stack this exporter reports for, and its region.",
    labelNames: ["stack", "region"] as const,
    registers,
  }).set({ stack, region }, 1);
  const extendedFrom =
    options.eksExtendedSupportFrom === undefined
      ? undefined
      : Date.parse(`${options.eksExtendedSupportFrom}T00:00:00Z`);
  const resources = options.resources;
  new Gauge({
    name: "aws_stack_resources",
    help: "What the stack pays AWS for outside Kubernetes, by kind (eks_extended_support: clusters now billed the surcharge).",
    labelNames: ["stack", "resource"] as const,
    registers,
    collect() {
      this.reset();
      for (const [resource, count] of Object.entries(resources)) this.set({ stack, resource }, count);
      const clusters = resources.eks_cluster ?? 0;
      const extended = extendedFrom !== undefined && options.now() >= extendedFrom ? clusters : 0;
      this.set({ stack, resource: "eks_extended_support" }, extended);
    },
  });
  if (options.nodeRootVolume) {
    new Gauge({
      name: "aws_stack_node_root_volume_gib",
      help: "Size of every node's root volume (an EBS volume outside Kubernetes' persistent volumes), GiB.",
      labelNames: ["stack", "volume_type"] as const,
      registers,
    }).set({ stack, volume_type: options.nodeRootVolume.volumeType }, options.nodeRootVolume.sizeGiB);
  }
}
