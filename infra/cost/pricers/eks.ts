import { exact, formatUnitPrice, type Money } from "@platform/prices";
import { AWS_DEFAULT_SUPPORT_TYPE } from "../../eks-support";
import { type EksVersion, eksVersion, supportPhase } from "../../kubernetes-versions";
import { component } from "../components";
import { arrayAt, at, numberAt, type PricedInput, stringAt } from "../inputs";
import { priceEbsVolumes } from "./ebs";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types";

const HOUR_MS = 3_600_000;
const DEFAULT_NODE_INSTANCE_TYPE = "t3.medium"; // EKS managed node group default
const DEFAULT_NODE_DISK_GIB = 20; // EKS managed node group default root volume

/** Hours of [from, to) that fall inside the estimated month. */
function hoursWithin(monthStart: Date, hoursPerMonth: Money, from: number, to: number): Money {
  const start = monthStart.getTime();
  const end = start + hoursPerMonth.toNumber() * HOUR_MS;
  const overlap = Math.max(0, Math.min(end, to) - Math.max(start, from));
  return exact(Math.round(overlap / HOUR_MS));
}

/**
 * The control plane: every cluster-hour at the standard rate, plus, for a cluster whose upgrade policy is
 * EXTENDED (or absent), the extended-support surcharge for the hours of the month in which its Kubernetes
 * version is past its end of standard support (dates from infra/kubernetes-versions.ts). EKS bills the two as
 * separate line items. A STANDARD cluster is upgraded at that date instead: no surcharge, a note says when.
 */
export function priceEksCluster(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const p = context.prices;
  sheet.hourly("EKS control plane", "cluster", p.eksClusterHour);
  const version = stringAt(resource.inputs, "version");
  const row = version ? eksVersion(version) : undefined;
  const supportType = stringAt(resource.inputs, "upgradePolicy.supportType") ?? AWS_DEFAULT_SUPPORT_TYPE;
  if (!version) {
    sheet.note("no Kubernetes version set: EKS picks its default, priced at the standard-support rate");
  } else if (supportType === "STANDARD") {
    sheet.note(automaticUpgradeNote(version, row, context.monthStart));
  } else if (!row) {
    sheet.cannotPrice(
      `Kubernetes ${version} is not in infra/kubernetes-versions.ts: whether the extended-support surcharge (${formatUnitPrice(p.eksExtendedSupportClusterHour)}/h on top of the standard rate) applies is not known`,
    );
  } else {
    priceExtendedSupport(sheet, version, row, context);
  }
  const logTypes = arrayAt(resource.inputs, "enabledClusterLogTypes");
  if (logTypes && logTypes.length > 0) {
    sheet.usageFor(
      {
        item: "EKS control plane logs (CloudWatch Logs ingestion)",
        unitPrice: p.cloudwatchLogsIngestPerGb,
        unit: "GB",
      },
      context.usage.eksControlPlaneLogsIngestedGb,
      "eksControlPlaneLogs.ingestedGb",
      (gb) => [[gb, "GB"]],
    );
  }
  return sheet.result();
}

/** When EKS upgrades a cluster whose upgrade policy is STANDARD: the end of its version's standard support. */
function automaticUpgradeNote(version: string, row: EksVersion | undefined, monthStart: Date): string {
  const prefix = `upgradePolicy STANDARD: no extended support is billed; EKS upgrades Kubernetes ${version} automatically`;
  if (!row) return `${prefix} when its standard support ends (not in infra/kubernetes-versions.ts)`;
  return supportPhase(row, monthStart) === "standard"
    ? `${prefix} when its standard support ends on ${row.endOfStandardSupport}`
    : `upgradePolicy STANDARD: no extended support is billed; EKS upgraded Kubernetes ${version} automatically when its standard support ended on ${row.endOfStandardSupport} (the program's version is behind the cluster's)`;
}

/** The surcharge of a cluster that enters extended support (upgrade policy EXTENDED), for the month's hours. */
function priceExtendedSupport(
  sheet: PriceSheet,
  version: string,
  row: EksVersion,
  context: PricingContext,
): void {
  const p = context.prices;
  const extendedFrom = Date.parse(`${row.endOfStandardSupport}T00:00:00Z`);
  const extendedTo = Date.parse(`${row.endOfExtendedSupport}T00:00:00Z`);
  const hours = hoursWithin(context.monthStart, context.hoursPerMonth, extendedFrom, extendedTo);
  const phase = supportPhase(row, context.monthStart);
  if (!hours.isZero()) {
    sheet.add(
      component(
        `EKS extended support (Kubernetes ${version}, past standard support from ${row.endOfStandardSupport})`,
        ["cluster", [hours, "h"]],
        p.eksExtendedSupportClusterHour,
        { unit: "hours", priceUnit: "h" },
      ),
    );
    sheet.warn(
      phase === "standard"
        ? `Kubernetes ${version} leaves standard support on ${row.endOfStandardSupport}: ${hours.toFixed()} of this month's hours are charged the extended-support surcharge. Upgrade the cluster (platform:kubernetesVersion) to avoid it.`
        : `Kubernetes ${version} is in extended support (standard support ended ${row.endOfStandardSupport}): the control plane costs ${formatUnitPrice(p.eksClusterHour.plus(p.eksExtendedSupportClusterHour))}/h instead of ${formatUnitPrice(p.eksClusterHour)}/h until the cluster is upgraded.`,
    );
  }
  const endedAt = Math.max(context.monthStart.getTime(), extendedTo);
  if (endedAt < context.monthStart.getTime() + context.hoursPerMonth.toNumber() * HOUR_MS) {
    sheet.note(
      `Kubernetes ${version} reaches the end of extended support on ${row.endOfExtendedSupport}: EKS then upgrades the cluster automatically`,
    );
  }
}

