/**
 * Kubernetes versions on Amazon EKS and their support dates (UTC, as EKS bills them: extended support is
 * charged from the first hour of the end-of-standard-support date). The program warns about a version
 * whose standard support ends soon, and `npm run cost` prices extended support for one past that date.
 *
 * | source | what it gave | read on |
 * | --- | --- | --- |
 * | docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, "Amazon EKS Kubernetes release calendar" | 1.29–1.34 | 2026-12-01 |
 * | endoflife.date/amazon-eks (mirrors the calendar above) | 1.35 | 2026-12-01 |
 * | docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html, "Review release notes for Kubernetes versions on standard support" (the English page as served under docs.aws.amazon.com/he_il/…): "Kubernetes 1.36 is now available in Amazon EKS", listed among the standard-support versions | 1.36 offered, standard support | 2026-12-07 |
 * | docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, the release calendar, through endoflife.date/amazon-eks, which mirrors it (its source, https://github.com/endoflife-date/endoflife.date/blob/master/products/amazon-eks.md, as of 2026-08-22): EKS release 2026-06-02; the end dates are the calendar's rule (14 months of standard, then 12 of extended support), as the table's other rows are; the stored copies of the calendar itself end at 1.35 | 1.36 dates | 2026-12-07 |
 * | github.com/aws/containers-roadmap/issues/2864 ("Support for Kubernetes 1.37", open): upstream 1.37 was released 2026-08-26; no EKS release date found | 1.37 not offered | 2026-12-01 |
 *
 * A version missing here is refused for an EKS stack ("EKS does not offer it"): add its row, with the
 * source, when EKS releases it.
 *
 * A version is under standard support for 14 months after its EKS release, then in extended support for
 * 12 more; EKS announces the end of standard support at least 60 days ahead (same page, "version FAQs").
 */
export interface EksVersion {
  version: string;
  eksRelease: string;
  endOfStandardSupport: string;
  endOfExtendedSupport: string;
}

export const EKS_VERSIONS: readonly EksVersion[] = [
  {
    version: "1.36",
    eksRelease: "2026-06-02",
    endOfStandardSupport: "2027-08-02",
    endOfExtendedSupport: "2028-08-02",
  },
  {
    version: "1.35",
    eksRelease: "2026-01-28",
    endOfStandardSupport: "2027-03-27",
    endOfExtendedSupport: "2028-03-27",
  },
  {
    version: "1.34",
    eksRelease: "2025-10-02",
    endOfStandardSupport: "2026-12-02",
    endOfExtendedSupport: "2027-12-02",
  },
  {
    version: "1.33",
    eksRelease: "2025-05-29",
    endOfStandardSupport: "2026-07-29",
    endOfExtendedSupport: "2027-07-29",
  },
  {
    version: "1.32",
    eksRelease: "2025-01-23",
    endOfStandardSupport: "2026-03-23",
    endOfExtendedSupport: "2027-03-23",
  },
  {
    version: "1.31",
    eksRelease: "2024-09-26",
    endOfStandardSupport: "2025-11-26",
    endOfExtendedSupport: "2026-11-26",
  },
  {
    version: "1.30",
    eksRelease: "2024-05-23",
    endOfStandardSupport: "2025-07-23",
    endOfExtendedSupport: "2026-07-23",
  },
  {
    version: "1.29",
    eksRelease: "2024-01-23",
    endOfStandardSupport: "2025-03-23",
    endOfExtendedSupport: "2026-03-23",
  },
];

export type SupportPhase = "standard" | "extended" | "ended";

/** The table's row for a `1.NN` version, or undefined when EKS has no such version (in this table). */
export function eksVersion(version: string): EksVersion | undefined {
  return EKS_VERSIONS.find((row) => row.version === version);
}

/** Which support a version is in at an instant. */
export function supportPhase(row: EksVersion, at: Date): SupportPhase {
  if (at.getTime() < Date.parse(`${row.endOfStandardSupport}T00:00:00Z`)) return "standard";
  if (at.getTime() < Date.parse(`${row.endOfExtendedSupport}T00:00:00Z`)) return "extended";
  return "ended";
}

/**
 * The version a new stack gets: the newest in the table, whose standard support lasts longest (1.36 until
 * 2027-08-02, eight months after the table was read). infra/test/kubernetes-versions.test.ts requires at
 * least six months of standard support left at the table's read date.
 */
export const defaultKubernetesVersion = "1.36";
/** When the rows above were last checked against their sources. */
export const tableReadOn = "2026-12-01";

/** How far ahead the program warns that standard support ends (EKS announces it at least 60 days ahead). */
export const warnDaysBeforeEndOfStandardSupport = 60;

export type VersionNotice =
  | { level: "ok" }
  | { level: "warning"; message: string }
  | { level: "error"; message: string };

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Whether an EKS stack may use a version at an instant: an error for one EKS does not offer (not in the
 * table, or past extended support) or one past standard support (the cluster's upgrade policy is
 * STANDARD, so EKS would upgrade it; with EXTENDED it would bill extended support), a warning when
 * standard support ends within 60 days.
 */
export function kubernetesVersionNotice(version: string, at: Date): VersionNotice {
  const row = eksVersion(version);
  const offered = EKS_VERSIONS.filter((r) => supportPhase(r, at) !== "ended").map((r) => r.version);
  if (!row || supportPhase(row, at) === "ended") {
    return {
      level: "error",
      message: `EKS does not offer ${version} (offered: ${offered.join(", ")}; see infra/kubernetes-versions.ts)`,
    };
  }
  const end = Date.parse(`${row.endOfStandardSupport}T00:00:00Z`);
  const daysLeft = Math.ceil((end - at.getTime()) / dayMs);
  if (daysLeft <= 0) {
    return {
      level: "error",
      message: `${version} left EKS standard support on ${row.endOfStandardSupport} (extended support bills $0.60 instead of $0.10 per cluster hour, and with upgradePolicy STANDARD EKS upgrades it); choose one of ${EKS_VERSIONS.filter(
        (r) => supportPhase(r, at) === "standard",
      )
        .map((r) => r.version)
        .join(", ")}`,
    };
  }
  if (daysLeft <= warnDaysBeforeEndOfStandardSupport) {
    return {
      level: "warning",
      message: `${version} leaves EKS standard support on ${row.endOfStandardSupport} (${daysLeft} days); upgrade before then`,
    };
  }
  return { level: "ok" };
}
