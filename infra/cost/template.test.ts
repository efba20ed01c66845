import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AWS_PRICE_TABLE, centsString, exact, loadPriceTable } from "@platform/prices";
import {
  costConfig,
  costReportSchema,
  estimateStack,
  headline,
  type PricedInput,
  renderMarkdown,
  toReport,
  workloadsOf,
} from "pulumi-cost";
import { afterAll, describe, expect, it } from "vitest";
import { loadDefaultThresholds } from "../../thresholds/thresholds";
import { kubePrometheusStackValues } from "../components/monitoring";
import { repositoryRoot } from "../platform";
import { listStacks } from "../stack-config";
import { runProgramUnderMocks } from "../under-mocks/mocks";
import { costExporterUsage } from "./exporter-usage";
import { inventoryGroups } from "./inventory";
import {
  guardrailFor,
  loadUsage,
  stackMonthlyBudget,
  stackSettings,
  templateConfig,
} from "./template-config";

// The adapter between this template and the engine: stack files, .github/stacks.json, usage.yaml, the EKS
// version table and the cost exporter's requests, turned into the engine's configuration.
const table = loadPriceTable(AWS_PRICE_TABLE);
const DEC_1 = new Date("2026-12-01T00:00:00Z");
const scratch = mkdtempSync(join(tmpdir(), "cost-template-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the guardrail in .github/stacks.json", () => {
  it("reads each stack's guardrail", () => {
    expect(guardrailFor("dev")).toEqual({ monthlyIncreaseUsd: exact(50), monthlyIncreasePercent: exact(20) });
    expect(guardrailFor("prod")).toEqual({
      monthlyIncreaseUsd: exact(100),
      monthlyIncreasePercent: exact(10),
    });
    expect(guardrailFor("local")).toBeUndefined();
  });

  it("names a malformed guardrail", () => {
    const file = join(scratch, "stacks.json");
    const stack = { name: "dev", environment: "dev", pullRequestPreview: true };
    writeFileSync(
      file,
      JSON.stringify({ stacks: [{ ...stack, costGuardrail: { monthlyIncreaseUsd: "lots" } }] }),
    );
    expect(() => guardrailFor("dev", file)).toThrow(/stacks.0.costGuardrail.monthlyIncreaseUsd/);
    writeFileSync(file, JSON.stringify({ stacks: [{ ...stack, costGuardrail: {} }] }));
    expect(() => guardrailFor("dev", file)).toThrow(/set monthlyIncreaseUsd, monthlyIncreasePercent or both/);
  });
});

describe("stack files, read by infra's one reader", () => {
  it("says which Pulumi.<stack>.yaml is missing and which stacks there are", () => {
    expect(listStacks()).toEqual(["dev", "local", "prod"]);
    expect(() => stackSettings("nope")).toThrow(
      "Pulumi.nope.yaml does not exist at the repository root; the stacks there are: dev, local, prod",
    );
  });

  it("reads a stack as the program parses it: platform:region (default us-east-1), never aws:region", () => {
    const root = mkdtempSync(join(tmpdir(), "cost-stack-"));
    try {
      writeFileSync(
        join(root, "Pulumi.other.yaml"),
        'config:\n  aws:region: eu-west-1\n  platform:clusterAdminRoleArns: ["arn:aws:iam::123456789012:role/admin"]\n  platform:thresholds:\n    cost:\n      monthlyBudgetUsd: 420\n',
      );
      // The program creates everything through providers of platform:region; aws:region places nothing.
      expect(stackSettings("other", root).region).toBe("us-east-1");
      expect(stackMonthlyBudget("other", root)).toMatchObject({
        source: "Pulumi.other.yaml platform:thresholds.cost.monthlyBudgetUsd",
      });
      expect(stackMonthlyBudget("other", root).monthlyUsd.toFixed(2)).toBe("420.00");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads the monthly budget where the program reads it", () => {
    expect(stackMonthlyBudget("dev").monthlyUsd.toFixed(2)).toBe("300.00");
    expect(stackMonthlyBudget("prod").monthlyUsd.toFixed(2)).toBe("1500.00");
    // local sets none: the program's default
    expect(stackMonthlyBudget("local")).toMatchObject({
      source: "cost.monthlyBudgetUsd default (thresholds/thresholds.yaml)",
    });
  });

  it("gives an existing cluster's stack no budget and says why its volumes are not priced", () => {
    const config = templateConfig("local", { resources: [], hoursPerMonth: exact(730), monthStart: DEC_1 });
    expect(config.budget).toBeUndefined();
    expect(config.notices[0]).toContain("Stack `local` uses an existing cluster");
    expect(
      templateConfig("dev", { resources: [], hoursPerMonth: exact(730), monthStart: DEC_1 }).budget,
    ).toEqual(stackMonthlyBudget("dev"));
  });
});

describe("the usage file", () => {
  it("applies the defaults and a stack's own figures over them", () => {
    const file = join(scratch, "usage.yaml");
    writeFileSync(
      file,
      "defaults:\n  natGateway: { dataProcessedGb: 50 }\n  kms: { requestsPerKey: 1000 }\nstacks:\n  prod:\n    natGateway: { dataProcessedGb: 200.5 }\n",
    );
    const usageOf = (stack: string) => costConfig({ usage: loadUsage(stack, file).section }).usage;
    expect(usageOf("dev").natGatewayDataProcessedGb?.toFixed()).toBe("50");
    expect(usageOf("prod").natGatewayDataProcessedGb?.toFixed()).toBe("200.5");
    expect(usageOf("prod").kmsRequestsPerKey?.toFixed()).toBe("1000");
  });

  it("names a key it does not know and a bad amount", () => {
    const file = join(scratch, "bad-usage.yaml");
    writeFileSync(file, "defaults:\n  natGateway: { dataGb: 50 }\n  kms: { requestsPerKey: -1 }\n");
    expect(() => loadUsage("dev", file)).toThrow(
      /defaults.natGateway[\s\S]*dataGb[\s\S]*defaults.kms.requestsPerKey/,
    );
  });

  it("checks the checked-in usage file, and names it as the comment does", () => {
    const usage = loadUsage("prod");
    expect(costConfig({ usage: usage.section }).usage.natGatewayDataProcessedGb?.toFixed()).toBe("200");
    expect(usage.source).toBe("infra/cost/usage.yaml");
    expect(usage.pagesPerRequest?.toFixed()).toBe("1");
  });
});

/** The exporter's Deployment with these settings, and what its requests cost a month. */
const deployment = (env: Record<string, string>): PricedInput => ({
  type: "kubernetes:apps/v1:Deployment",
  name: "apps-cost-exporter",
  inputs: {
    metadata: { name: "cost-exporter" },
    spec: {
      template: {
        spec: {
          containers: [
            { name: "cost-exporter", env: Object.entries(env).map(([name, value]) => ({ name, value })) },
          ],
        },
      },
    },
  },
});
const arithmetic = (env: Record<string, string>) => {
  const config = costConfig({
    region: "us-east-1",
    resourceUsage: costExporterUsage([{ side: "after", resource: deployment(env) }], {
      hours: exact(730),
      monthStart: DEC_1,
      pagesPerRequest: exact(1),
    }),
  });
  const e = estimateStack([deployment(env)], table, {
    stack: "dev",
    region: "us-east-1",
    config,
    monthStart: DEC_1,
  });
  return e.usage.lines.map((l) => l.charge.estimate?.arithmetic.plain ?? "none");
};

describe("the cost exporter's own Cost Explorer requests, as the engine's resourceUsage", () => {
  it("computes them from the settings the program gives the Deployment", () => {
    // 730 h ÷ 8 h = 91.25 refreshes × 3 requests (by service, by tag, forecast) × 1 page × $0.01 = $2.7375
    expect(
      arithmetic({
        COST_EXPORTER_MODE: "aws",
        REFRESH_INTERVAL: "8h",
        COST_TAG_KEY: "stack",
        DAILY_REQUEST_CAP: "12",
      }),
    ).toEqual([
      "91.25 refreshes (730 h ÷ REFRESH_INTERVAL 8h) × 3 requests × 1 page × $0.01/request = $2.74",
    ]);
    // without a tag key a refresh makes 2 requests: 91.25 × 2 × $0.01 = $1.825 → $1.83
    expect(arithmetic({ REFRESH_INTERVAL: "8h" })[0]).toContain(
      "× 2 requests × 1 page × $0.01/request = $1.83",
    );
    // refreshing every hour is 24 × 3 = 72 requests a day, capped at 12: 12 × 730 ÷ 24 = 365 requests
    expect(arithmetic({ REFRESH_INTERVAL: "1h", COST_TAG_KEY: "stack", DAILY_REQUEST_CAP: "12" })).toEqual([
      "365 requests (DAILY_REQUEST_CAP 12 a day × 730 h ÷ 24 h) × $0.01/request = $3.65",
    ]);
    // unset settings are the exporter's own defaults: every 8 h, capped at 24 a day (no effect at 3 a day)
    expect(arithmetic({ COST_TAG_KEY: "stack" })).toEqual([
      "91.25 refreshes (730 h ÷ REFRESH_INTERVAL 8h (its default)) × 3 requests × 1 page × $0.01/request = $2.74",
    ]);
    // every 15 min is 96 × 3 = 288 a day, above the default cap of 24: 24 × 730 ÷ 24 = 730 requests
    expect(arithmetic({ REFRESH_INTERVAL: "15m", COST_TAG_KEY: "stack" })).toEqual([
      "730 requests (DAILY_REQUEST_CAP 24 a day × 730 h ÷ 24 h) × $0.01/request = $7.30",
    ]);
    expect(arithmetic({ COST_EXPORTER_MODE: "demo", REFRESH_INTERVAL: "8h" })).toEqual([]);
  });

  it("keeps each side's own figure when a change alters the interval", () => {
    const entries = costExporterUsage(
      [
        { side: "before", resource: deployment({ REFRESH_INTERVAL: "8h" }) },
        { side: "after", resource: deployment({ REFRESH_INTERVAL: "4h" }) },
      ],
      { hours: exact(730), monthStart: DEC_1, pagesPerRequest: exact(1) },
    );
    expect(entries.map((e) => e.side)).toEqual(["before", "after"]);
    const same = costExporterUsage(
      [
        { side: "before", resource: deployment({ REFRESH_INTERVAL: "8h" }) },
        { side: "after", resource: deployment({ REFRESH_INTERVAL: "8h" }) },
      ],
      { hours: exact(730), monthStart: DEC_1, pagesPerRequest: exact(1) },
    );
    expect(same).toHaveLength(1);
    expect(same[0]?.side).toBeUndefined();
  });
});

describe("whole-stack estimate through the mocks harness", () => {
  const pinned = {
    region: "us-east-1",
    kubernetesVersion: "1.35",
    nodeInstanceTypes: '["t3.large"]',
    nodeMinSize: "2",
    nodeDesiredSize: "2",
    nodeMaxSize: "4",
    natGateways: "single",
    prometheusStorageSize: "50Gi",
  };
  const estimateOf = (resources: PricedInput[]) =>
    estimateStack(resources, table, {
      stack: "dev",
      region: "us-east-1",
      config: templateConfig("dev", {
        resources: [],
        hoursPerMonth: exact(730),
        monthStart: DEC_1,
        usageFile: "/nonexistent",
      }),
      monthStart: DEC_1,
    });

  it("prices every resource the program creates for the dev stack, by hand", async () => {
    const resources = await runProgramUnderMocks("dev", pinned);
    const e = estimateOf(resources);
    const byType = (type: string) =>
      centsString(e.rows.filter((r) => r.type === type).reduce((s, r) => s.plus(r.afterMonthly), exact(0)));
    expect(byType("aws:eks/cluster:Cluster")).toBe("73.00"); // $0.10 × 730
    // 2 × t3.large: 2 × $0.0832 × 730 = $121.472 → $121.47, plus the launch template's 2 × 50 GiB gp3 = $8.00
    expect(byType("aws:eks/nodeGroup:NodeGroup")).toBe("129.47");
    expect(byType("aws:ec2/natGateway:NatGateway")).toBe("32.85");
    expect(byType("aws:ec2/eip:Eip")).toBe("3.65");
    expect(byType("aws:kms/key:Key")).toBe("1.00");
    // Prometheus 50 GiB + Alertmanager 2 GiB of gp3 (the program's gp3 StorageClass): 52 × $0.08
    expect(byType("kubernetes:helm.sh/v3:Release")).toBe("4.16");
    // the storefront's internet-facing ALB (Ingress class alb): 730 h × $0.0225 = $16.425 → $16.43, plus one
    // public IPv4 address in each of the 2 public subnets: 2 × 730 h × $0.005 = $7.30
    expect(byType("kubernetes:networking.k8s.io/v1:Ingress")).toBe("23.73");
    // the long-term store's AMP workspace bills by use only: nothing in the fixed total
    expect(byType("aws:amp/workspace:Workspace")).toBe("0.00");
    // 73.00 + 129.47 + 32.85 + 3.65 + 1.00 + 4.16 + 23.73 = 267.86
    expect(headline(e).plain).toBe("Estimated monthly cost of stack dev: $267.86");
    // the control plane's logs are ingested once, on the log group EKS writes to (no usage file here: its
    // unit price only), not again on the cluster
    const logs = e.usage.lines.filter((l) => l.charge.item.plain.includes("CloudWatch Logs"));
    expect(logs.map((l) => [l.resource, l.charge.item.plain, l.charge.unitPrice.toFixed()])).toEqual([
      ["cluster-control-plane-logs", "EKS control plane logs (CloudWatch Logs ingestion)", "0.5"],
    ]);
    // nothing the program creates is left unpriced or called free without being on the free list
    expect(e.counts.notPriced).toBe(0);
    expect(e.atLeast).toBe(false);
    // the workloads fit two t3.large nodes: no node added
    expect(e.capacity.after.map((a) => [a.fit.nodeGroup.name, a.fit.nodes, a.fit.pendingAtMax])).toEqual([
      ["cluster-nodes", 2, 0],
    ]);
    for (const r of e.rows) {
      for (const c of r.after?.components ?? []) {
        expect(centsString(c.quantity.times(c.unitPrice)), c.arithmetic.plain).toBe(centsString(c.monthly));
      }
    }
    expect(costReportSchema.parse(toReport(e)).counts.resources).toBe(resources.length);
    expect(renderMarkdown(e)).toContain("| `cluster-nodes` | eks NodeGroup |");
  });

  it("groups the inventory by the component each resource belongs to", async () => {
    const e = estimateOf(await runProgramUnderMocks("dev", pinned));
    const cluster = inventoryGroups(e).find((g) => g.component === "platform:cluster:EksCluster `cluster`");
    expect(cluster?.rows.map((r) => r.name)).toContain("cluster-nodes");
    // control plane $73.00 + nodes $129.47 + KMS key $1.00
    expect(cluster?.monthly.toFixed(2)).toBe("203.47");
  });
});

describe("kube-prometheus-stack's pods, from the values the program gives the release", () => {
  it("reads the pods of kube-prometheus-stack from the release's values the program declares", () => {
    const values = kubePrometheusStackValues(
      {
        namespace: "monitoring",
        chartVersion: "88.5.3",
        prometheusRetention: "15d",
        prometheusStorageSize: "50Gi",
        alertmanagerStorageSize: "2Gi",
        grafanaExposure: "cluster-ip",
        loadBalancerTags: {},
        telegramChatId: "0",
        telegramBotToken: undefined,
        sourceRoot: repositoryRoot,
        thresholds: loadDefaultThresholds(),
        costTagKey: "stack",
        managedControlPlane: true,
        provider: undefined as never,
      },
      "grafana-admin",
    );
    const { workloads } = workloadsOf([
      {
        type: "kubernetes:helm.sh/v3:Release",
        name: "kps",
        inputs: { chart: "kube-prometheus-stack", name: "kube-prometheus-stack", values },
      },
    ]);
    const shape = Object.fromEntries(
      workloads.map((w) => [
        w.name.plain,
        [w.kind, w.replicas, w.pod.cpuMillicores, w.pod.memoryBytes / 2 ** 20],
      ]),
    );
    expect(shape).toEqual({
      // Prometheus 200m/1Gi + its config reloader 10m/32Mi
      "kube-prometheus-stack: prometheus": ["StatefulSet", 1, 210, 1056],
      // Alertmanager 25m/64Mi + reloader
      "kube-prometheus-stack: alertmanager": ["StatefulSet", 1, 35, 96],
      // Grafana 50m/192Mi + two sidecars (dashboards, datasources) of 10m/64Mi
      "kube-prometheus-stack: grafana": ["Deployment", 1, 70, 320],
      "kube-prometheus-stack: prometheus-operator": ["Deployment", 1, 50, 96],
      "kube-prometheus-stack: kube-state-metrics": ["Deployment", 1, 20, 64],
      "kube-prometheus-stack: node-exporter": ["DaemonSet", 1, 20, 32],
    });
  });
});
