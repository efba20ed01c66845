import type { RegionPrices } from "./prices";

/** A resource as the program declares it: Pulumi type token, logical name and inputs. */
export interface PricedInput {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** A charge billed by use rather than by time or size; shown with its unit price, never totalled. */
export interface UsageCharge {
  item: string;
  unitPrice: number;
  unit: string;
}

export interface ResourcePrice {
  /** time- and size-based charges per month (hourly × hours per month) */
  monthly: number;
  /** how the figure was made, e.g. "2 × t3.medium + 2 × 20 GiB gp3" */
  detail: string;
  /** parts that could not be priced, with the reason; never silently counted as $0 */
  unpriced: string[];
  usage: UsageCharge[];
}

/** What pricing one resource may need to know about the others in the same stack. */
export interface PricingContext {
  prices: RegionPrices;
  hoursPerMonth: number;
  /** launch templates in the same state, for node groups that take their disk and type from one */
  launchTemplates: PricedInput[];
}

/** Pulumi marks values that are not known until apply with this sentinel in preview output. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const DEFAULT_NODE_INSTANCE_TYPE = "t3.medium"; // EKS managed node group default
const DEFAULT_NODE_DISK_GIB = 20; // EKS managed node group default root volume

function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function known<T>(value: T | undefined): T | undefined {
  return value === UNKNOWN ? undefined : value;
}

function numberAt(value: unknown, path: string): number | undefined {
  const found = known(at(value, path));
  if (typeof found === "number") return found;
  if (typeof found === "string" && found.trim() !== "" && Number.isFinite(Number(found)))
    return Number(found);
  return undefined;
}

function stringAt(value: unknown, path: string): string | undefined {
  const found = known(at(value, path));
  return typeof found === "string" ? found : undefined;
}

const QUANTITY_GIB: Record<string, number> = {
  Ki: 1 / 1024 ** 2,
  Mi: 1 / 1024,
  Gi: 1,
  Ti: 1024,
  Pi: 1024 ** 2,
  k: 1e3 / 1024 ** 3,
  M: 1e6 / 1024 ** 3,
  G: 1e9 / 1024 ** 3,
  T: 1e12 / 1024 ** 3,
  P: 1e15 / 1024 ** 3,
  "": 1 / 1024 ** 3,
};

/**
 * A Kubernetes storage quantity ("50Gi", "10G") as whole GiB, rounded up the way the EBS CSI
 * driver sizes the volume it creates.
 */
export function quantityToGiB(quantity: unknown): number | undefined {
  if (typeof quantity === "number") return Math.ceil(quantity / 1024 ** 3);
  if (typeof quantity !== "string") return undefined;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P|)\s*$/.exec(quantity);
  if (!match) return undefined;
  const factor = QUANTITY_GIB[match[2] ?? ""];
  if (factor === undefined) return undefined;
  return Math.ceil(Number(match[1]) * factor - 1e-9);
}

class PriceBuilder {
  monthly = 0;
  parts: string[] = [];
  unpriced: string[] = [];
  usage: UsageCharge[] = [];

  constructor(private readonly context: PricingContext) {}

  hourly(label: string, perHour: number, count = 1): void {
    this.monthly += perHour * count * this.context.hoursPerMonth;
    this.parts.push(count === 1 ? label : `${count} × ${label}`);
  }

  monthlyFixed(label: string, perMonth: number, count = 1): void {
    this.monthly += perMonth * count;
    this.parts.push(count === 1 ? label : `${count} × ${label}`);
  }

