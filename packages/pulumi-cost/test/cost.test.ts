import { describe, expect, it } from "vitest";
import type { CostConfigInput } from "../src/config.js";
import type { CostEstimate } from "../src/estimate.js";
import { quantityToGiB } from "../src/inputs.js";
import { countsLine, GITHUB_COMMENT_LIMIT, headline, renderMarkdown } from "../src/markdown.js";
import { checkPreview, type PreviewStep } from "../src/preview.js";
import { costReportSchema, toReport } from "../src/report.js";
import type { Text } from "../src/text.js";
import { DEC_1, estimateOf, NODE_GROUP, nodeGroup, step } from "./fixtures.js";

// Every expected figure below is worked out by hand from the checked-in us-east-1 prices; the comment above
// each says how. A line is quantity × unit price rounded to the cent, half up; totals add the rounded lines.
const estimate = (steps: PreviewStep[], usage?: CostConfigInput["usage"], monthStart = DEC_1) =>
  estimateOf(steps, usage ? { usage } : {}, monthStart);
const plain = (texts: readonly Text[] | undefined) => (texts ?? []).map((text) => text.plain);

const row = (e: CostEstimate, name: string) => {
  const found = e.rows.find((r) => r.name === name);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
};
const usd = (m: { toFixed(n: number): string }) => m.toFixed(2);
const arithmetic = (e: CostEstimate, name: string) =>
  row(e, name).after?.components.map((c) => c.arithmetic.plain);

