import { exact, formatUnitPrice, type Money } from "@platform/prices";
import { component } from "../components.js";
import { arrayAt, type PricedInput, stringAt } from "../inputs.js";
import { literal, type Text, t, value } from "../text.js";
import type { EksVersionRow } from "../usage.js";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types.js";
import { eksControlPlaneLogGroup } from "./usage-priced.js";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/**
 * What a cluster's `upgradePolicy.supportType` does at the end of its version's standard support: EXTENDED
 * enters extended support and is billed its surcharge, STANDARD is upgraded automatically and never billed it.
 *
 * | source | read on |
 * | --- | --- |
 * | https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html ("If your upgrade policy is STANDARD, it will be automatically upgraded") | 2026-12-01 |
 * | https://docs.aws.amazon.com/eks/latest/APIReference/API_UpgradePolicyRequest.html ("The default value is EXTENDED") | 2026-12-01 |
 */
export const AWS_DEFAULT_SUPPORT_TYPE = "EXTENDED";

const HOUR_MS = 3_600_000;
type Phase = "standard" | "extended" | "ended";

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Which support a version is in at an instant (EKS bills extended support from the first hour of its day). */
export function supportPhase(row: EksVersionRow, instant: Date): Phase {
  if (instant.getTime() < dayStart(row.endOfStandardSupport)) return "standard";
  if (instant.getTime() < dayStart(row.endOfExtendedSupport)) return "extended";
  return "ended";
}

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
 * version is past its end of standard support (dates from the configuration's `eks.versions`). EKS bills the
 * two as separate line items. A STANDARD cluster is upgraded at that date instead: no surcharge, a note says
 * when.
 */
export function priceEksCluster(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  sheet.hourly("EKS control plane", "cluster", sheet.need("eksClusterHour"));
  const surcharge = sheet.need("eksExtendedSupportClusterHour");
  const version = stringAt(resource.inputs, "version");
  const row = version ? context.eks.versions.get(version) : undefined;
  const supportType = stringAt(resource.inputs, "upgradePolicy.supportType") ?? AWS_DEFAULT_SUPPORT_TYPE;
  if (!version) {
    sheet.note(t`no Kubernetes version set: EKS picks its default, priced at the standard-support rate`);
  } else if (supportType === "STANDARD") {
    sheet.note(automaticUpgradeNote(version, row, context.monthStart));
  } else if (!surcharge) {
    // `need` has said the surcharge is not in the table for this region
  } else if (!row) {
    sheet.cannotPrice(
      t`Kubernetes ${version} is not in the configuration's EKS versions (eks.versions): whether the extended-support surcharge (${literal(formatUnitPrice(surcharge))}/h on top of the standard rate) applies is not known`,
    );
  } else {
    priceExtendedSupport(sheet, version, row, surcharge);
  }
  const logTypes = arrayAt(resource.inputs, "enabledClusterLogTypes");
  const name = stringAt(resource.inputs, "name");
  const logGroup = name
    ? context.resources
        .ofType(LOG_GROUP)
        .find((group) => stringAt(group.inputs, "name") === eksControlPlaneLogGroup(name))
    : undefined;
  if (logTypes && logTypes.length > 0 && logGroup) {
    sheet.note(t`its control plane logs' ingestion is estimated on the log group ${logGroup.name}`);
  } else if (logTypes && logTypes.length > 0) {
    sheet.usageFor(
      {
        item: t`EKS control plane logs (CloudWatch Logs ingestion)`,
        unitPrice: sheet.need("cloudwatchLogsIngestPerGb"),
        unit: "GB",
      },
      context.usage.eksControlPlaneLogsIngestedGb,
      t`eksControlPlaneLogs.ingestedGb`,
      (gb) => [[gb, "GB"]],
    );
  }
  return sheet.result();
}

/** When EKS upgrades a cluster whose upgrade policy is STANDARD: the end of its version's standard support. */
function automaticUpgradeNote(version: string, row: EksVersionRow | undefined, monthStart: Date): Text {
  const prefix = t`upgradePolicy STANDARD: no extended support is billed; EKS upgrades Kubernetes ${version} automatically`;
  if (!row) return t`${prefix} when its standard support ends (not in the configuration's eks.versions)`;
  return supportPhase(row, monthStart) === "standard"
    ? t`${prefix} when its standard support ends on ${row.endOfStandardSupport}`
    : t`upgradePolicy STANDARD: no extended support is billed; EKS upgraded Kubernetes ${version} automatically when its standard support ended on ${row.endOfStandardSupport} (the program's version is behind the cluster's)`;
}

/** The surcharge of a cluster that enters extended support (upgrade policy EXTENDED), for the month's hours. */
function priceExtendedSupport(
  sheet: PriceSheet,
  version: string,
  row: EksVersionRow,
  surcharge: Money,
): void {
  const { context } = sheet;
  const standard = sheet.price("eksClusterHour") ?? exact(0);
  const extendedTo = dayStart(row.endOfExtendedSupport);
  const hours = hoursWithin(
    context.monthStart,
    context.hoursPerMonth,
    dayStart(row.endOfStandardSupport),
    extendedTo,
  );
  const phase = supportPhase(row, context.monthStart);
  if (!hours.isZero()) {
    sheet.add(
      component(
        t`EKS extended support (Kubernetes ${version}, past standard support from ${row.endOfStandardSupport})`,
        ["cluster", [hours, "h"]],
        surcharge,
        { unit: "hours", priceUnit: "h" },
      ),
    );
    const setting = context.eks.versionSetting;
    const upgrade = setting
      ? t`Upgrade the cluster (${value(setting)}) to avoid it.`
      : t`Upgrade the cluster to avoid it.`;
    sheet.warn(
      phase === "standard"
        ? t`Kubernetes ${version} leaves standard support on ${row.endOfStandardSupport}: ${hours.toFixed()} of this month's hours are charged the extended-support surcharge. ${upgrade}`
        : t`Kubernetes ${version} is in extended support (standard support ended ${row.endOfStandardSupport}): the control plane costs ${literal(formatUnitPrice(standard.plus(surcharge)))}/h instead of ${literal(formatUnitPrice(standard))}/h until the cluster is upgraded.`,
    );
  }
  const endedAt = Math.max(context.monthStart.getTime(), extendedTo);
  if (endedAt < context.monthStart.getTime() + context.hoursPerMonth.toNumber() * HOUR_MS) {
    sheet.note(
      t`Kubernetes ${version} reaches the end of extended support on ${row.endOfExtendedSupport}: EKS then upgrades the cluster automatically`,
    );
  }
}