  ebs(volumeType: string, sizeGiB: number, count = 1, iops?: number, throughput?: number): void {
    const { ebs } = this.context.prices;
    if (volumeType === "gp3") {
      const extraIops = Math.max(0, (iops ?? 3000) - 3000);
      const extraThroughput = Math.max(0, (throughput ?? 125) - 125);
      const perVolume =
        sizeGiB * ebs.gp3GbMonth +
        extraIops * ebs.gp3IopsMonth +
        extraThroughput * ebs.gp3ThroughputMbpsMonth;
      this.monthly += perVolume * count;
      const extras = [
        extraIops ? `+${extraIops} IOPS` : "",
        extraThroughput ? `+${extraThroughput} MB/s` : "",
      ]
        .filter(Boolean)
        .join(" ");
      this.parts.push(`${count === 1 ? "" : `${count} × `}${sizeGiB} GiB gp3${extras ? ` ${extras}` : ""}`);
    } else if (volumeType === "gp2") {
      this.monthly += sizeGiB * ebs.gp2GbMonth * count;
      this.parts.push(`${count === 1 ? "" : `${count} × `}${sizeGiB} GiB gp2`);
    } else {
      this.unpriced.push(`EBS volume type ${volumeType} is not in the price table`);
    }
  }

  instances(instanceType: string | undefined, count: number): void {
    if (!instanceType) {
      this.unpriced.push("instance type not known until apply");
      return;
    }
    const perHour = this.context.prices.ec2InstanceHour[instanceType];
    if (perHour === undefined) {
      this.unpriced.push(`instance type ${instanceType} is not in the price table for this region`);
      return;
    }
    this.hourly(instanceType, perHour, count);
  }

  /** Says where the last part came from, e.g. which Helm value asked for a volume. */
  labelLastPart(where: string): void {
    const last = this.parts.length - 1;
    if (last >= 0) this.parts[last] = `${where}: ${this.parts[last]}`;
  }

  usageCharge(item: string, unitPrice: number, unit: string): void {
    this.usage.push({ item, unitPrice, unit });
  }

  result(): ResourcePrice {
    return {
      monthly: this.monthly,
      detail: this.parts.join(" + "),
      unpriced: this.unpriced,
      usage: this.usage,
    };
  }
}

function priceNodeGroup(resource: PricedInput, price: PriceBuilder, context: PricingContext): void {
  const { inputs } = resource;
  const count = numberAt(inputs, "scalingConfig.desiredSize");
  const usesTemplate = Boolean(known(at(inputs, "launchTemplate")));
  const template = usesTemplate ? matchLaunchTemplate(inputs, context.launchTemplates) : undefined;
  const instanceTypes = known(at(inputs, "instanceTypes"));
  let instanceType: string | undefined;
  if (Array.isArray(instanceTypes) && instanceTypes.length > 0) {
    instanceType = known(instanceTypes[0]) as string | undefined;
  } else if (usesTemplate) {
    instanceType = template && stringAt(template.inputs, "instanceType");
  } else {
    instanceType = DEFAULT_NODE_INSTANCE_TYPE;
  }
  if (count === undefined) {
    price.unpriced.push("scalingConfig.desiredSize not known until apply");
    return;
  }
  price.instances(instanceType, count);
  if (stringAt(inputs, "capacityType") === "SPOT") {
    price.unpriced.push("SPOT capacity is priced at the on-demand rate (an upper bound)");
  }
  if (!usesTemplate) {
    price.ebs("gp3", numberAt(inputs, "diskSize") ?? DEFAULT_NODE_DISK_GIB, count);
    return;
  }
  const mappings = template ? known(at(template.inputs, "blockDeviceMappings")) : undefined;
  const sized = Array.isArray(mappings)
    ? mappings.filter((m) => numberAt(m, "ebs.volumeSize") !== undefined)
    : [];
  if (sized.length === 0) {
    price.unpriced.push("root volume size comes from the launch template's AMI defaults");
  }
  for (const mapping of sized) {
    price.ebs(
      stringAt(mapping, "ebs.volumeType") ?? "gp3",
      numberAt(mapping, "ebs.volumeSize") ?? 0,
      count,
      numberAt(mapping, "ebs.iops"),
      numberAt(mapping, "ebs.throughput"),
    );
  }
}

/**
 * A node group names its launch template by id, which is unknown before apply; match on a known
 * name or id, and fall back to the only template in the stack.
 */
