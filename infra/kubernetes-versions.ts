/**
 * Kubernetes versions on Amazon EKS and their support dates (UTC, as EKS bills them: extended support is
 * charged from the first hour of the end-of-standard-support date). The program warns about a version
 * whose standard support ends soon, and `npm run cost` prices extended support for one past that date.
 *
 * | source | what it gave | read on |
 * | --- | --- | --- |
 * | docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, "Amazon EKS Kubernetes release calendar" | 1.29–1.34 | 2026-12-01 |
 * | endoflife.date/amazon-eks (mirrors the calendar above) | 1.35 | 2026-12-01 |
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
