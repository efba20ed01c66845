import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  defaultKubernetesVersion,
  EKS_VERSIONS,
  eksVersion,
  kubernetesVersionNotice,
  supportPhase,
  tableReadOn,
} from "../kubernetes-versions";
import { repoRoot, runProgram } from "../under-mocks/mocks";
import { ofType } from "./stacks";

const day = 24 * 60 * 60 * 1000;
const at = (date: string) => new Date(`${date}T12:00:00Z`);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("EKS versions (item 5)", () => {
  it("the default has at least six months of standard support left at the table's read date", () => {
    const row = eksVersion(defaultKubernetesVersion);
    expect(row).toBeDefined();
    const left =
      Date.parse(`${row?.endOfStandardSupport}T00:00:00Z`) - Date.parse(`${tableReadOn}T00:00:00Z`);
    expect(left / day).toBeGreaterThanOrEqual(183);
    // And it is the newest row: no version lasts longer.
    const latestEnd = EKS_VERSIONS.map((r) => r.endOfStandardSupport)
      .sort()
      .at(-1);
    expect(row?.endOfStandardSupport).toBe(latestEnd);
  });

  it("every version's row cites the EKS documentation (release calendar or standard-support notes), not EKS Distro", async () => {
    const { readFileSync } = await import("node:fs");
    const source = readFileSync(path.join(repoRoot, "infra", "kubernetes-versions.ts"), "utf8");
    const rows = source
      .split("\n")
      .filter((line) => /^ \* \| /.test(line) && !line.includes("| source |") && !line.includes("| --- |"));
    const cells = rows.map((line) => line.replace(/^ \* \|/, "").split(" | "));
    // EKS Distro is another product (Kubernetes builds for self-managed clusters): its release says nothing of EKS.
    expect(rows.filter((row) => /eks-distro/i.test(row))).toEqual([]);
    const newest = EKS_VERSIONS[0]?.version as string;
    const fromEksDocs = cells.filter(
      ([citation, gave]) =>
        /docs\.aws\.amazon\.com\/eks\/latest\/userguide\/kubernetes-versions(-standard)?\.html/.test(
          citation ?? "",
        ) && (gave ?? "").includes(newest),
    );
    expect(fromEksDocs.map(([, gave]) => gave?.trim())).toEqual([
      `${newest} offered, standard support`,
      `${newest} dates`,
    ]);
  });

  it("rows are dated consistently: 14 months of standard support, 12 of extended", () => {
    for (const row of EKS_VERSIONS) {
      const release = Date.parse(row.eksRelease);
      const standard = Date.parse(row.endOfStandardSupport);
      const extended = Date.parse(row.endOfExtendedSupport);
      expect((standard - release) / day, row.version).toBeGreaterThan(420);
      expect((standard - release) / day, row.version).toBeLessThan(440);
      expect((extended - standard) / day, row.version).toBeGreaterThanOrEqual(365);
      expect(supportPhase(row, new Date(standard - 1000))).toBe("standard");
      expect(supportPhase(row, new Date(standard))).toBe("extended");
    }
  });

  it("warns within 60 days of the end of standard support, refuses one past it or not offered", () => {
    expect(kubernetesVersionNotice("1.36", at("2026-12-01"))).toEqual({ level: "ok" });
    expect(kubernetesVersionNotice("1.35", at("2027-02-15"))).toMatchObject({
      level: "warning",
      message: expect.stringContaining("1.35 leaves EKS standard support on 2027-03-27"),
    });
    expect(kubernetesVersionNotice("1.34", at("2026-12-01"))).toMatchObject({ level: "warning" });
    expect(kubernetesVersionNotice("1.34", at("2026-12-02"))).toMatchObject({
      level: "error",
      message: expect.stringContaining("$0.60 instead of $0.10 per cluster hour"),
    });
    expect(kubernetesVersionNotice("1.37", at("2026-12-01"))).toMatchObject({
      level: "error",
      message: expect.stringContaining("EKS does not offer 1.37"),
    });
  });

  it("the cluster asks for standard support only, on the default version", async () => {
    const run = await runProgram("dev");
    const [cluster] = ofType(run.resources, "aws:eks/cluster:Cluster");
    expect(cluster?.inputs.upgradePolicy).toEqual({ supportType: "STANDARD" });
    expect(cluster?.inputs.version).toBe(defaultKubernetesVersion);
  });

  it("the program warns, naming the setting, when the stack's version has under 60 days left", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(at("2027-02-15"));
    const warn = vi.spyOn(pulumi.log, "warn");
    await runProgram("dev", { kubernetesVersion: "1.35" });
    expect(warn.mock.calls.map(([message]) => message)).toContain(
      "platform:kubernetesVersion: 1.35 leaves EKS standard support on 2027-03-27 (40 days); upgrade before then",
    );
  });
});