function matchLaunchTemplate(
  inputs: Record<string, unknown>,
  templates: PricedInput[],
): PricedInput | undefined {
  const id = stringAt(inputs, "launchTemplate.id");
  const name = stringAt(inputs, "launchTemplate.name");
  const named = templates.find(
    (t) =>
      (name !== undefined && (stringAt(t.inputs, "name") === name || t.name === name)) ||
      id?.startsWith(t.name) === true,
  );
  return named ?? (templates.length === 1 ? templates[0] : undefined);
}

function priceLoadBalancer(
  kind: "application" | "network" | "classic",
  price: PriceBuilder,
  p: RegionPrices,
) {
  if (kind === "application") {
    price.hourly("ALB", p.albHour);
    price.usageCharge("ALB load balancer capacity units", p.albLcuHour, "LCU-hour");
  } else if (kind === "network") {
    price.hourly("NLB", p.nlbHour);
    price.usageCharge("NLB load balancer capacity units", p.nlbLcuHour, "NLCU-hour");
  } else {
    price.hourly("Classic LB", p.clbHour);
    price.usageCharge("Classic LB data processed", p.clbPerGb, "GB");
  }
}

/** Which AWS load balancer a Kubernetes Service of type LoadBalancer gets, from its annotations. */
function serviceLoadBalancerKind(service: unknown): "network" | "classic" {
  const annotations = (at(service, "metadata.annotations") ?? at(service, "annotations") ?? {}) as Record<
    string,
    unknown
  >;
  const type = annotations["service.beta.kubernetes.io/aws-load-balancer-type"];
  const loadBalancerClass =
    stringAt(service, "spec.loadBalancerClass") ?? stringAt(service, "loadBalancerClass");
  if (type === "nlb" || type === "external" || loadBalancerClass === "service.k8s.aws/nlb") return "network";
  return "classic";
}

/**
 * Helm values hold storage and Services as data: find every volumeClaimTemplate, enabled
 * persistence block and LoadBalancer service, multiplied by the nearest `replicas` above it.
 */
function priceHelmValues(values: unknown, price: PriceBuilder, p: RegionPrices): void {
  const visit = (node: unknown, path: string[], replicas: number): void => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return;
    const object = node as Record<string, unknown>;
    const ownReplicas = numberAt(object, "replicas");
    const copies = ownReplicas ?? replicas;
    const where = path.join(".");
    const claimSize = quantityToGiB(known(at(object, "volumeClaimTemplate.spec.resources.requests.storage")));
    if (claimSize !== undefined) {
      price.ebs("gp3", claimSize, copies);
      price.labelLastPart(where);
    }
    if (known(object.enabled) === true && path[path.length - 1] === "persistence") {
      const size = quantityToGiB(known(object.size));
      if (size !== undefined) {
        price.ebs("gp3", size, copies);
        price.labelLastPart(where);
      }
    }
    if (path[path.length - 1] === "service" && known(object.type) === "LoadBalancer") {
      priceLoadBalancer(serviceLoadBalancerKind(object), price, p);
      price.labelLastPart(where);
    }
    for (const [key, child] of Object.entries(object)) {
      if (key === "volumeClaimTemplate") continue;
      visit(child, [...path, key], copies);
    }
  };
  visit(values, [], 1);
}

function mentionsCostExplorer(inputs: Record<string, unknown>): boolean {
  return JSON.stringify(inputs).includes("ce:GetCostAndUsage");
}

/**
 * Monthly price of one resource, or undefined when the resource is not billed by itself
 * (IAM roles, subnets, security groups, Deployments, ...).
 */
