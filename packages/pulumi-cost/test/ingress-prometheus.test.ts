import { describe, expect, it } from "vitest";
import type { CostConfigInput } from "../src/config.js";
import type { CostEstimate } from "../src/estimate.js";
import { headline } from "../src/markdown.js";
import type { PreviewStep } from "../src/preview.js";
import { workloadsOf } from "../src/workloads.js";
import { DEC_1, estimateOf, step } from "./fixtures.js";

// Every figure is worked out by hand from the checked-in us-east-1 prices: ALB $0.0225/h and $0.008/LCU-hour,
// public IPv4 $0.005/h (aws.amazon.com/elasticloadbalancing/pricing, /vpc/pricing); Amazon Managed Service
// for Prometheus $0.90 per 10M samples ingested (first tier), $0.03 per GB-month stored, $0.10 per billion
// query samples processed (aws.amazon.com/prometheus/pricing). A month is 730 h.
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SUBNET = "aws:ec2/subnet:Subnet";
const WORKSPACE = "aws:amp/workspace:Workspace";

const estimate = (steps: PreviewStep[], usage?: CostConfigInput["usage"]) =>
  estimateOf(steps, usage ? { usage } : {}, DEC_1);
const row = (e: CostEstimate, name: string) => {
  const found = e.rows.find((r) => r.name === name);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
};
const arithmetic = (e: CostEstimate, name: string) =>
  row(e, name).after?.components.map((c) => c.arithmetic.plain);

const ingress = (name: string, annotations: Record<string, string>, ingressClassName?: string) =>
  step("create", INGRESS, name, undefined, {
    metadata: { name, annotations },
    spec: { ...(ingressClassName ? { ingressClassName } : {}), rules: [] },
  });
const publicSubnet = (name: string) =>
  step("create", SUBNET, name, undefined, { tags: { "kubernetes.io/role/elb": "1" } });

describe("an Ingress of the AWS Load Balancer Controller is an Application Load Balancer", () => {
  it("prices an internal ALB's hours, and its LCUs as usage", () => {
    const e = estimate([ingress("web", {}, "alb")], { loadBalancer: { capacityUnitsPerHour: 2 } });
    // 730 h × $0.0225 = $16.425 → $16.43
    expect(arithmetic(e, "web")).toEqual(["ALB × 730 h × $0.0225/h = $16.43"]);
    // 2 LCU × 730 h × $0.008 = $11.68, apart from the total
    expect(e.usage.lines.map((l) => l.charge.estimate?.arithmetic.plain)).toEqual([
      "2 LCU × 730 h × $0.008/LCU-hour = $11.68",
    ]);
    expect(headline(e).plain).toBe("Monthly cost will rise by $16.43, to $16.43");
  });

  it("adds an internet-facing ALB's public IPv4 address in each subnet the controller discovers", () => {
    const e = estimate([
      publicSubnet("public-a"),
      publicSubnet("public-b"),
      step("create", SUBNET, "private-a", undefined, { tags: { "kubernetes.io/role/internal-elb": "1" } }),
      ingress("web", { "alb.ingress.kubernetes.io/scheme": "internet-facing" }, "alb"),
    ]);
    // $16.43 + 2 addresses × 730 h × $0.005 = $7.30
    expect(arithmetic(e, "web")).toEqual([
      "ALB × 730 h × $0.0225/h = $16.43",
      "2 × address × 730 h × $0.005/h = $7.30",
    ]);
    expect(row(e, "web").afterMonthly.toFixed(2)).toBe("23.73");
    // the annotation's subnets win over discovery: three listed, three addresses (3 × 730 × $0.005 = $10.95)
    const listed = estimate([
      publicSubnet("public-a"),
      ingress(
        "web",
        {
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/subnets": "subnet-1, subnet-2,subnet-3",
        },
        "alb",
      ),
    ]);
    expect(arithmetic(listed, "web")?.[1]).toBe("3 × address × 730 h × $0.005/h = $10.95");
  });

  it("says an internet-facing ALB whose subnets it cannot see is priced only in part", () => {
    const e = estimate([ingress("web", { "alb.ingress.kubernetes.io/scheme": "internet-facing" }, "alb")]);
    expect(e.atLeast).toBe(true);
    expect(e.notPriced.map((t) => t.plain).join()).toContain("its public IPv4 addresses (one per subnet)");
  });

  it("prices the legacy kubernetes.io/ingress.class annotation like the class name", () => {
    const e = estimate([ingress("legacy", { "kubernetes.io/ingress.class": "alb" })]);
    expect(arithmetic(e, "legacy")).toEqual(["ALB × 730 h × $0.0225/h = $16.43"]);
  });

  it("prices the Ingresses of one group as one ALB, and each group or lone Ingress as its own", () => {
    const group = (name: string) => ({ "alb.ingress.kubernetes.io/group.name": name });
    const e = estimate([
      ingress("shop", group("public"), "alb"),
      ingress("grafana", group("public"), "alb"),
      ingress("admin", group("internal"), "alb"),
      ingress("lone", {}, "alb"),
    ]);
    // three ALBs: 3 × $16.43 = $49.29
    expect(e.totalAfter.toFixed(2)).toBe("49.29");
    expect(arithmetic(e, "grafana")).toEqual([]);
    expect(row(e, "grafana").after?.notes.map((t) => t.plain)).toEqual([
      "shares the ALB of Ingress group public, priced on shop",
    ]);
    expect(e.counts).toMatchObject({ priced: 3, free: 1, notPriced: 0 });
  });

  it("does not price an Ingress of another class, nor one without a class, and says why", () => {
    const e = estimate([ingress("nginx", {}, "nginx"), ingress("classless", {})]);
    expect(e.counts).toMatchObject({ notPriced: 2, free: 0 });
    expect(e.atLeast).toBe(true);
    expect(e.notPriced.map((t) => t.plain)).toEqual([
      "nginx (kubernetes:networking.k8s.io/v1:Ingress): Ingress class nginx is not the AWS Load Balancer Controller's (alb): what its controller creates is not known",
      "classless (kubernetes:networking.k8s.io/v1:Ingress): Ingress without an ingress class (spec.ingressClassName): which load balancer serves it is not known",
    ]);
  });
});