describe("the arithmetic on every line", () => {
  it("prices a created node group: 2 × t3.medium plus their 20 GiB gp3 root volumes", () => {
    const e = estimate([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.medium", 2))]);
    // 2 × $0.0416 × 730 h = $60.736 → $60.74; 2 × 20 GiB × $0.08 = $3.20
    expect(arithmetic(e, "nodes")).toEqual([
      "2 × t3.medium × 730 h × $0.0416/h = $60.74",
      "2 × 20 GiB × $0.08/GiB-month = $3.20",
    ]);
    expect(usd(row(e, "nodes").afterMonthly)).toBe("63.94");
    expect(headline(e).plain).toBe("Monthly cost will rise by $63.94, to $63.94");
  });

  it("gives the change in dollars and per cent and shows both sides of an update", () => {
    const e = estimate([
      step("update", NODE_GROUP, "nodes", nodeGroup("t3.medium", 2), nodeGroup("m6i.large", 3)),
    ]);
    // after: 3 × $0.096 × 730 = $210.24, 3 × 20 × $0.08 = $4.80 → $215.04; change $151.10 = 236.3% of $63.94
    expect(usd(row(e, "nodes").afterMonthly)).toBe("215.04");
    expect(headline(e).plain).toBe("Monthly cost will rise by $151.10 (+236.3%), to $215.04");
    const markdown = renderMarkdown(e);
    expect(markdown).toContain(
      "| `nodes` updated | eks NodeGroup | before: t3.medium instances: 2 × t3.medium × 730 h × $0.0416/h = $60.74<br>root volumes: gp3 storage: 2 × 20 GiB × $0.08/GiB-month = $3.20<br>after: m6i.large instances: 3 × m6i.large × 730 h × $0.096/h = $210.24<br>root volumes: gp3 storage: 3 × 20 GiB × $0.08/GiB-month = $4.80 | $63.94 | $215.04 | +$151.10 |",
    );
    expect(markdown).toContain("| **total** | | | **$63.94** | **$215.04** | **+$151.10** |");
  });

  it("counts a replacement once and prices gp3 IOPS and throughput above the free baseline", () => {
    const VOLUME = "aws:ebs/volume:Volume";
    const gp2 = { size: 100, type: "gp2" };
    const gp3 = { size: 100, type: "gp3", iops: 4000, throughput: 250 };
    const e = estimate([
      step("create-replacement", VOLUME, "data", gp2, gp3),
      step("replace", VOLUME, "data", gp2, gp3),
      step("delete-replaced", VOLUME, "data", gp2, gp2),
    ]);
    expect(e.rows).toHaveLength(1);
    // gp2: 100 × $0.10 = $10.00. gp3: 100 × $0.08 = $8.00 + 1,000 IOPS × $0.005 = $5.00 + 125 MB/s × $0.04 = $5.00
    expect(arithmetic(e, "data")).toEqual([
      "100 GiB × $0.08/GiB-month = $8.00",
      "1,000 IOPS × $0.005/IOPS-month = $5.00",
      "125 MB/s × $0.04/MB/s-month = $5.00",
    ]);
    expect([usd(e.totalBefore), usd(e.totalAfter)]).toEqual(["10.00", "18.00"]);
  });

  it("prices a delete as a fall: a NAT gateway and its public IPv4 address", () => {
    const e = estimate([
      step("delete", "aws:ec2/natGateway:NatGateway", "nat-1", { subnetId: "subnet-1" }),
      step("delete", "aws:ec2/eip:Eip", "nat-1", { domain: "vpc" }),
    ]);
    // NAT $0.045 × 730 = $32.85; IPv4 $0.005 × 730 = $3.65
    expect(headline(e).plain).toBe("Monthly cost will fall by $36.50 (-100%), to $0.00");
  });

  it("rounds each line half up to the cent: an NLB is $16.425 → $16.43", () => {
    const e = estimate([
      step("create", "kubernetes:core/v1:Service", "web", undefined, {
        metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
        spec: { type: "LoadBalancer" },
      }),
    ]);
    expect(arithmetic(e, "web")).toEqual(["NLB × 730 h × $0.0225/h = $16.43"]);
  });

  it("keeps the JSON exact: cents-exact strings, no binary float left in a sum", () => {
    // 3 × 0.1 + 0.2 in floats is 0.5000000000000001; three $0.10/h clusters and a $0.20 … are exact here
    const e = estimate([
      step("create", "aws:eks/cluster:Cluster", "a", undefined, { version: "1.35" }),
      step("create", "aws:eks/cluster:Cluster", "b", undefined, { version: "1.35" }),
      step("create", "aws:eks/cluster:Cluster", "c", undefined, { version: "1.35" }),
      step("create", "aws:kms/key:Key", "k", undefined, {}),
    ]);
    const report = costReportSchema.parse(toReport(e));
    // 3 × $73.00 + $1.00
    expect(report.totals).toEqual({
      before: "0.00",
      after: "220.00",
      change: "220.00",
      changePercent: null,
      atLeast: false,
    });
    expect(report.resources.find((r) => r.name === "k")?.after?.components[0]).toEqual({
      name: "KMS key",
      quantity: "1",
      unit: "key-months",
      unitPrice: "1",
      priceUnit: "key-month",
      monthly: "1.00",
      arithmetic: "key × 1 month × $1.00/key-month = $1.00",
    });
  });
});

describe("EKS extended support (the configuration's eks.versions)", () => {
  const cluster = (version: string, monthStart = DEC_1) =>
    estimate(
      [step("create", "aws:eks/cluster:Cluster", "eks", undefined, { version })],
      undefined,
      monthStart,
    );

  it("charges only the standard rate while the version is in standard support", () => {
    // 1.35: standard support until 2027-03-27. 730 h × $0.10 = $73.00
    const e = cluster("1.35");
    expect(arithmetic(e, "eks")).toEqual(["cluster × 730 h × $0.10/h = $73.00"]);
    expect(e.warnings).toEqual([]);
  });

  it("adds the $0.50/h surcharge for every hour past the end of standard support", () => {
    // 1.32: standard support ended 2026-03-23, extended until 2027-03-23: $73.00 + 730 h × $0.50 = $438.00
    const e = cluster("1.32");
    expect(arithmetic(e, "eks")).toEqual([
      "cluster × 730 h × $0.10/h = $73.00",
      "cluster × 730 h × $0.50/h = $365.00",
    ]);
    expect(usd(e.totalAfter)).toBe("438.00");
    expect(e.warnings.join("\n")).toContain("Kubernetes 1.32 is in extended support");
  });

  it("splits a month in which standard support ends: 1.34 on 2026-12-02 leaves 706 of 730 hours extended", () => {
    // 24 h at $0.10 only, then 706 h with the surcharge: $73.00 + 706 × $0.50 = $73.00 + $353.00
    const e = cluster("1.34");
    expect(arithmetic(e, "eks")).toEqual([
      "cluster × 730 h × $0.10/h = $73.00",
      "cluster × 706 h × $0.50/h = $353.00",
    ]);
    expect(e.warnings.join("\n")).toContain("Kubernetes 1.34 leaves standard support on 2026-12-02");
  });

  // docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html and API_UpgradePolicyRequest (read
  // 2026-12-01): STANDARD is upgraded automatically at the end of standard support and never billed extended
  // support; EXTENDED, the default when upgradePolicy is absent, enters extended support.
  const withPolicy = (version: string, supportType: string) =>
    estimate([
      step("create", "aws:eks/cluster:Cluster", "eks", undefined, {
        version,
        upgradePolicy: { supportType },
      }),
    ]);

  it("upgradePolicy STANDARD: no surcharge, the automatic upgrade date in a note", () => {
    // 1.34 leaves standard support on 2026-12-02; STANDARD: 730 h × $0.10 = $73.00 and nothing more
    const e = withPolicy("1.34", "STANDARD");
    expect(arithmetic(e, "eks")).toEqual(["cluster × 730 h × $0.10/h = $73.00"]);
    expect(usd(e.totalAfter)).toBe("73.00");
    expect(e.warnings).toEqual([]);
    expect(plain(row(e, "eks").after?.notes)).toContain(
      "upgradePolicy STANDARD: no extended support is billed; EKS upgrades Kubernetes 1.34 automatically when its standard support ends on 2026-12-02",
    );
    // 1.32's standard support ended 2026-03-23: under STANDARD the cluster was upgraded then, never billed
    const past = withPolicy("1.32", "STANDARD");
    expect(usd(past.totalAfter)).toBe("73.00");
    expect(plain(row(past, "eks").after?.notes).join()).toContain(
      "EKS upgraded Kubernetes 1.32 automatically when its standard support ended on 2026-03-23",
    );
  });

  it("upgradePolicy EXTENDED prices as the absent field does (AWS's default)", () => {
    // 1.34, EXTENDED: $73.00 + 706 h × $0.50 = $73.00 + $353.00 = $426.00, as with no upgradePolicy
    const e = withPolicy("1.34", "EXTENDED");
    expect(arithmetic(e, "eks")).toEqual([
      "cluster × 730 h × $0.10/h = $73.00",
      "cluster × 706 h × $0.50/h = $353.00",
    ]);
    expect(usd(e.totalAfter)).toBe("426.00");
    expect(usd(cluster("1.34").totalAfter)).toBe("426.00");
  });

  it("a version the table lacks: the surcharge is not known, in words that hold past extended support too", () => {
    const unknown = cluster("1.28");
    expect(plain(unknown.notPriced)).toEqual([
      "eks (aws:eks/cluster:Cluster): Kubernetes 1.28 is not in the configuration's EKS versions (eks.versions): whether the extended-support surcharge ($0.50/h on top of the standard rate) applies is not known",
    ]);
  });

  it("says when extended support itself ends, and what it does not know", () => {
    // 1.30's extended support ended 2026-07-23: no surcharge, EKS upgrades the cluster
    expect(plain(row(cluster("1.30"), "eks").after?.notes).join()).toContain(
      "EKS then upgrades the cluster automatically",
    );
    const unknown = cluster("1.99");
    expect(unknown.notPriced.join()).toContain("Kubernetes 1.99 is not in the configuration's EKS versions");
    expect(headline(unknown).plain).toBe("Monthly cost will rise by $73.00, to at least $73.00");
  });
});

describe("usage-based charges, from the configuration, apart from the total", () => {
  const usage = {
    natGateway: { dataProcessedGb: 100 },
    eksControlPlaneLogs: { ingestedGb: 5 },
    loadBalancer: { capacityUnitsPerHour: 2 },
    kms: { requestsPerKey: 30000 },
  };

  it("estimates NAT data, log ingestion, LB capacity units and KMS requests, and never adds them to the total", () => {
    const e = estimate(
      [
        step("create", "aws:ec2/natGateway:NatGateway", "nat", undefined, {}),
        step("create", "aws:eks/cluster:Cluster", "eks", undefined, {
          version: "1.35",
          enabledClusterLogTypes: ["audit"],
        }),
        step("create", "aws:lb/loadBalancer:LoadBalancer", "alb", undefined, {
          loadBalancerType: "application",
        }),
        step("create", "aws:kms/key:Key", "key", undefined, {}),
      ],
      usage,
    );
    const estimates = Object.fromEntries(
      e.usage.lines.map((l) => [l.charge.item.plain, l.charge.estimate?.arithmetic.plain]),
    );
    expect(estimates).toEqual({
      // 100 GB × $0.045
      "NAT gateway data processed": "100 GB × $0.045/GB = $4.50",
      // 5 GB × $0.50
      "EKS control plane logs (CloudWatch Logs ingestion)": "5 GB × $0.50/GB = $2.50",
      // 2 LCU × 730 h × $0.008 = $11.68
      "ALB capacity units": "2 LCU × 730 h × $0.008/LCU-hour = $11.68",
      // 30,000 requests = 3 × 10,000 × $0.03
      "KMS requests": "3 × 10,000 requests × $0.03/10,000 requests = $0.09",
    });
    expect(usd(e.usage.after)).toBe("18.77");
    // fixed: NAT $32.85 + EKS $73.00 + ALB $16.43 (0.0225 × 730 = 16.425) + KMS $1.00
    expect(usd(e.totalAfter)).toBe("123.28");
  });
});

describe("storage: priced as the StorageClass the program declares", () => {
  const gp3Class = step("same", "kubernetes:storage.k8s.io/v1:StorageClass", "gp3", undefined, undefined);
  const storageClass = {
    ...gp3Class,
    newState: {
      type: "kubernetes:storage.k8s.io/v1:StorageClass",
      inputs: {
        metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3" },
      },
    },
  };
  const release = (storageClassName?: string) =>
    step("create", "kubernetes:helm.sh/v3:Release", "kps", undefined, {
      chart: "kube-prometheus-stack",
      values: {
        prometheus: {
          prometheusSpec: {
            replicas: 2,
            storageSpec: {
              volumeClaimTemplate: {
                spec: {
                  ...(storageClassName ? { storageClassName } : {}),
                  resources: { requests: { storage: "50Gi" } },
                },
              },
            },
          },
        },
        grafana: { persistence: { enabled: true, size: "10Gi" }, service: { type: "LoadBalancer" } },
      },
    });

  it("prices Helm-values storage times replicas and a LoadBalancer service", () => {
    const e = estimate([storageClass as PreviewStep, release("gp3")]);
    // 2 × 50 GiB × $0.08 = $8.00; 10 GiB × $0.08 = $0.80; Classic LB $0.025 × 730 = $18.25
    expect(arithmetic(e, "kps")).toEqual([
      "2 × 50 GiB × $0.08/GiB-month = $8.00",
      "10 GiB × $0.08/GiB-month = $0.80",
      "Classic LB × 730 h × $0.025/h = $18.25",
    ]);
  });

  it("does not price a volume whose StorageClass the program does not declare (a kind cluster's)", () => {
    const e = estimate([release()]);
    expect(e.notPriced.join("\n")).toContain(
      "2 × 50 GiB volume not priced: the claim uses the cluster's default StorageClass, which this program does not declare",
    );
    expect(e.atLeast).toBe(true);
  });
});

describe("the headline and the counts", () => {
  it('counts resources considered, priced, usage-only, free and not priced, and says "at least"', () => {
    const e = estimate([
      step("same", "aws:eks/cluster:Cluster", "eks", { version: "1.35" }, { version: "1.35" }),
      step("update", "aws:iam/role:Role", "nodes", { name: "a" }, { name: "b" }),
      step("create", "aws:s3/bucketV2:BucketV2", "state", undefined, {}),
      step("create", "aws:ec2/instance:Instance", "gpu", undefined, { instanceType: "p5e.48xlarge" }),
      step("create", NODE_GROUP, "gpu-nodes", undefined, nodeGroup("p5e.48xlarge", 1)),
    ]);
    // p5e.48xlarge has no on-demand price in the table (Karpenter's snapshot of the Price List lists none), so the
    // GPU node group's instances are not priced but its 20 GiB root volume is ($1.60): priced, in part
    expect(countsLine(e)).toBe("5 resources: 2 priced, 1 usage-based only, 1 free, 1 not priced");
    // $73.00 → $74.60: +2.2%
    expect(headline(e).plain).toBe("Monthly cost will rise by $1.60 (+2.2%), to at least $74.60");
    expect(renderMarkdown(e)).toContain("instance type p5e.48xlarge is not in the price table");
  });

  it("says the cost will not change when only free or unchanged resources move", () => {
    const e = estimate([
      step("same", "aws:eks/cluster:Cluster", "eks", { version: "1.35" }, { version: "1.35" }),
      step("update", "aws:iam/role:Role", "nodes", { name: "a" }, { name: "b" }),
    ]);
    expect(headline(e).plain).toBe("Monthly cost will not change, stays at $73.00");
    expect(renderMarkdown(e)).toContain("| 1 unchanged priced resource | | | $73.00 | $73.00 | $0.00 |");
  });

  it("rejects a file that is not a preview", () => {
    expect(() => checkPreview({})).toThrow(/steps/);
  });
});

describe("comment size", () => {
  it("stays under GitHub's 65,536-character limit, keeping the headline, table header and total", () => {
    const steps = Array.from({ length: 3000 }, (_, i) =>
      step(
        "create",
        NODE_GROUP,
        `node-group-with-a-rather-long-name-${i}`,
        undefined,
        nodeGroup("t3.medium", 2),
      ),
    );
    const markdown = renderMarkdown(estimate(steps));
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // 3000 × $63.94 = $191,820.00 (each line rounded to the cent before it is added)
    expect(markdown.startsWith("**Monthly cost will rise by $191,820.00, to $191,820.00**")).toBe(true);
    expect(markdown).toContain("| resource | type | arithmetic | before | after | change |");
    expect(markdown).toMatch(/\| … \d+ more rows \| \| \| \| \| \|/);
    expect(markdown).toContain("| **total** | | | **$0.00** | **$191,820.00** | **+$191,820.00** |");
  });

  it("drops the collapsed details before any table row", () => {
    const e = estimate([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.medium", 2))]);
    const full = renderMarkdown(e);
    const tight = renderMarkdown(e, full.indexOf("<details>") + 200);
    expect(tight).toContain("| `nodes` created |");
    expect(tight).not.toContain("<summary>Price table</summary>");
    expect(tight).toContain("left out to fit");
  });
});

describe("the comment's length", () => {
  it("keeps, for every limit, as many rows and sections as fit, more as the limit grows", () => {
    const steps = Array.from({ length: 120 }, (_, i) =>
      step("create", NODE_GROUP, `group-${i}`, undefined, nodeGroup("t3.medium", 1 + (i % 4))),
    );
    const e = estimate(steps);
    const full = renderMarkdown(e, 10_000_000);
    let rows = 0;
    let sections = 0;
    for (let limit = 2500; limit <= full.length + 1000; limit += 1999) {
      const body = renderMarkdown(e, limit);
      expect(body.length, String(limit)).toBeLessThanOrEqual(limit);
      const shownRows = (body.match(/^\| `group-\d+` created/gm) ?? []).length;
      const shownSections = (body.match(/<details>/g) ?? []).length;
      expect(shownRows, String(limit)).toBeGreaterThanOrEqual(rows);
      if (shownRows === rows) expect(shownSections, String(limit)).toBeGreaterThanOrEqual(sections);
      rows = shownRows;
      sections = shownSections;
      expect(body.includes("left out to fit"), String(limit)).toBe(body !== full);
    }
    expect(renderMarkdown(e, full.length)).toBe(full);
  });
});

describe("helpers", () => {
  it("reads Kubernetes quantities as whole GiB, rounding up like the EBS CSI driver", () => {
    expect(quantityToGiB("50Gi")).toBe(50);
    expect(quantityToGiB("1Ti")).toBe(1024);
    expect(quantityToGiB("10G")).toBe(10); // 9.31 GiB → 10
    expect(quantityToGiB("512Mi")).toBe(1);
    expect(quantityToGiB("lots")).toBeUndefined();
  });
});
