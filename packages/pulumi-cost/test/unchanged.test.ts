import { describe, expect, it } from "vitest";
import { estimateOf, NODE_GROUP, nodeGroup, step } from "./fixtures.js";

/**
 * A resource unchanged by the preview is priced once for both sides, but only when its price depends on nothing
 * else: a node group whose launch template changes, or a resource whose configured usage differs by side, is
 * priced again on the side after.
 */
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const template = (volumeSize: number) => ({
  name: "workers",
  instanceType: "m6i.large",
  blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize, volumeType: "gp3" } }],
});
const workers = {
  clusterName: "c",
  launchTemplate: { name: "workers", version: "$Latest" },
  scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 4 },
};
const lines = (
  price: { components: { name: { plain: string }; arithmetic: { plain: string } }[] } | undefined,
) => price?.components.map((c) => `${c.name.plain}: ${c.arithmetic.plain}`);

describe("an unchanged resource on both sides", () => {
  it("is the same price, made once, when it depends on itself alone", () => {
    const e = estimateOf([
      step("same", NODE_GROUP, "nodes", nodeGroup("m6i.large", 3), nodeGroup("m6i.large", 3)),
    ]);
    const row = e.rows.find((r) => r.name === "nodes");
    expect(row?.after).toBe(row?.before);
    expect(row?.afterMonthly.toFixed(2)).toBe("215.04");
  });

  it("is priced again when what it reads from the rest of its side changes (its launch template)", () => {
    const e = estimateOf([
      step("update", LAUNCH_TEMPLATE, "workers", template(20), template(100)),
      step("same", NODE_GROUP, "workers", workers, workers),
    ]);
    const row = e.rows.find((r) => r.type === NODE_GROUP);
    expect(row?.after).not.toBe(row?.before);
    // 2 × 20 GiB × $0.08 = $3.20 before; 2 × 100 GiB × $0.08 = $16.00 after
    expect(lines(row?.before)).toContain("root volumes: gp3 storage: 2 × 20 GiB × $0.08/GiB-month = $3.20");
    expect(lines(row?.after)).toContain("root volumes: gp3 storage: 2 × 100 GiB × $0.08/GiB-month = $16.00");
  });

  it("is priced again when the configuration gives it usage on one side only", () => {
    const bucket = { bucket: "logs" };
    const e = estimateOf([step("same", "aws:s3/bucket:Bucket", "logs", bucket, bucket)], {
      resourceUsage: [
        {
          resource: "logs",
          side: "after",
          charges: [{ item: "Cost Explorer API requests", price: "costExplorerApiRequest" }],
        },
      ],
    });
    const row = e.rows.find((r) => r.name === "logs");
    expect(row?.before?.usage.map((u) => u.item.plain)).not.toContain("Cost Explorer API requests");
    expect(row?.after?.usage.map((u) => u.item.plain)).toContain("Cost Explorer API requests");
  });
});
