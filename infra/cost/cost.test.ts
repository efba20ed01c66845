import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runProgramUnderMocks } from "../testing/mocks";
import { estimateChanges, estimateStack } from "./estimate";
import { dollars, GITHUB_COMMENT_LIMIT, headline, renderMarkdown } from "./markdown";
import { changesFromPreview, type PreviewDigest, type PreviewStep } from "./preview";
import { loadPriceTable } from "./prices";
import { quantityToGiB } from "./pricing";

const table = loadPriceTable();
const repoRoot = join(__dirname, "..", "..");
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "cost-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Steps in the shape `pulumi preview --json` writes them (Pulumi's previewDigest/previewStep):
// op, urn, and oldState/newState each carrying the resource type and its inputs.
const urn = (type: string, name: string) =>
  `urn:pulumi:dev::cost-aware-platform::platform:cluster:EksCluster$${type}::${name}`;
const state = (type: string, name: string, inputs: Record<string, unknown>) => ({
  urn: urn(type, name),
  custom: true,
  type,
  inputs,
  outputs: {},
});
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const nodeGroup = (instanceType: string, desiredSize: number) => ({
  clusterName: "cost-aware-platform-dev",
  instanceTypes: [instanceType],
  diskSize: 20,
  scalingConfig: { desiredSize, minSize: 1, maxSize: 6 },
});
const step = (
  op: string,
  type: string,
  name: string,
  before?: Record<string, unknown>,
  after?: Record<string, unknown>,
): PreviewStep => ({
  op,
  urn: urn(type, name),
  ...(before ? { oldState: state(type, name, before) } : {}),
  ...(after ? { newState: state(type, name, after) } : {}),
});
const preview = (steps: PreviewStep[]): PreviewDigest =>
  ({
    config: { "platform:region": "us-east-1" },
    steps,
    changeSummary: {},
  }) as PreviewDigest;
const estimate = (steps: PreviewStep[]) =>
  estimateChanges(changesFromPreview(preview(steps)), table, { stack: "dev", region: "us-east-1" });
const row = (e: ReturnType<typeof estimate>, name: string) => {
  const found = e.rows.find((r) => r.name === name);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
};