export function priceResource(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const p = context.prices;
  const price = new PriceBuilder(context);
  const { inputs } = resource;
  switch (resource.type) {
    case "aws:eks/cluster:Cluster": {
      price.hourly("EKS control plane (standard support)", p.eksClusterHour);
      const logTypes = known(at(inputs, "enabledClusterLogTypes"));
      if (Array.isArray(logTypes) && logTypes.length > 0) {
        price.usageCharge(
          "EKS control plane logs (CloudWatch Logs ingestion)",
          p.cloudwatchLogsIngestPerGb,
          "GB",
        );
      }
      break;
    }
    case "aws:eks/nodeGroup:NodeGroup":
      priceNodeGroup(resource, price, context);
      break;
    case "aws:ec2/instance:Instance": {
      price.instances(stringAt(inputs, "instanceType"), 1);
      const rootSize = numberAt(inputs, "rootBlockDevice.volumeSize");
      if (rootSize !== undefined) {
        price.ebs(stringAt(inputs, "rootBlockDevice.volumeType") ?? "gp3", rootSize);
      }
      break;
    }
    case "aws:ec2/natGateway:NatGateway":
      price.hourly("NAT gateway", p.natGatewayHour);
      price.usageCharge("NAT gateway data processed", p.natGatewayPerGb, "GB");
      break;
    case "aws:ec2/eip:Eip":
      price.hourly("public IPv4 address", p.publicIpv4Hour);
      break;
    case "aws:ebs/volume:Volume": {
      const size = numberAt(inputs, "size");
      if (size === undefined) {
        price.unpriced.push("volume size not known until apply");
      } else {
        price.ebs(
          stringAt(inputs, "type") ?? "gp2",
          size,
          1,
          numberAt(inputs, "iops"),
          numberAt(inputs, "throughput"),
        );
      }
      break;
    }
    case "aws:lb/loadBalancer:LoadBalancer":
    case "aws:alb/loadBalancer:LoadBalancer": {
      const kind = stringAt(inputs, "loadBalancerType") ?? "application";
      if (kind === "application" || kind === "network") priceLoadBalancer(kind, price, p);
      else price.unpriced.push(`load balancer type ${kind} is not in the price table`);
      break;
    }
    case "aws:elb/loadBalancer:LoadBalancer":
      priceLoadBalancer("classic", price, p);
      break;
    case "aws:kms/key:Key":
      price.monthlyFixed("KMS key", p.kmsKeyMonth);
      price.usageCharge("KMS requests", p.kmsPer10kRequests, "10,000 requests");
      break;
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      price.usageCharge("S3 Standard storage", p.s3StandardGbMonth, "GB-month");
      break;
    case "aws:cloudwatch/logGroup:LogGroup":
      price.usageCharge("CloudWatch Logs ingestion", p.cloudwatchLogsIngestPerGb, "GB");
      break;
    case "kubernetes:core/v1:Service":
      if (stringAt(inputs, "spec.type") !== "LoadBalancer") return undefined;
      priceLoadBalancer(serviceLoadBalancerKind(inputs), price, p);
      break;
    case "kubernetes:core/v1:PersistentVolumeClaim": {
      const size = quantityToGiB(known(at(inputs, "spec.resources.requests.storage")));
      if (size === undefined) price.unpriced.push("claim size not known");
      else price.ebs("gp3", size);
      break;
    }
    case "kubernetes:apps/v1:StatefulSet": {
      const templates = known(at(inputs, "spec.volumeClaimTemplates"));
      if (!Array.isArray(templates) || templates.length === 0) return undefined;
      const replicas = numberAt(inputs, "spec.replicas") ?? 1;
      for (const template of templates) {
        const size = quantityToGiB(known(at(template, "spec.resources.requests.storage")));
        if (size !== undefined) price.ebs("gp3", size, replicas);
      }
      break;
    }
    case "kubernetes:helm.sh/v3:Release":
    case "kubernetes:helm.sh/v4:Chart":
      priceHelmValues(known(inputs.values), price, p);
      break;
    default:
      if (!mentionsCostExplorer(inputs)) return undefined;
  }
  if (mentionsCostExplorer(inputs)) {
    price.usageCharge("Cost Explorer API (cost exporter)", p.costExplorerApiRequest, "paginated request");
  }
  const result = price.result();
  if (result.monthly === 0 && result.usage.length === 0 && result.unpriced.length === 0) return undefined;
  return result;
}

/** Formats a unit price the way AWS lists it: cents always, and as many digits as $0.0055 needs. */
export function formatUnitPrice(n: number): string {
  const digits = n.toFixed(4).replace(/0{1,2}$/, "");
  return `$${digits}`;
}
