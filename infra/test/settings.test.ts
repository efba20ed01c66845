import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { DEMO_TRAFFIC_MAX_RATE } from "../../catalogue/services";
import { parseSettings, SettingsError } from "../config";
import { repoRoot, runProgram } from "../under-mocks/mocks";
import { monitoringRelease, ofType } from "./stacks";

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
      { grafanaExposure: "public-load-balancer", allowPublicLoadBalancer: "false" },
      "platform:grafanaExposure: public-load-balancer only together with platform:allowPublicLoadBalancer true",
    ],
    // Grafana's login crosses a load balancer only over HTTPS: no domain, no exposed Grafana.
    [
      { grafanaExposure: "public-load-balancer" },
      "platform:grafanaExposure: public-load-balancer serves Grafana's login over HTTPS only, at grafana.<platform:domain>: set platform:domain and platform:hostedZoneId",
    ],
    [
      { grafanaExposure: "internal-load-balancer" },
      "platform:grafanaExposure: internal-load-balancer serves Grafana's login over HTTPS only",
    ],
    [
      { grafanaExposure: "public-load-balancer", clusterMode: "existing", imageRegistry: "localhost:5001" },
      "platform:grafanaExposure: public-load-balancer needs clusterMode eks (the AWS Load Balancer Controller and ACM)",
    ],
    [
      { domain: "shop.example.com" },
      "platform:hostedZoneId: the Route 53 hosted zone of platform:domain shop.example.com",
    ],
    [
      { hostedZoneId: "Z0123456789ABCDEFGHIJ" },
      "platform:domain: the DNS name the stack's addresses go under",
    ],
    [{ domain: "Shop.Example.com" }, "platform:domain: a lower-case DNS name such as shop.example.com"],
    [{ domain: "localhost" }, "platform:domain: a lower-case DNS name"],
    [{ domain: `${"a".repeat(60)}.example.com` }, "platform:domain: at most 64 characters"],
    [{ hostedZoneId: "example.com" }, "platform:hostedZoneId: a Route 53 hosted zone id"],
    [
      { domain: "shop.example.com", clusterMode: "existing", imageRegistry: "localhost:5001" },
      "platform:domain: only for clusterMode eks",
    ],
    [
      { controlPlaneLogRetentionDays: "10" },
      "platform:controlPlaneLogRetentionDays: one of the periods CloudWatch Logs keeps logs for: 1, 3, 5, 7, 14, 30",
    ],
    [{ controlPlaneLogRetentionDays: "0" }, "platform:controlPlaneLogRetentionDays: Too small"],
    [
      { storefrontImage: "ghcr.io/acme/storefront:1" },
      "platform:storefrontImage: not a setting of this program",
    ],
    [{ storefrontReplicas: "3" }, "platform:storefrontReplicas: not a setting of this program"],
    [
      { costTagKey: "service" },
      "platform:costTagKey: carries the stack's name on every resource, so it cannot be project, service, managed-by",
    ],
    // The launch template's Name tag on the nodes overrides a default tag of that key: the nodes would lose it.
    [
      { costTagKey: "Name" },
      "platform:costTagKey: carries the stack's name on every resource, so it cannot be project, service, managed-by, Name",
    ],
    // Reserved by AWS in any case: the deploy would fail tagging the first resource.
    [{ costTagKey: "aws:stack" }, "platform:costTagKey: the aws: prefix is reserved by AWS (in any case)"],
    [{ costTagKey: "AWS:stack" }, "platform:costTagKey: the aws: prefix is reserved by AWS (in any case)"],
    [{ costTagKey: "Aws:Cost" }, "platform:costTagKey: the aws: prefix is reserved by AWS (in any case)"],
    [
      { costTagKey: "team=a" },
      "platform:costTagKey: an AWS tag key: up to 128 letters, digits and _ . : / + @ - (no = or ,)",
    ],
    [{ replicas: '{"storefront": 21}' }, "platform:replicas: storefront: at most 20, not 21"],
    [
      { replicas: '{"cost-exporter": 2}' },
      "platform:replicas: cost-exporter: fixed at 1 (each replica would make its own paid Cost Explorer requests)",
    ],
    [
      { replicas: '{"shop": 2}' },
      "platform:replicas: shop: no such service in the catalogue (there are: storefront",
    ],
    [{ replicas: '{"storefront": 0}' }, "platform:replicas.storefront: Too small"],
    [{ replicas: "storefront=3" }, "platform:replicas: expected a YAML/JSON list or map"],
    // Item 14: settings that passed validation and failed at apply.
    [
      { appsNamespace: "monitoring" },
      "platform:appsNamespace: must differ from platform:monitoringNamespace",
    ],
    [{ appsNamespace: "default" }, "platform:appsNamespace: not default and not kube-*"],
    [{ monitoringNamespace: "kube-system" }, "platform:monitoringNamespace: not default and not kube-*"],
    [
      { vpcCidr: "10.0.5.7/16" },
      "platform:vpcCidr: a network address: the host bits after the prefix must be zero",
    ],
    [
      { vpcCidr: "8.8.0.0/16" },
      "platform:vpcCidr: a private block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
    ],
    [{ vpcCidr: "172.32.0.0/16" }, "platform:vpcCidr: a private block"],
    [{ costExporterRefreshInterval: "0m" }, "platform:costExporterRefreshInterval: from 1m"],
    [
      { costExporterRefreshInterval: "597h" },
      "platform:costExporterRefreshInterval: from 1m (the exporter's minimum) to 596h",
    ],
    [{ costExporterRefreshInterval: "99999999m" }, "platform:costExporterRefreshInterval: from 1m"],
    [{ costExporterDailyRequestCap: "0" }, "platform:costExporterDailyRequestCap: Too small"],
    [{ prometheusStorageSize: "0Gi" }, "platform:prometheusStorageSize: a Kubernetes quantity above zero"],
    [
      { alertmanagerStorageSize: "0Mi" },
      "platform:alertmanagerStorageSize: a Kubernetes quantity above zero",
    ],
    [{ prometheusRetention: "0d" }, "platform:prometheusRetention: a Prometheus duration above zero"],
    [{ kubernetesVersion: "1.37" }, "platform:kubernetesVersion: EKS does not offer 1.37"],
    [{ kubernetesVersion: "1.28" }, "platform:kubernetesVersion: EKS does not offer 1.28"],
    [{ nodeMaxSize: "0x10" }, "platform:nodeMaxSize: a whole number in decimal digits"],
    [{ nodeDiskSizeGiB: "1e3" }, "platform:nodeDiskSizeGiB: a whole number in decimal digits"],
    [{ azCount: "2.0" }, "platform:azCount: a whole number in decimal digits"],
    [{ demoTrafficRate: " 5" }, "platform:demoTrafficRate: a whole number in decimal digits"],
    [
      { imageRegistry: "ecr", clusterMode: "existing" },
      "platform:imageRegistry: a registry the existing cluster can pull from",
    ],
    [{ clusterAdminRoleArns: "[]" }, "platform:clusterAdminRoleArns: at least one IAM role or user ARN"],
    [
      { clusterAdminRoleArns: '["arn:aws:iam::123:user/alice"]' },
      "platform:clusterAdminRoleArns (item 0): an IAM role or user ARN",
    ],
    [
      { clusterViewerRoleArns: '["arn:aws:iam::123456789012:group/ops"]' },
      "platform:clusterViewerRoleArns (item 0): an IAM role or user ARN",
    ],
    [
      { clusterAdminRoleArns: '["arn:aws:sts::123456789012:assumed-role/deploy/session"]' },
      "platform:clusterAdminRoleArns (item 0): an IAM role or user ARN",
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
    [
      { thresholds: "[300]" },
      "platform:thresholds: expected an object shaped like thresholds/thresholds.yaml",
    ],
    [
      { thresholds: '{"cost":{"monthlyBudgetUsd":"3e2"}}' },
      "platform:thresholds.cost.monthlyBudgetUsd: Invalid input: expected number",
    ],
    [
      { thresholds: '{"cost":{"monthlyBudgetUsd":"0x12C"}}' },
      "platform:thresholds.cost.monthlyBudgetUsd: Invalid input: expected number",
    ],
  ])("rejects %j before any resource is registered", async (overrides, message) => {
    const error = await failingRun(overrides);
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.message).toContain(message);
    expect(error.registeredResources).toEqual([]);
  });

  it("lists every bad setting at once", () => {
    expect(() => parseSettings({ azCount: "1", natGateways: "none", vpcCidr: "10.0.0.1/16" })).toThrow(
      /platform:vpcCidr.*\n.*platform:azCount.*\n.*platform:natGateways/s,
    );
  });

  it("accepts what the rules allow at their edges", () => {
    const base = { clusterAdminRoleArns: '["arn:aws:iam::123456789012:role/deploy"]' };
    expect(
      parseSettings({ ...base, vpcCidr: "172.16.0.0/16", costExporterRefreshInterval: "596h" }),
    ).toMatchObject({
      vpcCidr: "172.16.0.0/16",
      costExporterRefreshInterval: "596h",
    });
    expect(
      parseSettings({ ...base, vpcCidr: "192.168.16.0/20", costExporterRefreshInterval: "1m" }).vpcCidr,
    ).toBe("192.168.16.0/20");
    expect(parseSettings({ ...base, replicas: '{"storefront": 20, "traffic": 1}' }).replicas).toEqual({
      storefront: 20,
      traffic: 1,
    });
    expect(parseSettings({ ...base, nodeMaxSize: "10" }).nodeMaxSize).toBe(10);
  });

  it("infra/README's laptop sequence replaces both access lists and keeps the CI deploy role", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "infra", "README.md"), "utf8");
    const placeholders: Record<string, string> = {
      "<deployRoleArn>": "arn:aws:iam::210987654321:role/ci/ci-deploy-3f9a2b1",
      "<previewRoleArn>": "arn:aws:iam::210987654321:role/ci/ci-preview-1a2b3c4",
      "<driftRoleArn>": "arn:aws:iam::210987654321:role/ci/ci-drift-9z8y7x6",
      "<account>": "210987654321",
      "<the role you run pulumi as>": "Admin",
    };
    const set = Object.fromEntries(
      [
        ...readme.matchAll(
          /^pulumi config set platform:(clusterAdminRoleArns|clusterViewerRoleArns) '(.+)'$/gm,
        ),
      ].map(([, key = "", value = ""]) => [
        key,
        Object.entries(placeholders).reduce((text, [from, to]) => text.split(from).join(to), value),
      ]),
    );
    const settings = parseSettings(set);
    expect(settings.clusterAdminRoleArns).toEqual([
      placeholders["<deployRoleArn>"],
      "arn:aws:iam::210987654321:role/Admin",
    ]);
    expect(settings.clusterViewerRoleArns).toEqual([
      placeholders["<previewRoleArn>"],
      placeholders["<driftRoleArn>"],
    ]);
  });

  it("takes IAM users as well as roles, with paths (EKS access entries accept both; roles are preferred)", () => {
    const principals = [
      "arn:aws:iam::123456789012:role/deploy",
      "arn:aws:iam::123456789012:user/alice",
      "arn:aws:iam::123456789012:user/ops/bob",
      "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0a1b2c3d",
      "arn:aws-us-gov:iam::123456789012:role/ci/deploy",
    ];
    const settings = parseSettings({
      clusterAdminRoleArns: JSON.stringify(principals),
      clusterViewerRoleArns: JSON.stringify(principals.slice(1, 3)),
    });
    expect(settings.clusterAdminRoleArns).toEqual(principals);
    expect(settings.clusterViewerRoleArns).toEqual(principals.slice(1, 3));
  });

  it("per-stack replicas reach the Deployment; the catalogue's default elsewhere", async () => {
    const deployment = (run: Awaited<ReturnType<typeof runProgram>>, name: string) =>
      run.resources.find(
        (r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.metadata.name === name,
      );
    const prod = await runProgram("prod");
    expect(deployment(prod, "storefront")?.inputs.spec.replicas).toBe(3);
    expect(deployment(prod, "cost-exporter")?.inputs.spec.replicas).toBe(1);
    const dev = await runProgram("dev");
    expect(deployment(dev, "storefront")?.inputs.spec.replicas).toBe(2);
  });

  it("bounds demoTrafficRate by the traffic generator's MAX_RATE, which the Deployment sets from the same constant", async () => {
    const error = await failingRun({ demoTrafficRate: String(DEMO_TRAFFIC_MAX_RATE + 1) });
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.message).toContain("platform:demoTrafficRate: Too big");
    expect(error.registeredResources).toEqual([]);

    const run = await runProgram("dev", {
      demoTraffic: "true",
      demoTrafficRate: String(DEMO_TRAFFIC_MAX_RATE),
    });
    const traffic = run.resources.find(
      (r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.metadata.name === "traffic",
    );
    const env = Object.fromEntries(
      (traffic?.inputs.spec.template.spec.containers[0].env ?? []).map(
        (e: { name: string; value: string }) => [e.name, e.value],
      ),
    );
    // RATE at the bound is what the generator accepts: it refuses a RATE above its MAX_RATE.
    expect(env).toMatchObject({
      RATE: String(DEMO_TRAFFIC_MAX_RATE),
      MAX_RATE: String(DEMO_TRAFFIC_MAX_RATE),
    });
  });

  it("leaves the demo rate to the traffic generator's own default when demoTrafficRate is unset", async () => {
    const run = await runProgram("dev", { demoTraffic: "true" });
    const traffic = run.resources.find(
      (r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.metadata.name === "traffic",
    );
    const names = (traffic?.inputs.spec.template.spec.containers[0].env ?? []).map(
      (e: { name: string }) => e.name,
    );
    // The generator's DEFAULT_RATE is the demo shop the alerts and the bench are worked out for.
    expect(names).toContain("MAX_RATE");
    expect(names).not.toContain("RATE");
  });

  it("a Grafana behind the load balancer is accepted with a domain, as an HTTPS Ingress; its Service stays internal", async () => {
    const run = await runProgram("dev", {
      grafanaExposure: "public-load-balancer",
      domain: "shop.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
    });
    const release = monitoringRelease(run.resources);
    expect(release?.inputs.values.grafana.service).toEqual({ type: "ClusterIP" });
    const grafana = ofType(run.resources, "kubernetes:networking.k8s.io/v1:Ingress").find(
      (i) => i.inputs.metadata.name === "grafana",
    );
    expect(grafana?.inputs.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
    });
  });

  it("a Kubernetes version EKS offers but without recorded add-on versions is refused, naming the setting", async () => {
    // On 2026-06-01 1.34 was still in standard support; eks-addon-versions.ts has no row for it.
    vi.useFakeTimers({ now: new Date("2026-06-01T12:00:00Z"), toFake: ["Date"] });
    try {
      const error = await failingRun({ kubernetesVersion: "1.34" });
      expect(error.message).toContain(
        "platform:kubernetesVersion: no EKS add-on versions are recorded for 1.34 (infra/eks-addon-versions.ts)",
      );
      expect(error.registeredResources).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
