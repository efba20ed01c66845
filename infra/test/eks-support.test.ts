import { describe, expect, it } from "vitest";
import { extendedSupportBilledFrom } from "../eks-support";

describe("when a cluster is billed extended support, by its upgrade policy", () => {
  it("EXTENDED: from its version's end of standard support (infra/kubernetes-versions.ts)", () => {
    expect(extendedSupportBilledFrom("1.36", "EXTENDED")).toBe("2027-08-02");
    expect(extendedSupportBilledFrom("1.34", "EXTENDED")).toBe("2026-12-02");
  });

  it("STANDARD: never (EKS upgrades the cluster instead), nor for a version the table lacks", () => {
    expect(extendedSupportBilledFrom("1.36", "STANDARD")).toBeUndefined();
    expect(extendedSupportBilledFrom("1.34", "STANDARD")).toBeUndefined();
    expect(extendedSupportBilledFrom("1.99", "EXTENDED")).toBeUndefined();
  });
});
