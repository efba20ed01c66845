import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { alertmanagerTemplates } from "../../alerts/alertmanager-templates";
import { loadDefaultThresholds } from "../../thresholds/thresholds";
import { eksClusterSupportType } from "../components/cluster";
import { PORT_FORWARD_GRAFANA_URL } from "../components/endpoints";
import { telegramSecretName } from "../components/monitoring";
import { dashboardFiles, ruleFiles } from "../components/monitoring-files";
import { parseSettings } from "../config";
import { readStackConfig } from "../stack-config";
import { type Inputs, type ProgramRun, repoRoot } from "../under-mocks/mocks";
import {
  countByType,
  exampleStackRuns,
  isKubernetesObject,
  monitoringRelease,
  ofType,
  type StackRuns,
} from "./stacks";

let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

const dashboards = dashboardFiles(loadDefaultThresholds());
const rules = ruleFiles(loadDefaultThresholds());

/** The thresholds the program parses from `Pulumi.<stack>.yaml`. */
const stackThresholds = (stack: string) => {
  const { config } = readStackConfig(stack);
  const raw = Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("platform:") && key !== "platform:telegramBotToken")
      .map(([key, value]) => [key.slice("platform:".length), value]),
  );
  return parseSettings(raw).thresholds;
};
/** A list setting of `Pulumi.<stack>.yaml`, as the user committed it (the tests never restate its values). */
const stackList = (stack: string, key: string): string[] =>
  JSON.parse(readStackConfig(stack).config[`platform:${key}`] ?? "[]") as string[];
const example = (stack: "dev" | "local" | "prod") =>
  stack === "prod" ? runs.prodLike : stack === "dev" ? runs.dev : runs.local;

const accessEntries = (stack: string) =>
  stackList(stack, "clusterAdminRoleArns").length + stackList(stack, "clusterViewerRoleArns").length;

/** What every stack declares in the cluster, whatever the cluster mode. */
const kubernetesInventory = (workloads: number, storageClass: number): Record<string, number> => ({
  ...(storageClass
    ? {
        // the load balancer controller (its namespace and chart) and the storefront's Ingress: EKS only
        "kubernetes:networking.k8s.io/v1:Ingress": 1,
        "kubernetes:core/v1:Namespace": 3,
        "kubernetes:helm.sh/v3:Release": 2,
      }
    : { "kubernetes:core/v1:Namespace": 2, "kubernetes:helm.sh/v3:Release": 1 }),
  "kubernetes:apps/v1:Deployment": workloads,
  "kubernetes:core/v1:ConfigMap": dashboards.length,
  "kubernetes:core/v1:Secret": 2,
  "kubernetes:core/v1:Service": workloads,
  "kubernetes:core/v1:ServiceAccount": workloads,
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": rules.length,
  "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": workloads,
  // default deny + one per workload
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": workloads + 1,
  "kubernetes:policy/v1:PodDisruptionBudget": workloads,
  ...(storageClass ? { "kubernetes:storage.k8s.io/v1:StorageClass": storageClass } : {}),
  "pulumi:providers:kubernetes": 1,
  "random:index/randomPassword:RandomPassword": 1,
});

const awsInventory = (zones: number, nats: number, stack: "dev" | "prod") => ({
  "aws:budgets/budget:Budget": 1,
  // the control plane's log group, created with an expiry before the cluster
  "aws:cloudwatch/logGroup:LogGroup": 1,
  "aws:ec2/eip:Eip": nats,
  "aws:ec2/internetGateway:InternetGateway": 1,
  "aws:ec2/launchTemplate:LaunchTemplate": 1,
  "aws:ec2/natGateway:NatGateway": nats,
  "aws:ec2/routeTable:RouteTable": 1 + zones,
  "aws:ec2/routeTableAssociation:RouteTableAssociation": 2 * zones,
  "aws:ec2/subnet:Subnet": 2 * zones,
  "aws:ec2/vpc:Vpc": 1,
  // one per cluster admin (the deploy role, ...) and per viewer (the preview and drift roles) the stack names
  "aws:eks/accessEntry:AccessEntry": accessEntries(stack),
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": accessEntries(stack),
  "aws:eks/addon:Addon": 5,
  "aws:eks/cluster:Cluster": 1,
  "aws:eks/nodeGroup:NodeGroup": 1,
  // the cost exporter's, the load balancer controller's, and the long-term store's writer (Prometheus) and
  // reader (Grafana)
  "aws:amp/workspace:Workspace": 1,
  "aws:amp/workspaceConfiguration:WorkspaceConfiguration": 1,
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": 4,
  "aws:iam/role:Role": 7,
  "aws:iam/rolePolicy:RolePolicy": 4,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 5,
  "aws:kms/key:Key": 1,
  // preflight (creates nothing), network, cluster, long-term-store, cost-exporter, budget, ingress: one
  // provider per concern for the `service` tag
  "pulumi:providers:aws": 7,
});

