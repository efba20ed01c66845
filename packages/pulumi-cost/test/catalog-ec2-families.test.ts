import { describe, expect, it } from "vitest";
import { DEPLOYMENT, deployment, estimateOf, NODE_GROUP, nodeGroup, step } from "./fixtures.js";
import { one } from "./one-resource.js";

const instance = (instanceType: string, region?: string) =>
  one("aws:ec2/instance:Instance", { instanceType, ...(region ? { region } : {}) });

/**
 * Every instance type of Karpenter's us-east-1 snapshot of the Price List (the price facts' source
 * karpenter-2026-07-20: zz_generated.pricing_aws.go, on-demand Linux, shared tenancy) is priced in us-east-1:
 * the accelerated, storage, network, flex and high-memory families as well as the general-purpose, compute and
 * memory ones. Elsewhere a type is priced only where a source gives that region's figure. 730 hours a month.
 */
describe("EC2 families beyond general purpose, compute and memory (us-east-1)", () => {
  it.each([
    ["g5.xlarge", "1.006", "734.38"],
    ["inf2.xlarge", "0.7582", "553.49"],
    ["i4i.large", "0.172", "125.56"],
    ["d3.xlarge", "0.499", "364.27"],
    ["c5n.large", "0.108", "78.84"],
    ["c6in.large", "0.1134", "82.78"],
    ["m5d.large", "0.113", "82.49"],
    ["r6id.large", "0.1512", "110.38"],
    ["m7i-flex.large", "0.09576", "69.90"],
    ["m8i.large", "0.10584", "77.26"],
    ["z1d.large", "0.186", "135.78"],
    ["x2idn.16xlarge", "6.669", "4,868.37"],
    ["p5.48xlarge", "55.04", "40,179.20"],
  ])("a %s is $%s/h × 730 h = $%s", (type, hourly, monthly) => {
    const r = instance(type);
    expect(r.lines).toEqual([`${type} instance: ${type} × 730 h × $${hourly}/h = $${monthly}`]);
    expect(r.notPriced).toEqual([]);
  });

  // Most of these families are priced in the other regions too, from the SkyPilot catalogue (the facts'
  // source skypilot-catalog), each figure's us-east-1 row equal to Karpenter's; a region the catalogue does not
  // list a type in stays not priced.
  it.each([
    ["g5.xlarge", "eu-west-1", "1.123", "819.79"],
    ["g4dn.xlarge", "eu-west-1", "0.587", "428.51"],
    ["inf2.xlarge", "ap-northeast-1", "1.1373", "830.23"],
    ["i4i.large", "ap-south-1", "0.195", "142.35"],
    ["c6in.large", "eu-central-1", "0.12915", "94.28"],
    ["r6id.large", "ap-southeast-2", "0.174", "127.02"],
    ["m7i-flex.large", "eu-west-2", "0.11072", "80.83"],
    ["r5d.large", "eu-west-1", "0.16", "116.80"],
    ["z1d.large", "eu-central-1", "0.225", "164.25"],
    ["c7gn.large", "eu-west-1", "0.141", "102.93"],
    ["x2iedn.xlarge", "ap-northeast-1", "1.20881", "882.43"],
    ["m4.large", "eu-west-1", "0.111", "81.03"],
    ["c4.large", "ap-south-1", "0.10", "73.00"],
    // The catalogue's later format (v9, source skypilot-catalog-v9) for what v7 left out: families it did not
    // list, regions it did not list a type in, and the P5 rows at AWS's prices after the June 2025 cut (us-east-1
    // 55.04, Karpenter's figure)
    ["c8i.large", "eu-west-2", "0.11135", "81.29"],
    ["m8i.xlarge", "ap-northeast-1", "0.27342", "199.60"],
    ["r8i.2xlarge", "ap-south-1", "0.57332", "418.52"],
    ["i7i.large", "eu-west-1", "0.2081", "151.91"],
    ["m7i-flex.12xlarge", "eu-west-2", "2.65728", "1,939.81"],
    ["p5.48xlarge", "us-west-2", "55.04", "40,179.20"],
    ["p5.48xlarge", "eu-west-2", "71.552", "52,232.96"],
    // A later fork of the catalogue (source skypilot-catalog-huksley) for pairs AWS offers that both left out
    ["c8a.large", "eu-west-1", "0.11563", "84.41"],
    ["m8id.large", "eu-central-1", "0.15708", "114.67"],
    ["g7e.2xlarge", "ap-northeast-1", "4.87752", "3,560.59"],
    // a catalogue in the same format (source anycloud-catalog), read for the pairs AWS offers that the three
    // others left out: the 2025–2026 families in the regions AWS has since reached (c9g's Ohio figure sits a
    // little under us-east-1's $0.08694, in the proportion of every c9g size there)
    ["c8i.large", "eu-west-1", "0.10055", "73.40"],
    ["m8i.large", "eu-west-2", "0.12238", "89.34"],
    ["c8in.large", "eu-central-1", "0.15498", "113.14"],
    ["x8i.large", "ap-northeast-1", "0.31731", "231.64"],
    ["c9g.large", "us-east-2", "0.08664", "63.25"],
    ["g7.2xlarge", "us-west-2", "2.52", "1,839.60"],
    // which the v9 catalogue listed in no zone of us-east-1; this one does, at Karpenter's figure
    ["p6-b300.48xlarge", "us-west-2", "142.416", "103,963.68"],
  ])("a %s in %s is $%s/h × 730 h = $%s", (type, region, hourly, monthly) => {
    expect(instance(type, region).lines).toEqual([
      `${type} instance: ${type} × 730 h × $${hourly}/h = $${monthly}`,
    ]);
  });

  it.each([
    ["g5.xlarge", "ap-southeast-1"],
    ["g6.xlarge", "eu-west-1"],
    ["c6id.large", "ap-south-1"],
    // a family neither catalogue lists outside us-east-1
    ["c9g.large", "eu-west-2"],
    // AWS offers it there (EC2 offerings of 2026-08-01), but the only catalogue that lists it there lists it in
    // no zone of us-east-1, so its figure cannot be checked against Karpenter's
    ["hpc7a.12xlarge", "eu-west-1"],
    // the catalogues' row for a bare-metal type carries the same-size virtualised type's figure
    ["c8i.metal-48xl", "eu-west-1"],
    // the catalogue's row has no Price there
    ["trn1.32xlarge", "ap-south-1"],
    // its three-decimal figure there sits more than 1% off its family's proportion: not taken
    ["m1.small", "eu-west-1"],
    // the catalogue's rows there have no Price
    ["p5e.48xlarge", "us-west-2"],
    // 1.21 times its us-east-1 figure where its family's other sizes are 1.40: not taken
    ["x8i.96xlarge", "eu-central-1"],
  ])("a %s is not priced in %s, which no source gives (never at us-east-1's figure)", (type, region) => {
    const r = instance(type, region);
    expect(r.notPriced).toEqual([
      `r (aws:ec2/instance:Instance): instance type ${type} is not in the price table for this region`,
    ]);
    expect(r.atLeast).toBe(true);
  });

  it("a GPU node group of 2 × g6.xlarge is priced with its root volumes: 2 × $0.8048 × 730 + 2 × 20 GiB × $0.08", () => {
    const r = one(NODE_GROUP, nodeGroup("g6.xlarge", 2));
    expect(r.lines).toEqual([
      "g6.xlarge instances: 2 × g6.xlarge × 730 h × $0.8048/h = $1,175.01",
      "root volumes: gp3 storage: 2 × 20 GiB × $0.08/GiB-month = $3.20",
    ]);
    expect(r.monthly).toBe("1178.21");
  });

  it("shares a c4.large node group (3.75 GiB a node) among its pods: memory that is not a whole number of GiB", () => {
    // 2 × $0.10 × 730 = $146.00 of nodes and 2 × 20 GiB × $0.08 = $3.20 of root volumes; OpenCost's split of
    // $0.10/h over 2 vCPUs and 3.75 GiB: per GiB 0.1 / (2 × 7.4607… + 3.75) = 0.005356…
    const e = estimateOf([
      step("create", NODE_GROUP, "old-nodes", undefined, nodeGroup("c4.large", 2)),
      step("create", DEPLOYMENT, "web", undefined, deployment("web", 2, { cpu: "250m", memory: "512Mi" })),
    ]);
    expect(e.rows.find((r) => r.name === "old-nodes")?.afterMonthly.toFixed(2)).toBe("149.20");
    const allocation = e.capacity.after.find((a) => a.fit.nodeGroup.name === "old-nodes");
    expect(allocation?.fit.checked).toBe(true);
    expect([allocation?.split?.perVcpuHour.toFixed(), allocation?.split?.perGiBHour.toFixed()]).toEqual([
      "0.039958",
      "0.005356",
    ]);
  });
});
