import { describe, expect, it } from "vitest";
import { parseSettings, SettingsError } from "../config";
import { runProgram } from "../testing/mocks";

/** Runs the dev stack with overrides and returns the error and what was registered before it. */
async function failingRun(overrides: Record<string, string>) {
  const error = await runProgram("dev", overrides).then(
    () => undefined,
    (e: Error & { registeredResources?: unknown[] }) => e,
  );
  expect(error, "the run should have failed").toBeDefined();
  return error as Error & { registeredResources: unknown[] };
}

describe("settings", () => {
  it("defaults: an EKS stack in us-east-1 with two t3.large nodes", () => {
    const settings = parseSettings({ clusterAdminRoleArns: '["arn:aws:iam::123456789012:role/deploy"]' });
    expect(settings).toMatchObject({
      region: "us-east-1",
      clusterMode: "eks",
      azCount: 2,
      natGateways: "single",
      nodeInstanceTypes: ["t3.large"],
      nodeMinSize: 2,
      nodeDesiredSize: 2,
      nodeMaxSize: 4,
      grafanaExposure: "cluster-ip",
      allowPublicLoadBalancer: false,
      demoTraffic: false,
      telegramChatId: "0",
    });
    expect(settings.kubePrometheusStackVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [{ azCount: "4" }, "platform:azCount: Too big"],
    [{ natGateways: "two" }, 'platform:natGateways: Invalid option: expected one of "single"|"per-az"'],
    [{ clusterMode: "gke" }, "platform:clusterMode"],
    [{ vpcCidr: "10.0.0.0/8" }, "platform:vpcCidr: an IPv4 CIDR block from /16 to /20"],
    [
      { nodeInstanceTypes: '["t3.large","LARGE"]' },
      "platform:nodeInstanceTypes (item 1): EC2 instance types",
    ],
    [{ nodeInstanceTypes: "t3.large" }, "platform:nodeInstanceTypes: expected a YAML/JSON list"],
    [
      { nodeMinSize: "3", nodeDesiredSize: "2" },
      "platform:nodeDesiredSize: nodeMinSize <= nodeDesiredSize <= nodeMaxSize",
    ],
    [
      { kubePrometheusStackVersion: "^88.0.0" },
      "platform:kubePrometheusStackVersion: an exact chart version",
    ],
    [
      { grafanaExposure: "public-load-balancer" },
      "platform:grafanaExposure: public-load-balancer only together with platform:allowPublicLoadBalancer true",
    ],
    [{ storefrontImage: "storefront" }, "platform:storefrontImage: an image reference with a tag or digest"],
    [{ clusterAdminRoleArns: "[]" }, "platform:clusterAdminRoleArns: at least one IAM role ARN"],
    [
      { clusterAdminRoleArns: '["arn:aws:iam::123:user/alice"]' },
      "platform:clusterAdminRoleArns (item 0): an IAM role ARN",
    ],
    [{ telegramChatId: "@channel" }, "platform:telegramChatId: a Telegram chat id"],
    [{ prometheusRetention: "15 days" }, "platform:prometheusRetention: a Prometheus duration"],
    [{ region: "moon-1" }, "platform:region: an AWS region"],
    [{ nodeCount: "3" }, "platform:nodeCount: not a setting of this program"],
    [{ monthlyBudgetUsd: "300" }, "platform:monthlyBudgetUsd: not a setting of this program"],
    [
      { thresholds: '{"cost":{"monthlyBudgetUsd":-1}}' },
      "platform:thresholds.cost.monthlyBudgetUsd: Too small",
    ],
    [{ thresholds: '{"cost":{"budget":300}}' }, "platform:thresholds.cost.budget: not a threshold"],
    [
      { thresholds: '{"slo":{"availabilityObjective":"high"}}' },
      "platform:thresholds.slo.availabilityObjective: Invalid input: expected number",
    ],
    [{ thresholds: "[300]" }, "platform:thresholds: expected an object shaped like alerts/settings.yaml"],
  ])("rejects %j before any resource is registered", async (overrides, message) => {
    const error = await failingRun(overrides);
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.message).toContain(message);
    expect(error.registeredResources).toEqual([]);
  });

  it("lists every bad setting at once", () => {
    expect(() => parseSettings({ azCount: "1", natGateways: "none", storefrontImage: "x y" })).toThrow(
      /platform:azCount.*\n.*platform:natGateways.*\n.*platform:storefrontImage/s,
    );
  });

  it("a public Grafana load balancer is accepted only when allowed", async () => {
    const run = await runProgram("dev", {
      grafanaExposure: "public-load-balancer",
      allowPublicLoadBalancer: "true",
    });
    const release = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
    expect(release?.inputs.values.grafana.service).toEqual({
      type: "LoadBalancer",
      annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
    });
  });
});