/**
 * The previewer group's read-only RBAC (EKS stacks with a viewer role): a Secrets Role in monitoring and in the
 * load balancer controller's namespace (Helm's release records), and the Prometheus query Role (right-sizing).
 */
const previewAccess = {
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": 1,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": 1,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": 3,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 3,
  "platform:access:PreviewAccess": 1,
};

/** One generic component per deployed catalogue service (platform:apps:Service). */
const components = (eks: boolean, services: number): Record<string, number> =>
  eks
    ? {
        "platform:apps:Apps": 1,
        "platform:apps:Service": services,
        "platform:cluster:EksCluster": 1,
        "platform:ingress:Endpoints": 1,
        "platform:ingress:LoadBalancerController": 1,
        "platform:monitoring:LongTermStore": 1,
        "platform:monitoring:Monitoring": 1,
        "platform:network:Network": 1,
      }
    : {
        "platform:apps:Apps": 1,
        "platform:apps:Service": services,
        "platform:cluster:ExistingCluster": 1,
        "platform:monitoring:Monitoring": 1,
      };

const sorted = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

describe("resource inventory", () => {
  it("dev: two zones, one NAT gateway, demo traffic", () => {
    expect(countByType(runs.dev.resources)).toEqual(
      sorted({
        ...awsInventory(2, 1, "dev"),
        ...kubernetesInventory(3, 1),
        ...components(true, 3),
        ...previewAccess,
      }),
    );
  });

  it("local (existing cluster): no AWS resource at all", () => {
    expect(countByType(runs.local.resources)).toEqual(
      sorted({ ...kubernetesInventory(3, 0), ...components(false, 3) }),
    );
    expect(runs.local.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    const provider = ofType(runs.local.resources, "pulumi:providers:kubernetes")[0];
    expect(provider?.inputs.context).toBe("kind-platform");
  });

  it("prod-like: three zones, a NAT gateway per zone, no demo traffic", () => {
    expect(countByType(runs.prodLike.resources)).toEqual(
      sorted({
        ...awsInventory(3, 3, "prod"),
        ...kubernetesInventory(2, 1),
        ...components(true, 2),
        ...previewAccess,
      }),
    );
    const privateRoutes = ofType(runs.prodLike.resources, "aws:ec2/routeTable:RouteTable")
      .filter((r) => r.name.includes("private"))
      .map((r) => r.inputs.routes[0].natGatewayId);
    expect(new Set(privateRoutes).size).toBe(3);
  });

  it("the dev stack's node group: t3.large, 2 nodes (2..4), private subnets, IMDSv2 only", () => {
    const [nodeGroup] = ofType(runs.dev.resources, "aws:eks/nodeGroup:NodeGroup");
    expect(nodeGroup?.inputs.instanceTypes).toEqual(["t3.large"]);
    expect(nodeGroup?.inputs.scalingConfig).toEqual({ minSize: 2, desiredSize: 2, maxSize: 4 });
    expect(nodeGroup?.inputs.subnetIds).toEqual(["network-private-0-id", "network-private-1-id"]);
    const [template] = ofType(runs.dev.resources, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template?.inputs.metadataOptions.httpTokens).toBe("required");
    expect(template?.inputs.blockDeviceMappings[0].ebs).toMatchObject({
      volumeType: "gp3",
      encrypted: "true",
    });
  });

  it("platform:nodeDesiredSize stays effective after the first deploy: desiredSize is not ignored", async () => {
    const [nodeGroup] = ofType(runs.dev.resources, "aws:eks/nodeGroup:NodeGroup");
    expect(nodeGroup?.ignoreChanges ?? []).not.toContain("scalingConfig.desiredSize");
    expect(runs.dev.resources.filter((r) => r.ignoreChanges?.length)).toEqual([]);
    const { runProgram } = await import("../under-mocks/mocks");
    const resized = await runProgram("dev", { nodeDesiredSize: "3" });
    expect(
      ofType(resized.resources, "aws:eks/nodeGroup:NodeGroup")[0]?.inputs.scalingConfig.desiredSize,
    ).toBe(3);
  });

  it("the VPC CNI enforces NetworkPolicies (its network policy agent is on)", () => {
    const vpcCni = ofType(runs.dev.resources, "aws:eks/addon:Addon").find(
      (a) => a.inputs.addonName === "vpc-cni",
    );
    expect(JSON.parse(vpcCni?.inputs.configurationValues ?? "{}")).toEqual({ enableNetworkPolicy: "true" });
  });

  it("subnets carry the EKS load-balancer role tags and span distinct zones", () => {
    const subnets = ofType(runs.prodLike.resources, "aws:ec2/subnet:Subnet");
    const publicSubnets = subnets.filter((s) => s.name.includes("public"));
    const privateSubnets = subnets.filter((s) => s.name.includes("private"));
    expect(publicSubnets.every((s) => s.inputs.tags["kubernetes.io/role/elb"] === "1")).toBe(true);
    expect(privateSubnets.every((s) => s.inputs.tags["kubernetes.io/role/internal-elb"] === "1")).toBe(true);
    expect(new Set(publicSubnets.map((s) => s.inputs.availabilityZone)).size).toBe(3);
    expect(publicSubnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
  });

  it("the cluster uses API access entries, encrypted secrets, and all five add-ons", () => {
    const [cluster] = ofType(runs.dev.resources, "aws:eks/cluster:Cluster");
    expect(cluster?.inputs.accessConfig).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    expect(cluster?.inputs.encryptionConfig.resources).toEqual(["secrets"]);
    const addons = ofType(runs.dev.resources, "aws:eks/addon:Addon").map((a) => a.inputs.addonName);
    expect(addons.sort()).toEqual([
      "aws-ebs-csi-driver",
      "coredns",
      "eks-pod-identity-agent",
      "kube-proxy",
      "vpc-cni",
    ]);
    const ebs = ofType(runs.dev.resources, "aws:eks/addon:Addon").find(
      (a) => a.inputs.addonName === "aws-ebs-csi-driver",
    );
    expect(ebs?.inputs.podIdentityAssociations).toEqual([
      { roleArn: expect.stringContaining(":role/cluster-ebs-csi"), serviceAccount: "ebs-csi-controller-sa" },
    ]);
    const entries = ofType(runs.dev.resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
    expect(entries.map((e) => [e.inputs.principalArn, e.inputs.policyArn.split("/").pop()])).toEqual([
      ...stackList("dev", "clusterAdminRoleArns").map((arn) => [arn, "AmazonEKSClusterAdminPolicy"]),
      ...stackList("dev", "clusterViewerRoleArns").map((arn) => [arn, "AmazonEKSViewPolicy"]),
    ]);
    const [storageClass] = ofType(runs.dev.resources, "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(storageClass?.inputs.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe(
      "true",
    );
    expect(storageClass?.inputs.parameters.type).toBe("gp3");
  });

  it("every AWS resource goes through a provider that tags project, stack, service and managed-by", () => {
    const providers = ofType(runs.dev.resources, "pulumi:providers:aws");
    for (const provider of providers) {
      const defaultTags = JSON.parse(provider.inputs.defaultTags);
      expect(Object.keys(defaultTags.tags).sort()).toEqual(["managed-by", "project", "service", "stack"]);
      expect(defaultTags.tags).toMatchObject({
        project: "cost-aware-platform",
        stack: "dev",
        "managed-by": "pulumi",
      });
      expect(provider.inputs.region).toBe("us-east-1");
    }
    expect(providers.map((p) => JSON.parse(p.inputs.defaultTags).tags.service).sort()).toEqual([
      "budget",
      "cluster",
      "cost-exporter",
      "ingress",
      "long-term-store",
      "network",
      "preflight",
    ]);
  });

  it("stack outputs: kubeconfig using aws eks get-token, addresses, Grafana access and password, role ARNs", () => {
    const outputs = runs.dev.outputs;
    const kubeconfig = JSON.parse(outputs.kubeconfig as string);
    expect(kubeconfig.users[0].user.exec.command).toBe("aws");
    expect(kubeconfig.users[0].user.exec.args.slice(0, 2)).toEqual(["eks", "get-token"]);
    expect(outputs.grafanaAccess).toContain("port-forward service/kube-prometheus-stack-grafana");
    // No domain: the load balancer's own name; Grafana stays behind the port-forward (infra/test/endpoints.test.ts).
    expect(outputs.storefrontUrl).toBe("http://k8s-endpoints-storefront-mock.us-east-1.elb.amazonaws.com");
    expect(outputs.grafanaUrl).toBe("http://localhost:3000");
    expect(runs.local.outputs.storefrontUrl).toBe("http://localhost:8080");
    expect(outputs.grafanaAdminPassword).toBe("mock-password-monitoring-grafana-admin");
    expect(Object.keys(outputs.roleArns as object).sort()).toEqual([
      "controlPlane",
      "costExporter",
      "ebsCsiDriver",
      "loadBalancerController",
      "longTermStoreReader",
      "longTermStoreWriter",
      "nodes",
    ]);
    expect(outputs.clusterName).toBe("cost-aware-platform-dev");
    expect(runs.local.outputs.kubeconfig).toBeUndefined();
  });
});

describe("dashboards, rules and Alertmanager configuration in the cluster", () => {
  it("builds every committed dashboard and rule file, and nothing else", () => {
    const committed = (dir: string, suffix: string) =>
      fs
        .readdirSync(path.join(repoRoot, dir))
        .filter((f) => f.endsWith(suffix) && !f.endsWith(".rules.test.yml"))
        .sort();
    expect(dashboards.map((d) => d.file)).toEqual(committed("dashboards", ".json"));
    expect(rules.map((r) => r.file)).toEqual(committed("alerts", ".rules.yml"));
  });

  it.each(["dev", "local", "prod"] as const)(
    "%s: each dashboard ConfigMap holds the dashboard built from the stack's thresholds, labelled for the Grafana sidecar",
    (stack) => {
      const configMaps = ofType(example(stack).resources, "kubernetes:core/v1:ConfigMap");
      for (const { file, content } of dashboardFiles(stackThresholds(stack))) {
        const configMap = configMaps.find((c) => c.inputs.data?.[file] !== undefined);
        expect(configMap, file).toBeDefined();
        expect(configMap?.inputs.data[file]).toBe(content);
        expect(Object.keys(configMap?.inputs.data ?? {})).toEqual([file]);
        expect(configMap?.inputs.metadata.labels.grafana_dashboard).toBe("1");
      }
    },
  );

  it("a stack at the default thresholds gets the committed dashboards and rule files byte for byte", () => {
    const configMaps = ofType(runs.local.resources, "kubernetes:core/v1:ConfigMap");
    for (const { file } of dashboards) {
      const onDisk = fs.readFileSync(path.join(repoRoot, "dashboards", file), "utf8");
      expect(configMaps.find((c) => c.inputs.data?.[file] !== undefined)?.inputs.data[file], file).toBe(
        onDisk,
      );
    }
    const prometheusRules = ofType(
      runs.local.resources,
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    );
    for (const { file } of rules) {
      const onDisk = parseYaml(fs.readFileSync(path.join(repoRoot, "alerts", file), "utf8"));
      expect(
        prometheusRules.filter((r) => isDeepStrictEqual(r.inputs.spec, onDisk)),
        file,
      ).toHaveLength(1);
    }
  });

  it("each PrometheusRule's spec is its rule file built from the stack's thresholds, and the operator selects it", () => {
    const prometheusRules = ofType(runs.dev.resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    const release = monitoringRelease(runs.dev.resources);
    expect(release?.inputs.values.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues).toBe(false);
    // Our TargetDown and Watchdog replace the chart's "general" group rather than duplicating it.
    expect(release?.inputs.values.defaultRules.rules.general).toBe(false);
    const ours = fs
      .readdirSync(path.join(repoRoot, "alerts"))
      .filter((f) => f.endsWith(".rules.yml"))
      .flatMap((f) => fs.readFileSync(path.join(repoRoot, "alerts", f), "utf8").match(/alert: \w+/g) ?? []);
    expect(ours).toEqual(expect.arrayContaining(["alert: TargetDown", "alert: Watchdog"]));
    for (const { file, content } of ruleFiles(stackThresholds("dev"))) {
      const matching = prometheusRules.filter((r) => isDeepStrictEqual(r.inputs.spec, parseYaml(content)));
      expect(matching, file).toHaveLength(1);
      expect(matching[0]?.inputs.metadata.labels.release).toBe("kube-prometheus-stack");
    }
  });

  it("Alertmanager gets alerts/alertmanager.yml with the chat id, the templates verbatim, the token Secret", async () => {
    const { runProgram } = await import("../under-mocks/mocks");
    const run = await runProgram("dev", { telegramChatId: "-1001234567890" });
    const release = monitoringRelease(run.resources);
    const alertmanager = release?.inputs.values.alertmanager;
    const file = parseYaml(fs.readFileSync(path.join(repoRoot, "alerts", "alertmanager.yml"), "utf8"));
    const telegramReceivers = (
      alertmanager.config.receivers as { telegram_configs?: { chat_id: number }[] }[]
    ).flatMap((r) => r.telegram_configs ?? []);
    expect(telegramReceivers.length).toBeGreaterThan(0);
    expect(telegramReceivers.every((t) => t.chat_id === -1001234567890)).toBe(true);
    for (const receiver of file.receivers) {
      for (const telegram of receiver.telegram_configs ?? []) telegram.chat_id = -1001234567890;
    }
    expect(alertmanager.config).toEqual(file);
    // Without a load balancer Grafana is reached through the port-forward: the committed templates verbatim.
    const templates = fs
      .readdirSync(path.join(repoRoot, "alerts", "templates"))
      .filter((f) => f.endsWith(".tmpl"));
    expect(Object.keys(alertmanager.templateFiles).sort()).toEqual(templates.sort());
    for (const template of templates) {
      expect(alertmanager.templateFiles[template]).toBe(
        fs.readFileSync(path.join(repoRoot, "alerts", "templates", template), "utf8"),
      );
    }
    expect(alertmanager.templateFiles).toEqual(alertmanagerTemplates(PORT_FORWARD_GRAFANA_URL));
    expect(alertmanager.alertmanagerSpec.secrets).toEqual([telegramSecretName]);
    const secret = ofType(run.resources, "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.metadata.name === telegramSecretName,
    );
    expect(Object.keys(secret?.inputs.stringData ?? {})).toEqual(["bot-token"]);
  });

  it("the bot token comes from the secret setting", async () => {
    const { runProgram } = await import("../under-mocks/mocks");
    const run = await runProgram("dev", { "platform:telegramBotToken": "123:token-from-config" });
    const secret = ofType(run.resources, "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.metadata.name === telegramSecretName,
    );
    expect(secret?.inputs.stringData["bot-token"]).toBe("123:token-from-config");
  });
});

describe("kube-prometheus-stack release", () => {
  it("is pinned, from the prometheus-community repository, with our retention and storage", () => {
    const release = monitoringRelease(runs.dev.resources);
    expect(release?.inputs.chart).toBe("kube-prometheus-stack");
    expect(release?.inputs.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(release?.inputs.repositoryOpts.repo).toBe("https://prometheus-community.github.io/helm-charts");
    const spec = release?.inputs.values.prometheus.prometheusSpec;
    // What the alert rules read back (alerts/retention.ts): the long-term store keeps the history.
    expect(spec.retention).toBe("7d");
    expect(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe("50Gi");
    expect(spec.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
  });

  it("sets requests and limits for every component", () => {
    const release = monitoringRelease(runs.dev.resources);
    const values = release?.inputs.values;
    const componentResources = [
      values.prometheus.prometheusSpec.resources,
      values.alertmanager.alertmanagerSpec.resources,
      values.grafana.resources,
      values.grafana.sidecar.resources,
      values.prometheusOperator.resources,
      values.prometheusOperator.prometheusConfigReloader.resources,
      values["kube-state-metrics"].resources,
      values["prometheus-node-exporter"].resources,
    ];
    for (const resources of componentResources) {
      expect(Object.keys(resources.requests).sort()).toEqual(["cpu", "memory"]);
      expect(Object.keys(resources.limits).sort()).toEqual(["cpu", "memory"]);
    }
  });

  it("uses a generated Grafana admin password from a Secret, never the chart default", () => {
    const release = monitoringRelease(runs.dev.resources);
    expect(release?.inputs.values.grafana.admin.existingSecret).toBe("grafana-admin");
    expect(release?.inputs.values.grafana.adminPassword).toBeUndefined();
    const secret = ofType(runs.dev.resources, "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.metadata.name === "grafana-admin",
    );
    expect(secret?.inputs.stringData["admin-password"]).toBe("mock-password-monitoring-grafana-admin");
    const [password] = ofType(runs.dev.resources, "random:index/randomPassword:RandomPassword");
    expect(password?.inputs.length).toBeGreaterThanOrEqual(24);
  });
});

describe("the CI preview role in the cluster", () => {
  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
  const rbac = (run: ProgramRun, kind: string) =>
    ofType(run.resources, `kubernetes:rbac.authorization.k8s.io/v1:${kind}`);
  const plural = (kind: string) => {
    const lower = kind.toLowerCase();
    if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
    return lower.endsWith("s") ? `${lower}es` : `${lower}s`;
  };
  /** `kubernetes:apps/v1:Deployment` → ["apps", "deployments"]; core is the "" group. */
  const groupAndResource = (type: string): [string, string] => {
    const [, groupVersion = "", kind = ""] = type.split(":");
    const group = groupVersion.split("/")[0] ?? "";
    return [group === "core" ? "" : group, plural(kind)];
  };
  const allows = (rules: Rule[], group: string, resource: string, verb: string) =>
    rules.some(
      (r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb),
    );

  it("the viewer access entry carries the previewer group, and keeps the view policy for discovery", () => {
    const entries = ofType(runs.dev.resources, "aws:eks/accessEntry:AccessEntry");
    const [viewerArn] = stackList("dev", "clusterViewerRoleArns");
    const [adminArn] = stackList("dev", "clusterAdminRoleArns");
    const viewer = entries.find((e) => e.inputs.principalArn === viewerArn);
    expect(viewer?.inputs).toMatchObject({ type: "STANDARD", kubernetesGroups: ["platform:previewers"] });
    const admin = entries.find((e) => e.inputs.principalArn === adminArn);
    expect(admin).toBeDefined();
    expect(admin?.inputs.kubernetesGroups).toBeUndefined();
  });

  it("can read every object the program declares, Secrets only in the namespaces that hold them", () => {
    const clusterRules = rbac(runs.dev, "ClusterRole").flatMap((r) => r.inputs.rules as Rule[]);
    const secretRoles = rbac(runs.dev, "Role").filter((r) =>
      (r.inputs.rules as Rule[]).some((rule) => rule.resources.includes("secrets")),
    );
    const declared = runs.dev.resources.filter(isKubernetesObject);
    for (const resource of declared) {
      const [group, kind] = groupAndResource(resource.type);
      for (const verb of ["get", "list", "watch"]) {
        if (kind === "secrets") {
          const role = secretRoles.find(
            (r) => r.inputs.metadata.namespace === resource.inputs.metadata.namespace,
          );
          expect(
            allows((role?.inputs.rules ?? []) as Rule[], group, kind, verb),
            `${resource.name}: ${verb}`,
          ).toBe(true);
        } else {
          expect(allows(clusterRules, group, kind, verb), `${resource.type}: ${verb}`).toBe(true);
        }
      }
    }
    // Helm keeps a release's records as Secrets in the release's namespace: a refresh reads them.
    for (const release of ofType(runs.dev.resources, "kubernetes:helm.sh/v3:Release")) {
      const releaseRole = secretRoles.find((r) => r.inputs.metadata.namespace === release.inputs.namespace);
      expect(allows((releaseRole?.inputs.rules ?? []) as Rule[], "", "secrets", "get"), release.name).toBe(
        true,
      );
    }
    // No Secret anywhere else: the ClusterRole grants none, and there is no Role in the apps namespace.
    expect(clusterRules.some((r) => r.resources.includes("secrets") || r.resources.includes("*"))).toBe(
      false,
    );
    expect(secretRoles.map((r) => r.inputs.metadata.namespace)).toEqual([
      "load-balancer-controller",
      "monitoring",
    ]);
  });

  it("may GET the stack's Prometheus through the service proxy, that one Service only (right-sizing)", () => {
    const proxyRules = rbac(runs.dev, "Role").flatMap((r) =>
      (r.inputs.rules as Rule[])
        .filter((rule) => rule.resources.some((resource) => resource.includes("/proxy")))
        .map((rule) => ({ namespace: r.inputs.metadata.namespace, rule })),
    );
    expect(proxyRules).toEqual([
      {
        namespace: "monitoring",
        rule: {
          apiGroups: [""],
          resources: ["services/proxy"],
          resourceNames: ["kube-prometheus-stack-prometheus:http-web"],
          verbs: ["get"],
        },
      },
    ]);
    const clusterRules = rbac(runs.dev, "ClusterRole").flatMap((r) => r.inputs.rules as Rule[]);
    expect(clusterRules.some((r) => r.resources.some((resource) => resource.includes("/")))).toBe(false);
  });

  it("is read-only: get, list and watch, nothing else, no wildcards, bound to the previewer group only", () => {
    const roles = [...rbac(runs.dev, "ClusterRole"), ...rbac(runs.dev, "Role")];
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      for (const rule of role.inputs.rules as Rule[]) {
        // The Prometheus proxy rule is get alone; every other rule get, list and watch.
        expect(rule.resourceNames ? rule.verbs : [...rule.verbs].sort(), role.name).toEqual(
          rule.resourceNames ? ["get"] : ["get", "list", "watch"],
        );
        expect(rule.apiGroups).not.toContain("*");
        expect(rule.resources).not.toContain("*");
      }
    }
    const bindings = [...rbac(runs.dev, "ClusterRoleBinding"), ...rbac(runs.dev, "RoleBinding")];
    expect(bindings).toHaveLength(roles.length);
    for (const binding of bindings) {
      expect(binding.inputs.subjects).toEqual([
        { kind: "Group", name: "platform:previewers", apiGroup: "rbac.authorization.k8s.io" },
      ]);
      const role = roles.find(
        (r) =>
          r.inputs.metadata.name === binding.inputs.roleRef.name &&
          r.type.endsWith(`:${binding.inputs.roleRef.kind}`) &&
          r.inputs.metadata.namespace === binding.inputs.metadata.namespace,
      );
      expect(role, binding.name).toBeDefined();
    }
  });

  it("an existing cluster (no viewer access entry) gets no preview RBAC", () => {
    expect(runs.local.resources.filter((r) => r.type.startsWith("kubernetes:rbac"))).toEqual([]);
  });
});

describe("workloads", () => {
  const deployments = () => ofType(runs.dev.resources, "kubernetes:apps/v1:Deployment");

  it("run non-root, read-only, without capabilities, with probes, requests and limits", () => {
    expect(
      deployments()
        .map((d) => d.inputs.metadata.name)
        .sort(),
    ).toEqual(["cost-exporter", "storefront", "traffic"]);
    for (const deployment of deployments()) {
      const pod = deployment.inputs.spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(container.livenessProbe.httpGet.path).toBe("/health");
        expect(container.readinessProbe.httpGet.path).toBe("/ready");
        expect(container.resources.requests.cpu).toBeDefined();
        expect(container.resources.requests.memory).toBeDefined();
        expect(container.resources.limits.cpu).toBeDefined();
        expect(container.resources.limits.memory).toBeDefined();
        expect(container.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
        // The account's own ECR, a repository per service, a tag computed from the image's sources.
        // (the account of whoever runs pulumi up: under mocks, the stack file's first cluster admin)
        expect(container.image).toMatch(
          new RegExp(
            `^${runs.dev.caller.accountId}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/cost-aware-platform/[a-z-]+:src-[0-9a-f]{24}$`,
          ),
        );
      }
      expect(pod.volumes).toContainEqual({ name: "tmp", emptyDir: { sizeLimit: "64Mi" } });
    }
  });

  it("the apps namespace enforces Pod Security restricted", () => {
    const namespace = ofType(runs.dev.resources, "kubernetes:core/v1:Namespace").find(
      (n) => n.inputs.metadata.name === "platform",
    );
    expect(namespace?.inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("the cost exporter runs as the service account its Pod Identity association names", () => {
    const association = ofType(
      runs.dev.resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    ).find((a) => a.inputs.namespace === "platform");
    const deployment = deployments().find((d) => d.inputs.metadata.name === "cost-exporter");
    const pod = deployment?.inputs.spec.template.spec;
    expect(pod.serviceAccountName).toBe(association?.inputs.serviceAccount);
    expect(deployment?.inputs.metadata.namespace).toBe(association?.inputs.namespace);
    expect(
      ofType(runs.dev.resources, "kubernetes:core/v1:ServiceAccount").some(
        (sa) =>
          sa.inputs.metadata.name === association?.inputs.serviceAccount &&
          sa.inputs.metadata.namespace === association?.inputs.namespace,
      ),
    ).toBe(true);
    const env = Object.fromEntries(
      pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ COST_EXPORTER_MODE: "aws", COST_TAG_KEY: "stack", PORT: "8081" });
    const local = ofType(runs.local.resources, "kubernetes:apps/v1:Deployment").find(
      (d) => d.inputs.metadata.name === "cost-exporter",
    );
    expect(local?.inputs.spec.template.spec.containers[0].env).toContainEqual({
      name: "COST_EXPORTER_MODE",
      value: "demo",
    });
  });

  it.each(["dev", "prod", "local"] as const)(
    "the %s cost exporter is told the prices and the parts outside Kubernetes its stack creates",
    (stack) => {
      const { resources } = stack === "prod" ? runs.prodLike : runs[stack];
      const exporter = ofType(resources, "kubernetes:apps/v1:Deployment").find(
        (d) => d.inputs.metadata.name === "cost-exporter",
      );
      const env = Object.fromEntries(
        exporter?.inputs.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [
          e.name,
          e.value,
        ]),
      );
      const count = (type: string) => ofType(resources, type).length;
      const expected = Object.entries({
        eks_cluster: count("aws:eks/cluster:Cluster"),
        kms_key: count("aws:kms/key:Key"),
        nat_gateway: count("aws:ec2/natGateway:NatGateway"),
        public_ipv4_address: count("aws:ec2/eip:Eip"),
      }).filter(([, n]) => n > 0);
      const reported = (env.STACK_RESOURCES as string)
        .split(",")
        .filter(Boolean)
        .map((pair) => pair.split("="))
        .map(([kind, n]) => [kind, Number(n)]);
      expect(reported.sort()).toEqual(expected.sort());
      expect(env).toMatchObject({ PRICE_REGION: "us-east-1", STACK_NAME: stack });
      const { config } = readStackConfig(stack);
      expect(env.PRICE_INSTANCE_TYPES).toBe(
        (JSON.parse(config["platform:nodeInstanceTypes"] ?? '["t3.large"]') as string[]).join(","),
      );
      const [template] = ofType(resources, "aws:ec2/launchTemplate:LaunchTemplate");
      if (stack === "local") {
        expect(template).toBeUndefined();
        expect(env.NODE_ROOT_VOLUME).toBeUndefined();
        expect(env.EKS_EXTENDED_SUPPORT_FROM).toBeUndefined();
      } else {
        const ebs = template?.inputs.blockDeviceMappings[0].ebs;
        expect(env.NODE_ROOT_VOLUME).toBe(`${ebs.volumeType}:${ebs.volumeSize}`);
        const [cluster] = ofType(resources, "aws:eks/cluster:Cluster");
        expect(cluster?.inputs.version).toBe("1.36");
        // upgradePolicy STANDARD: EKS upgrades the cluster at the end of standard support (2027-08-02 for
        // 1.36) instead of billing extended support, so the exporter is given no date to start the surcharge.
        expect(cluster?.inputs.upgradePolicy).toEqual({ supportType: eksClusterSupportType });
        expect(eksClusterSupportType).toBe("STANDARD");
        expect(env.EKS_EXTENDED_SUPPORT_FROM).toBeUndefined();
      }
    },
  );

  it("network policies: default deny; the cost exporter only from Prometheus, only to DNS, HTTPS and Pod Identity", () => {
    const policies = ofType(runs.dev.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const defaultDeny = policies.find((p) => p.inputs.metadata.name === "default-deny");
    expect(defaultDeny?.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const costExporter = policies.find((p) => p.inputs.metadata.name === "cost-exporter")?.inputs.spec;
    expect(costExporter.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 8081 }],
      },
    ]);
    const egressPorts = costExporter.egress.flatMap((rule: { ports: { protocol: string; port: number }[] }) =>
      rule.ports.map((p) => `${p.protocol}/${p.port}`),
    );
    expect(egressPorts.sort()).toEqual(["TCP/443", "TCP/53", "TCP/80", "UDP/53"]);
    const podIdentityRule = costExporter.egress.find(
      (rule: { ports: { port: number }[] }) => rule.ports[0]?.port === 80,
    );
    expect(podIdentityRule.to).toEqual([{ ipBlock: { cidr: "169.254.170.23/32" } }]);
  });

  it("every workload has a Service, a PodDisruptionBudget and a ServiceMonitor selecting it", () => {
    for (const deployment of deployments()) {
      const name = deployment.inputs.metadata.name;
      const selects = (r: { inputs: Inputs }, selector: Record<string, string>) =>
        Object.entries(selector).every(
          ([k, v]) => deployment.inputs.spec.template.metadata.labels[k] === v,
        ) && r.inputs.metadata.namespace === "platform";
      const service = ofType(runs.dev.resources, "kubernetes:core/v1:Service").find(
        (s) => s.inputs.metadata.name === name,
      );
      expect(service && selects(service, service.inputs.spec.selector)).toBe(true);
      const pdb = ofType(runs.dev.resources, "kubernetes:policy/v1:PodDisruptionBudget").find(
        (p) => p.inputs.metadata.name === name,
      );
      expect(pdb && selects(pdb, pdb.inputs.spec.selector.matchLabels)).toBe(true);
      const monitor = ofType(runs.dev.resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").find(
        (m) => m.inputs.metadata.name === name,
      );
      expect(monitor?.inputs.spec.selector.matchLabels).toEqual(
        service?.inputs.metadata.labels && { "app.kubernetes.io/name": name },
      );
      expect(monitor?.inputs.spec.endpoints[0]).toMatchObject({ port: "http", path: "/metrics" });
    }
  });

  it("every Kubernetes object names its namespace (except cluster-scoped kinds)", () => {
    const clusterScoped = new Set([
      "kubernetes:core/v1:Namespace",
      "kubernetes:storage.k8s.io/v1:StorageClass",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    ]);
    for (const resource of runs.dev.resources.filter(isKubernetesObject)) {
      if (clusterScoped.has(resource.type)) continue;
      expect(resource.inputs.metadata.namespace, `${resource.type} ${resource.name}`).toMatch(
        /^(platform|monitoring|load-balancer-controller)$/,
      );
    }
  });
});