describe("an Amazon Managed Service for Prometheus workspace is billed by use only", () => {
  it("lists samples ingested, storage and query samples at their unit prices, with no fixed charge", () => {
    const e = estimate([step("create", WORKSPACE, "store", undefined, { alias: "metrics" })]);
    expect(e.counts).toMatchObject({ usage: 1, priced: 0, free: 0, notPriced: 0 });
    expect(e.totalAfter.toFixed(2)).toBe("0.00");
    expect(
      e.usage.lines.map((l) => [
        l.charge.item.plain,
        l.charge.unitPrice.toFixed(),
        l.charge.unit,
        l.charge.estimate,
      ]),
    ).toEqual([
      ["AMP metric samples ingested", "0.9", "10M samples", undefined],
      ["AMP metrics stored", "0.03", "GB-month", undefined],
      ["AMP query samples processed", "0.1", "billion samples", undefined],
    ]);
  });

  it("estimates them from the usage given", () => {
    const e = estimate([step("create", WORKSPACE, "store", undefined, {})], {
      prometheusWorkspace: {
        samplesIngested: 3_153_600,
        storedGb: 0.5,
        querySamplesProcessed: 20_000_000_000,
      },
    });
    expect(e.usage.lines.map((l) => l.charge.estimate?.arithmetic.plain)).toEqual([
      // 3,153,600 ÷ 10M = 0.31536 × $0.90 = $0.283824 → $0.28
      "0.31536 × 10M samples × $0.90/10M samples = $0.28",
      // 0.5 GB × $0.03 = $0.015 → $0.02 (half up)
      "0.5 GB × $0.03/GB-month = $0.02",
      // 20B ÷ 1B = 20 × $0.10 = $2.00
      "20 × 1B samples × $0.10/billion samples = $2.00",
    ]);
    expect(e.usage.after.toFixed(2)).toBe("2.30");
    expect(e.totalAfter.toFixed(2)).toBe("0.00");
  });

  it("lists the same unit prices in Oregon and Mumbai (AWS's pricing-page data gives one figure in all ten regions)", () => {
    // aws-price-watcher processed/prometheus.json: 'Metric from 40000000 to 2000000000 per Metric Datapoints'
    // 0.00000009 ($0.90 per 10M), 'Storage from 10 to Inf per GB-Mo' 0.03, 'API Request from 0 to Inf' 0.0000000001
    for (const region of ["us-west-2", "ap-south-1"]) {
      const e = estimate([step("create", WORKSPACE, "store", undefined, { region })]);
      expect(e.counts).toMatchObject({ usage: 1, notPriced: 0 });
      expect(e.usage.lines.map((l) => [l.charge.unitPrice.toFixed(), l.charge.unit])).toEqual([
        ["0.9", "10M samples"],
        ["0.03", "GB-month"],
        ["0.1", "billion samples"],
      ]);
    }
  });

  it("does not price a workspace in a region the price table does not hold", () => {
    const e = estimate([step("create", WORKSPACE, "store", undefined, { region: "sa-east-1" })]);
    expect(e.counts).toMatchObject({ notPriced: 1, free: 0 });
    expect(e.notPriced.map((t) => t.plain)).toEqual([
      "store (aws:amp/workspace:Workspace): no prices for region sa-east-1 in the price table (never priced at another region's)",
    ]);
  });

  it("calls its retention configuration free, with the reason", () => {
    const e = estimate([
      step("create", "aws:amp/workspaceConfiguration:WorkspaceConfiguration", "retention", undefined, {
        retentionPeriodInDays: 400,
      }),
    ]);
    expect(e.counts).toMatchObject({ free: 1, notPriced: 0 });
  });
});