/** What one node of a node group is: its instance type and root volume. */
export interface NodeSpec {
  instanceType: string | undefined;
  /** the other types the group may launch; priced as the first */
  otherInstanceTypes: string[];
  rootVolume: { volumeType: string; sizeGiB: number; iops?: number; throughput?: number } | undefined;
  /** why the root volume is not known */
  rootVolumeUnknown?: string;
  spot: boolean;
}

/**
 * A node group names its launch template by id, which is unknown before apply; match on a known name or id,
 * and fall back to the only template in the stack.
 */
function matchLaunchTemplate(inputs: Record<string, unknown>, resources: readonly PricedInput[]) {
  const templates = resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
  const id = stringAt(inputs, "launchTemplate.id");
  const name = stringAt(inputs, "launchTemplate.name");
  const named = templates.find(
    (t) =>
      (name !== undefined && (stringAt(t.inputs, "name") === name || t.name === name)) ||
      id?.startsWith(t.name) === true,
  );
  return named ?? (templates.length === 1 ? templates[0] : undefined);
}

export function nodeSpecOf(nodeGroup: PricedInput, resources: readonly PricedInput[]): NodeSpec {
  const { inputs } = nodeGroup;
  const usesTemplate = at(inputs, "launchTemplate") !== undefined;
  const template = usesTemplate ? matchLaunchTemplate(inputs, resources) : undefined;
  const listed = (arrayAt(inputs, "instanceTypes") ?? []).filter((t): t is string => typeof t === "string");
  let instanceType: string | undefined;
  if (listed.length > 0) instanceType = listed[0];
  else if (usesTemplate) instanceType = template && stringAt(template.inputs, "instanceType");
  else instanceType = DEFAULT_NODE_INSTANCE_TYPE;
  const spot = stringAt(inputs, "capacityType") === "SPOT";
  const base = { instanceType, otherInstanceTypes: listed.slice(1), spot };
  if (!usesTemplate) {
    return {
      ...base,
      rootVolume: { volumeType: "gp3", sizeGiB: numberAt(inputs, "diskSize") ?? DEFAULT_NODE_DISK_GIB },
    };
  }
  const mappings = template ? arrayAt(template.inputs, "blockDeviceMappings") : undefined;
  const sized = (mappings ?? []).find((m) => numberAt(m, "ebs.volumeSize") !== undefined);
  if (!sized) {
    return {
      ...base,
      rootVolume: undefined,
      rootVolumeUnknown: "root volume size comes from the launch template's AMI defaults",
    };
  }
  const iops = numberAt(sized, "ebs.iops");
  const throughput = numberAt(sized, "ebs.throughput");
  return {
    ...base,
    rootVolume: {
      volumeType: stringAt(sized, "ebs.volumeType") ?? "gp3",
      sizeGiB: numberAt(sized, "ebs.volumeSize") ?? 0,
      ...(iops !== undefined ? { iops } : {}),
      ...(throughput !== undefined ? { throughput } : {}),
    },
  };
}

/** `count` nodes of a spec: instance-hours and root volumes. */
export function priceNodes(sheet: PriceSheet, spec: NodeSpec, count: number, label = ""): void {
  const prefix = label ? `${label} ` : "";
  if (!spec.instanceType) {
    sheet.cannotPrice("instance type not known until apply");
    return;
  }
  const perHour = sheet.prices.ec2InstanceHour[spec.instanceType];
  if (perHour === undefined) {
    sheet.cannotPrice(`instance type ${spec.instanceType} is not in the price table for this region`);
  } else {
    sheet.hourly(`${prefix}${spec.instanceType} instances`, spec.instanceType, perHour, count);
  }
  if (spec.rootVolume) {
    priceEbsVolumes(sheet, { ...spec.rootVolume, count, label: `${prefix}root volumes` });
  } else if (spec.rootVolumeUnknown) {
    sheet.cannotPrice(spec.rootVolumeUnknown);
  }
}

export function priceNodeGroup(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const count = numberAt(resource.inputs, "scalingConfig.desiredSize");
  if (count === undefined) {
    sheet.cannotPrice("scalingConfig.desiredSize not known until apply");
    return sheet.result();
  }
  const spec = nodeSpecOf(resource, context.resources);
  priceNodes(sheet, spec, count);
  if (spec.spot) sheet.note("SPOT capacity priced at the on-demand rate (an upper bound)");
  if (spec.otherInstanceTypes.length > 0) {
    sheet.note(
      `priced as ${spec.instanceType}, the first of instanceTypes; EKS may also launch ${spec.otherInstanceTypes.join(", ")}`,
    );
  }
  return sheet.result();
}
