import { AWS_PRICE_TABLE, INSTANCE_TYPES, loadPriceTable, splitNodePrice } from "@platform/prices";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { loadCostExporterConfig } from "./config.js";
import { priceMetricsOptionsFrom, registerPriceMetrics } from "./price-metrics.js";

const table = loadPriceTable(AWS_PRICE_TABLE);
const usEast = table.regions.get("us-east-1");
if (!usEast) throw new Error("the price table lost us-east-1");

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function samples(env: Record<string, string>, now = Date.parse("2026-12-01T12:00:00Z")) {
  const config = loadCostExporterConfig(env);
  const registry = new Registry();
  registerPriceMetrics(
    registry,
    priceMetricsOptionsFrom(config, () => now),
  );
  const all: Sample[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const v of metric.values) {
      all.push({
        name: metric.name,
        labels: v.labels as Record<string, string>,
        value: v.value,
      });
    }
  }
  return all;
}
const sampleValue = (all: Sample[], name: string, labels: Record<string, string> = {}) =>
  all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const DEV = {
  PRICE_REGION: "us-east-1",
  PRICE_INSTANCE_TYPES: "t3.large,m7i.large",
  STACK_NAME: "dev",
  STACK_RESOURCES: "eks_cluster=1,nat_gateway=1,public_ipv4_address=1,kms_key=1",
  NODE_ROOT_VOLUME: "gp3:50",
  EKS_EXTENDED_SUPPORT_FROM: "2027-08-02",
};