describe("cost diff of a pulumi preview", () => {
  it("prices a created node group: 2 × t3.medium plus their 20 GiB gp3 root volumes", () => {
    const e = estimate([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.medium", 2))]);
    // 2 × $0.0416/h × 730 h = $60.736; 2 × 20 GiB × $0.08/GiB-month = $3.20
    expect(row(e, "nodes").afterMonthly).toBeCloseTo(60.736 + 3.2, 6);
    expect(e.totalBefore).toBe(0);
    expect(headline(e)).toBe("Monthly cost will rise by $63.94, to $63.94");
  });

  it("prices an update of instance type and count from before to after", () => {
    const e = estimate([
      step("update", NODE_GROUP, "nodes", nodeGroup("t3.medium", 2), nodeGroup("m6i.large", 3)),
    ]);
    const nodes = row(e, "nodes");
    expect(nodes.beforeMonthly).toBeCloseTo(63.936, 6);
    // 3 × $0.096/h × 730 h = $210.24; 3 × 20 GiB × $0.08 = $4.80
    expect(nodes.afterMonthly).toBeCloseTo(215.04, 6);
    expect(headline(e)).toBe("Monthly cost will rise by $151.10, to $215.04");
    expect(renderMarkdown(e)).toContain(
      "| `nodes` updated | eks NodeGroup: 2 × t3.medium + 2 × 20 GiB gp3 → 3 × m6i.large + 3 × 20 GiB gp3 | $63.94 | $215.04 | +$151.10 |",
    );
  });

  it("counts a replacement once although it shows up as create-replacement, replace and delete-replaced", () => {
    const VOLUME = "aws:ebs/volume:Volume";
    const gp2 = { availabilityZone: "us-east-1a", size: 100, type: "gp2" };
    const gp3 = { availabilityZone: "us-east-1a", size: 100, type: "gp3", iops: 4000, throughput: 250 };
    const e = estimate([
      step("create-replacement", VOLUME, "data", gp2, gp3),
      step("replace", VOLUME, "data", gp2, gp3),
      step("delete-replaced", VOLUME, "data", gp2, gp2),
    ]);
    expect(e.rows).toHaveLength(1);
    const data = row(e, "data");
    expect(data.change).toBe("replace");
    // gp2: 100 × $0.10 = $10.00. gp3: 100 × $0.08 + (4000 − 3000) × $0.005 + (250 − 125) × $0.04 = $18.00
    expect(data.beforeMonthly).toBeCloseTo(10, 6);
    expect(data.afterMonthly).toBeCloseTo(18, 6);
    expect(e.totalBefore).toBeCloseTo(10, 6);
    expect(e.totalAfter).toBeCloseTo(18, 6);
  });

  it("prices a delete as a fall, and a NAT gateway with its public IPv4 address", () => {
    const e = estimate([
      step("delete", "aws:ec2/natGateway:NatGateway", "nat-1", { subnetId: "subnet-1" }),
      step("delete", "aws:ec2/eip:Eip", "nat-1", { domain: "vpc" }),
    ]);
    // NAT $0.045/h × 730 = $32.85; public IPv4 $0.005/h × 730 = $3.65
    expect(e.totalBefore).toBeCloseTo(36.5, 6);
    expect(e.totalAfter).toBe(0);
    expect(headline(e)).toBe("Monthly cost will fall by $36.50, to $0.00");
    expect(e.usage.map((u) => u.item)).toContain("NAT gateway data processed");
  });

  it("says the cost will not change when only unpriced or unchanged resources move", () => {
    const e = estimate([
      step("same", "aws:eks/cluster:Cluster", "eks", { name: "c" }, { name: "c" }),
      step("update", "aws:iam/role:Role", "nodes", { name: "a" }, { name: "b" }),
    ]);
    // EKS control plane $0.10/h × 730 = $73.00, before and after
    expect(e.totalBefore).toBeCloseTo(73, 6);
    expect(headline(e)).toBe("Monthly cost will not change, stays at $73.00");
    expect(renderMarkdown(e)).toContain("| 1 unchanged priced resource | | $73.00 | $73.00 | $0.00 |");
  });

  it("adds a mixed preview up by hand", () => {
    const e = estimate([
      step("same", "aws:eks/cluster:Cluster", "eks", { name: "c" }, { name: "c" }),
      step("update", NODE_GROUP, "nodes", nodeGroup("t3.medium", 2), nodeGroup("t3.medium", 4)),
      step("create", "aws:kms/key:Key", "secrets", undefined, { description: "k" }),
      step("delete", "aws:ec2/eip:Eip", "old-ip", { domain: "vpc" }),
      step("create", "kubernetes:core/v1:Service", "web", undefined, {
        metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
        spec: { type: "LoadBalancer" },
      }),
    ]);
    // before: 73 + 63.936 + 3.65 = 140.586
    // after:  73 + (4 × 0.0416 × 730 = 121.472) + (4 × 20 × 0.08 = 6.40) + KMS 1.00 + NLB 0.0225 × 730 = 16.425
    expect(e.totalBefore).toBeCloseTo(140.586, 6);
    expect(e.totalAfter).toBeCloseTo(73 + 121.472 + 6.4 + 1 + 16.425, 6);
    expect(headline(e)).toBe("Monthly cost will rise by $77.71, to $218.30");
    const markdown = renderMarkdown(e);
    expect(markdown.startsWith("**Monthly cost will rise by $77.71, to $218.30**")).toBe(true);
    expect(markdown).toContain("| **total** | | **$140.59** | **$218.30** | **+$77.71** |");
    expect(markdown).toMatch(/<details>\n<summary>Charges that depend on usage/);
    expect(markdown).toContain("| NLB load balancer capacity units | $0.006 per NLCU-hour |");
  });

  it("prices storage and load balancers asked for in Helm values, times their replicas", () => {
    const e = estimate([
      step("create", "kubernetes:helm.sh/v3:Release", "kps", undefined, {
        chart: "kube-prometheus-stack",
        values: {
          prometheus: {
            prometheusSpec: {
              replicas: 2,
              storageSpec: {
                volumeClaimTemplate: { spec: { resources: { requests: { storage: "50Gi" } } } },
              },
            },
          },
          grafana: { persistence: { enabled: true, size: "10Gi" }, service: { type: "LoadBalancer" } },
        },
      }),
    ]);
    // 2 × 50 GiB + 10 GiB = 110 GiB × $0.08 = $8.80; Classic LB $0.025 × 730 = $18.25
    expect(row(e, "kps").afterMonthly).toBeCloseTo(8.8 + 18.25, 6);
    expect(row(e, "kps").after?.detail).toContain("prometheus.prometheusSpec.storageSpec: 2 × 50 GiB gp3");
  });

  it("reports what it cannot price instead of counting it as free", () => {
    const e = estimate([step("create", NODE_GROUP, "gpu", undefined, nodeGroup("p5.48xlarge", 1))]);
    expect(e.unpriced.join("\n")).toContain("instance type p5.48xlarge is not in the price table");
    expect(renderMarkdown(e)).toContain("could not be priced");
  });

  it("rejects a file that is not a preview", () => {
    expect(() => changesFromPreview({} as PreviewDigest)).toThrow(/steps/);
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
    const e = estimate(steps);
    const markdown = renderMarkdown(e);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // 3000 × $63.936 = $191,808.00
    expect(markdown.startsWith("**Monthly cost will rise by $191,808.00, to $191,808.00**")).toBe(true);
    expect(markdown).toContain("| resource | type | before | after | change |");
    expect(markdown).toMatch(/\| … \d+ more rows \| \| \| \| \|/);
    expect(markdown).toContain("| **total** | | **$0.00** | **$191,808.00** | **+$191,808.00** |");
    expect(markdown).not.toContain("<details>");
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

describe("helpers", () => {
  it("reads Kubernetes quantities as whole GiB, rounding up like the EBS CSI driver", () => {
    expect(quantityToGiB("50Gi")).toBe(50);
    expect(quantityToGiB("1Ti")).toBe(1024);
    expect(quantityToGiB("10G")).toBe(10); // 9.31 GiB → 10
    expect(quantityToGiB("512Mi")).toBe(1);
    expect(quantityToGiB("lots")).toBeUndefined();
  });

  it("formats dollars with cents and thousands", () => {
    expect(dollars(1234.5)).toBe("$1,234.50");
    expect(dollars(-2)).toBe("-$2.00");
    expect(dollars(0.001)).toBe("$0.00");
  });
});

describe("whole-stack estimate through the mocks harness", () => {
  const pinned = {
    region: "us-east-1",
    nodeInstanceTypes: '["t3.large"]',
    nodeMinSize: "2",
    nodeDesiredSize: "2",
    nodeMaxSize: "4",
    natGateways: "single",
    prometheusStorageSize: "50Gi",
  };

  it("prices every resource the program creates for the dev stack", async () => {
    const resources = await runProgramUnderMocks("dev", pinned);
    const e = estimateStack(resources, table, { stack: "dev", region: "us-east-1" });
    const byType = (type: string) =>
      e.rows.filter((r) => r.type === type).reduce((s, r) => s + r.afterMonthly, 0);
    expect(byType("aws:eks/cluster:Cluster")).toBeCloseTo(73, 6); // $0.10 × 730
    // 2 × t3.large: 2 × $0.0832 × 730 = $121.472, plus the launch template's 2 × 50 GiB gp3 = $8.00
    expect(byType(NODE_GROUP)).toBeCloseTo(121.472 + 8, 6);
    expect(byType("aws:ec2/natGateway:NatGateway")).toBeCloseTo(32.85, 6); // one NAT gateway
    expect(byType("aws:ec2/eip:Eip")).toBeCloseTo(3.65, 6); // its public IPv4 address
    expect(byType("aws:kms/key:Key")).toBeCloseTo(1, 6);
    // Prometheus 50 GiB + Alertmanager 2 GiB of gp3 from the kube-prometheus-stack values: 52 × $0.08
    expect(byType("kubernetes:helm.sh/v3:Release")).toBeCloseTo(4.16, 6);
    expect(e.totalAfter).toBeCloseTo(73 + 129.472 + 32.85 + 3.65 + 1 + 4.16, 6);
    expect(headline(e)).toBe("Estimated monthly cost of stack dev: $244.13");
    expect(e.usage.map((u) => u.item)).toContain("Cost Explorer API (cost exporter)");
  });
});

describe("npm run cost", () => {
  it("prints the default stack's monthly estimate from a fresh checkout (no cloud)", async () => {
    const { stdout } = await run("npm", ["run", "--silent", "cost"], { cwd: repoRoot, timeout: 60_000 });
    expect(stdout).toMatch(/^\*\*Estimated monthly cost of stack dev: \$[0-9,]+\.\d\d\*\*/);
    expect(stdout).toContain("| resource | type | monthly |");
  });

  it("prices a preview file and can answer in JSON", async () => {
    const file = join(scratch, "preview.json");
    writeFileSync(
      file,
      JSON.stringify(preview([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.medium", 2))])),
    );
    const { stdout } = await run(
      "npm",
      ["run", "--silent", "cost", "--", "--preview", file, "--format", "json"],
      {
        cwd: repoRoot,
        timeout: 60_000,
      },
    );
    const parsed = JSON.parse(stdout) as { totalAfter: number; region: string };
    expect(parsed.totalAfter).toBeCloseTo(63.936, 6);
    expect(parsed.region).toBe("us-east-1");
  });

  it("exits non-zero naming the file when the preview is missing, empty, not JSON or not a preview", async () => {
    const cases: [string, string | undefined, string][] = [
      ["missing.json", undefined, "cannot read the preview file"],
      ["empty.json", "", "is empty"],
      ["truncated.json", '{"steps": [', "is not JSON"],
      ["diagnostics.json", '{"diagnostics": [{"severity": "error"}]}', 'no "steps"'],
    ];
    for (const [name, content, problem] of cases) {
      const file = join(scratch, name);
      if (content !== undefined) writeFileSync(file, content);
      const failure = await run("npm", ["run", "--silent", "cost", "--", "--preview", file], {
        cwd: repoRoot,
        timeout: 60_000,
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failure?.code, name).toBe(2);
      expect(failure?.stderr, name).toContain(file);
      expect(failure?.stderr, name).toContain(problem);
    }
  });
});

describe("the checked-in price table", () => {
  it("dates its prices by the published pages it was entered from, not by the day it was written", () => {
    const table = loadPriceTable();
    if (/entered by hand/.test(table.source.kind)) {
      const year = /^published prices as of (20\d\d)$/.exec(table.recorded)?.[1];
      expect(year, `recorded: ${table.recorded}`).toBeDefined();
      // The note names the pages and the year they were read as published.
      expect(table.source.note).toContain(`published 2024-${year}`);
    } else {
      expect(table.source.kind).toMatch(/Price List API/);
      expect(table.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