describe("the EKS control plane's log ingestion, counted once", () => {
  const cluster = step("create", "aws:eks/cluster:Cluster", "eks", undefined, {
    name: "shop",
    version: "1.35",
    upgradePolicy: { supportType: "STANDARD" },
    enabledClusterLogTypes: ["audit", "authenticator"],
  });
  const usage = { eksControlPlaneLogs: { ingestedGb: 5 }, cloudwatchLogs: { ingestedGbPerLogGroup: 1 } };
  const lines = (e: CostEstimate) =>
    e.usage.lines.map((l) => [l.resource, l.charge.item.plain, l.charge.estimate?.arithmetic.plain]);

  it("on the log group EKS writes to, when the program declares it", () => {
    const e = estimate(
      [
        cluster,
        step("create", "aws:cloudwatch/logGroup:LogGroup", "control-plane-logs", undefined, {
          name: "/aws/eks/shop/cluster",
          retentionInDays: 7,
        }),
        step("create", "aws:cloudwatch/logGroup:LogGroup", "app-logs", undefined, { name: "/app" }),
      ],
      usage,
    );
    // 5 GB × $0.50 = $2.50 once, on the log group; the other log group 1 GB × $0.50 = $0.50
    expect(lines(e)).toEqual([
      ["control-plane-logs", "EKS control plane logs (CloudWatch Logs ingestion)", "5 GB × $0.50/GB = $2.50"],
      ["app-logs", "CloudWatch Logs ingestion", "1 GB × $0.50/GB = $0.50"],
    ]);
    expect(e.usage.after.toFixed(2)).toBe("3.00");
  });

  it("on the cluster, when EKS creates the log group itself", () => {
    const e = estimate([cluster], usage);
    expect(lines(e)).toEqual([
      ["eks", "EKS control plane logs (CloudWatch Logs ingestion)", "5 GB × $0.50/GB = $2.50"],
    ]);
  });
});

describe("the AWS Load Balancer Controller's chart", () => {
  const release = (values: Record<string, unknown>) => ({
    type: "kubernetes:helm.sh/v3:Release",
    name: "lbc",
    inputs: { chart: "aws-load-balancer-controller", name: "lbc", values },
  });

  it("runs replicaCount pods with the release's resources", () => {
    const { workloads, notes } = workloadsOf([
      release({ replicaCount: 3, resources: { requests: { cpu: "50m", memory: "128Mi" } } }),
    ]);
    expect(notes).toEqual([]);
    expect(workloads.map((w) => [w.name.plain, w.kind, w.replicas, w.pod, w.withoutRequests])).toEqual([
      [
        "lbc: aws-load-balancer-controller",
        "Deployment",
        3,
        { cpuMillicores: 50, memoryBytes: 128 * 2 ** 20 },
        [],
      ],
    ]);
  });

  it("runs the chart's two pods, requesting nothing, when the values leave them out", () => {
    const { workloads } = workloadsOf([release({})]);
    expect(workloads.map((w) => [w.replicas, w.pod, w.withoutRequests])).toEqual([
      [2, { cpuMillicores: 0, memoryBytes: 0 }, ["resources"]],
    ]);
  });
});
