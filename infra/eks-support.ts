import { eksVersion } from "./kubernetes-versions";

/**
 * What a cluster's `upgradePolicy.supportType` does at the end of its version's standard support: EXTENDED
 * enters extended support and is billed its surcharge, STANDARD is upgraded automatically and never billed
 * it. EXTENDED is what AWS applies when the field is absent.
 *
 * | source | read on |
 * | --- | --- |
 * | https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html ("If your upgrade policy is STANDARD, it will be automatically upgraded") | 2026-12-01 |
 * | https://docs.aws.amazon.com/eks/latest/APIReference/API_UpgradePolicyRequest.html ("The default value is EXTENDED") | 2026-12-01 |
 */
export type EksSupportType = "STANDARD" | "EXTENDED";
export const AWS_DEFAULT_SUPPORT_TYPE: EksSupportType = "EXTENDED";

/**
 * The first UTC day a cluster of this version and support type is billed extended support (its version's end
 * of standard support), or undefined when it never is (STANDARD, or a version the table lacks).
 */
export function extendedSupportBilledFrom(version: string, supportType: EksSupportType): string | undefined {
  if (supportType !== "EXTENDED") return undefined;
  return eksVersion(version)?.endOfStandardSupport;
}
