import { arrayAt, at, boundedAt, type PricedInput, stringAt } from "../inputs.js";
import { BOUNDS } from "../limits.js";
import { joinText, literal, type Text, t, value } from "../text.js";
import { ebsFigures, priceEbsVolumes } from "./ebs.js";
import { PriceSheet, type PricingContext, type ResourceIndex, type ResourcePrice } from "./types.js";

const DEFAULT_NODE_INSTANCE_TYPE = "t3.medium"; // EKS managed node group default
const DEFAULT_NODE_DISK_GIB = 20; // EKS managed node group default root volume
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** What one node of a node group is: its instance type and root volume. */
export interface NodeSpec {
  instanceType: string | undefined;
  /** the other types the group may launch; priced as the first */
  otherInstanceTypes: string[];
  rootVolume: { volumeType: string; sizeGiB: number; iops?: number; throughput?: number } | undefined;
  /** why the root volume is not known */
  rootVolumeUnknown?: Text;
  spot: boolean;
}

/**
 * A node group names its launch template by id, which is unknown before apply; match on a known name or id,
 * and fall back to the only template in the stack.
 */
function matchLaunchTemplate(inputs: Record<string, unknown>, resources: ResourceIndex) {
  const templates = resources.ofType(LAUNCH_TEMPLATE);
  const id = stringAt(inputs, "launchTemplate.id");
  const name = stringAt(inputs, "launchTemplate.name");
  const named = templates.find(
    (template) =>
      (name !== undefined && (stringAt(template.inputs, "name") === name || template.name === name)) ||
      id?.startsWith(template.name) === true,
  );
  return named ?? (templates.length === 1 ? templates[0] : undefined);
}

/** The size of the volume a launch template gives each node: its first block device mapping with a size. */
function templateRootVolume(template: PricedInput | undefined) {
  const mappings = template ? arrayAt(template.inputs, "blockDeviceMappings") : undefined;
  const index = (mappings ?? []).findIndex((m) => at(m, "ebs.volumeSize") !== undefined);
  if (!template || index === -1) return undefined;
  const mapping = (mappings ?? [])[index];
  const figures = ebsFigures(template, mapping, {
    size: "ebs.volumeSize",
    iops: "ebs.iops",
    throughput: "ebs.throughput",
  });
  return {
    volumeType: stringAt(mapping, "ebs.volumeType") ?? "gp3",
    sizeGiB: figures.sizeGiB ?? 0,
    ...(figures.iops !== undefined ? { iops: figures.iops } : {}),
    ...(figures.throughput !== undefined ? { throughput: figures.throughput } : {}),
  };
}

export function nodeSpecOf(nodeGroup: PricedInput, resources: ResourceIndex): NodeSpec {
  return resources.memo(nodeGroup, () => readNodeSpec(nodeGroup, resources));
}

function readNodeSpec(nodeGroup: PricedInput, resources: ResourceIndex): NodeSpec {
  const { inputs } = nodeGroup;
  const usesTemplate = at(inputs, "launchTemplate") !== undefined;
  const template = usesTemplate ? matchLaunchTemplate(inputs, resources) : undefined;
  const listed = (arrayAt(inputs, "instanceTypes") ?? []).filter((i): i is string => typeof i === "string");
  let instanceType: string | undefined;
  if (listed.length > 0) instanceType = listed[0];
  else if (usesTemplate) instanceType = template && stringAt(template.inputs, "instanceType");
  else instanceType = DEFAULT_NODE_INSTANCE_TYPE;
  const spot = stringAt(inputs, "capacityType") === "SPOT";
  const base = { instanceType, otherInstanceTypes: listed.slice(1), spot };
  if (!usesTemplate) {
    const disk = boundedAt(nodeGroup, "diskSize", BOUNDS.ebsSizeGiB);
    return { ...base, rootVolume: { volumeType: "gp3", sizeGiB: disk ?? DEFAULT_NODE_DISK_GIB } };
  }
  const rootVolume = templateRootVolume(template);
  if (!rootVolume) {
    return {
      ...base,
      rootVolume: undefined,
      rootVolumeUnknown: t`root volume size comes from the launch template's AMI defaults`,
    };
  }
  return { ...base, rootVolume };
}

/** `count` nodes of a spec: instance-hours and root volumes. */
export function priceNodes(sheet: PriceSheet, spec: NodeSpec, count: number, label = ""): void {
  const prefix = label ? `${label} ` : "";
  if (!spec.instanceType) {
    sheet.cannotPrice(t`instance type not known until apply`);
    return;
  }
  const perHour = sheet.price("ec2InstanceHour", spec.instanceType);
  if (perHour === undefined) {
    sheet.cannotPrice(t`instance type ${spec.instanceType} is not in the price table for this region`);
  } else {
    sheet.hourly(
      t`${literal(prefix)}${value(spec.instanceType)} instances`,
      value(spec.instanceType),
      perHour,
      count,
    );
  }
  if (spec.rootVolume) {
    priceEbsVolumes(sheet, { ...spec.rootVolume, count, label: `${prefix}root volumes` });
  } else if (spec.rootVolumeUnknown) {
    sheet.cannotPrice(spec.rootVolumeUnknown);
  }
}

/** A node group's desired, minimum and maximum sizes, each within what EKS accepts. */
export function nodeGroupSizes(nodeGroup: PricedInput) {
  return {
    desired: boundedAt(nodeGroup, "scalingConfig.desiredSize", BOUNDS.nodeCount),
    min: boundedAt(nodeGroup, "scalingConfig.minSize", BOUNDS.nodeCount),
    max: boundedAt(nodeGroup, "scalingConfig.maxSize", BOUNDS.nodeCount),
  };
}

export function priceNodeGroup(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const count = nodeGroupSizes(resource).desired;
  if (count === undefined) {
    sheet.cannotPrice(t`scalingConfig.desiredSize not known until apply`);
    return sheet.result();
  }
  const spec = nodeSpecOf(resource, context.resources);
  priceNodes(sheet, spec, count);
  if (spec.spot) sheet.note(t`SPOT capacity priced at the on-demand rate (an upper bound)`);
  if (spec.otherInstanceTypes.length > 0) {
    const others = joinText(
      spec.otherInstanceTypes.map((type) => t`${type}`),
      ", ",
    );
    sheet.note(
      t`priced as ${value(spec.instanceType ?? "")}, the first of instanceTypes; EKS may also launch ${others}`,
    );
  }
  return sheet.result();
}

/**
 * An Auto Scaling group: `desiredCapacity` (else `minSize`) instances of its launch template's instance type, and
 * their root volumes, as a node group's. A group of several instance types (`mixedInstancesPolicy`) or a launch
 * configuration is not priced: which types run is not known from the preview.
 */
export function priceAutoScalingGroup(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const { inputs } = resource;
  if (at(inputs, "mixedInstancesPolicy") !== undefined || at(inputs, "launchTemplate") === undefined) {
    sheet.cannotPrice(
      t`only an Auto Scaling group with one launch template is priced (not mixedInstancesPolicy, not a launch configuration)`,
    );
    return sheet.result();
  }
  const count =
    boundedAt(resource, "desiredCapacity", BOUNDS.exactUnits) ??
    boundedAt(resource, "minSize", BOUNDS.exactUnits);
  if (count === undefined) {
    sheet.cannotPrice(t`desiredCapacity and minSize not known until apply`);
    return sheet.result();
  }
  priceNodes(sheet, nodeSpecOf(resource, context.resources), count);
  return sheet.result();
}