describe("prices as metrics", () => {
  it("publish the table's prices of the configured region and instance types, digit for digit", async () => {
    const all = await samples(DEV);
    const hourly = (type: string) => Number(usEast.ec2InstanceHour.get(type)?.toString());
    expect(sampleValue(all, "aws_price_ec2_instance_usd_per_hour", { instance_type: "t3.large" })).toBe(
      0.0832,
    );
    expect(sampleValue(all, "aws_price_ec2_instance_usd_per_hour", { instance_type: "m7i.large" })).toBe(
      hourly("m7i.large"),
    );
    for (const type of ["t3.large", "m7i.large"]) {
      const shape = INSTANCE_TYPES[type];
      const price = usEast.ec2InstanceHour.get(type);
      if (!shape || !price) throw new Error(type);
      const split = splitNodePrice(price, shape.vcpu, shape.memoryGiB);
      expect(sampleValue(all, "aws_price_ec2_instance_vcpu_usd_per_hour", { instance_type: type })).toBe(
        Number(split.perVcpuHour.toString()),
      );
      expect(
        sampleValue(all, "aws_price_ec2_instance_memory_usd_per_gib_hour", { instance_type: type }),
      ).toBe(Number(split.perGiBHour.toString()));
    }
    // What npm run cost shows for t3.large: $0.027081/vCPU-h + $0.00363/GiB-h.
    expect(sampleValue(all, "aws_price_ec2_instance_vcpu_usd_per_hour", { instance_type: "t3.large" })).toBe(
      0.027081,
    );
    expect(sampleValue(all, "aws_price_ebs_usd_per_gib_month", { volume_type: "gp3" })).toBe(0.08);
    expect(sampleValue(all, "aws_price_ebs_usd_per_gib_month", { volume_type: "gp2" })).toBe(0.1);
    expect(sampleValue(all, "aws_price_load_balancer_usd_per_hour", { type: "network" })).toBe(0.0225);
    expect(sampleValue(all, "aws_price_load_balancer_usd_per_hour", { type: "classic" })).toBe(0.025);
    expect(sampleValue(all, "aws_price_nat_gateway_usd_per_hour")).toBe(0.045);
    expect(sampleValue(all, "aws_price_public_ipv4_usd_per_hour")).toBe(0.005);
    expect(sampleValue(all, "aws_price_eks_cluster_usd_per_hour")).toBe(0.1);
    expect(sampleValue(all, "aws_price_eks_extended_support_usd_per_hour")).toBe(0.5);
    expect(sampleValue(all, "aws_price_kms_key_usd_per_month")).toBe(1);
    expect(sampleValue(all, "aws_price_table_month_seconds")).toBe(730 * 3600);
    expect(sampleValue(all, "aws_price_table_info", { recorded: table.recorded })).toBe(1);
  });

  it("publish the stack's parts outside Kubernetes, and the extended-support surcharge from its day on", async () => {
    const before = await samples(DEV, Date.parse("2027-08-01T23:59:59Z"));
    const after = await samples(DEV, Date.parse("2027-08-02T00:00:00Z"));
    expect(sampleValue(before, "aws_stack_info", { stack: "dev", region: "us-east-1" })).toBe(1);
    for (const [resource, count] of [
      ["eks_cluster", 1],
      ["nat_gateway", 1],
      ["public_ipv4_address", 1],
      ["kms_key", 1],
    ] as const) {
      expect(sampleValue(before, "aws_stack_resources", { stack: "dev", resource })).toBe(count);
    }
    expect(sampleValue(before, "aws_stack_resources", { resource: "eks_extended_support" })).toBe(0);
    expect(sampleValue(after, "aws_stack_resources", { resource: "eks_extended_support" })).toBe(1);
    expect(sampleValue(before, "aws_stack_node_root_volume_gib", { stack: "dev", volume_type: "gp3" })).toBe(
      50,
    );
  });

  it("stay a small set: nothing per instance type unless asked, no stack series without a stack", async () => {
    const bare = await samples({});
    expect(bare.filter((s) => s.name.startsWith("aws_price_ec2_"))).toEqual([]);
    expect(bare.filter((s) => s.name.startsWith("aws_stack_"))).toEqual([]);
    // One series per EBS volume type the region has a price for, and ten others (table, NAT, IPv4, EKS, ...).
    const ebsTypes = usEast.ebsStorageGbMonth.size;
    expect(bare.filter((s) => s.name === "aws_price_ebs_usd_per_gib_month")).toHaveLength(ebsTypes);
    expect(bare).toHaveLength(10 + ebsTypes);
    const dev = await samples(DEV);
    // Three series per instance type, one per stack resource (plus extended support), info and root volume.
    expect(dev).toHaveLength(10 + ebsTypes + 3 * 2 + 1 + 5 + 1);
  });

  it("refuse settings they cannot price, naming the setting", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadCostExporterConfig(env);
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(problems({ PRICE_REGION: "mars-north-1" })).toMatch(
      /PRICE_REGION must be a region of the price table/,
    );
    expect(problems({ PRICE_INSTANCE_TYPES: "t3.large,x9.huge" })).toMatch(
      /PRICE_INSTANCE_TYPES names types the price table has no us-east-1 price for: x9\.huge/,
    );
    expect(problems({ PRICE_INSTANCE_TYPES: "not a type" })).toMatch(/PRICE_INSTANCE_TYPES must be EC2/);
    expect(problems({ STACK_NAME: "dev", STACK_RESOURCES: "nat_gateway=one" })).toMatch(
      /STACK_RESOURCES must be kind=count pairs/,
    );
    expect(problems({ STACK_NAME: "dev", STACK_RESOURCES: "load_balancer=1" })).toMatch(/STACK_RESOURCES/);
    expect(problems({ STACK_RESOURCES: "nat_gateway=1" })).toMatch(/STACK_NAME must be set/);
    expect(problems({ STACK_NAME: "dev", NODE_ROOT_VOLUME: "io2:50" })).toMatch(/NODE_ROOT_VOLUME must be/);
    expect(problems({ STACK_NAME: "dev", NODE_ROOT_VOLUME: "gp3:0" })).toMatch(/NODE_ROOT_VOLUME must be/);
    expect(problems({ STACK_NAME: "dev", EKS_EXTENDED_SUPPORT_FROM: "2027-13-45" })).toMatch(
      /EKS_EXTENDED_SUPPORT_FROM/,
    );
    expect(problems({ STACK_NAME: "dev", EKS_EXTENDED_SUPPORT_FROM: "soon" })).toMatch(
      /EKS_EXTENDED_SUPPORT_FROM must be a date/,
    );
    expect(problems(DEV)).toBe("");
  });
});
