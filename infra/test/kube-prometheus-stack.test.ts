import { readFileSync } from "node:fs";
import { repositoryPath } from "@platform/repository";
import { beforeAll, describe, expect, it } from "vitest";
import { kubeStateMetricsLabel } from "../../alerts/rules/live-cost";
import type { Inputs } from "../under-mocks/mocks";
import { exampleStackRuns, monitoringRelease, type StackRuns } from "./stacks";

/**
 * Item 6: on a healthy EKS cluster only Watchdog fires. Every scrape target and every default rule group
 * the chart values enable for an EKS stack must be something EKS exposes.
 *
 * The chart's side, for kube-prometheus-stack 88.5.3 (the pinned version): its values.yaml defaults and the
 * `{{- if … }}` line of each rule and ServiceMonitor template (dated in README.md, "Documentation this relies on").
 */
const chartVersion = "88.5.3";

/** Scrape targets: the values key that enables each, its default, and whether EKS exposes it. */
const scrapeTargets: Record<string, { enabledByDefault: boolean; onEks: boolean }> = {
  kubeApiServer: { enabledByDefault: true, onEks: true },
  kubelet: { enabledByDefault: true, onEks: true },
  coreDns: { enabledByDefault: true, onEks: true },
  kubeDns: { enabledByDefault: false, onEks: false },
  // The managed control plane has no endpoints for these in the cluster.
  kubeControllerManager: { enabledByDefault: true, onEks: false },
  kubeScheduler: { enabledByDefault: true, onEks: false },
  kubeEtcd: { enabledByDefault: true, onEks: false },
  // The EKS kube-proxy add-on binds its metrics to 127.0.0.1.
  kubeProxy: { enabledByDefault: true, onEks: false },
  kubeStateMetrics: { enabledByDefault: true, onEks: true },
  nodeExporter: { enabledByDefault: true, onEks: true },
};

/** Rule groups: the `defaultRules.rules.<key>` and the component each template also requires (if any). */
const ruleGroups: Record<string, { rule: string; component?: string; windows?: true }> = {
  "alertmanager.rules": { rule: "alertmanager" },
  "config-reloaders": { rule: "configReloaders" },
  etcd: { rule: "etcd", component: "kubeEtcd" },
  "general.rules": { rule: "general" },
  "k8s.rules.container_cpu_usage_seconds_total": { rule: "k8sContainerCpuUsageSecondsTotal" },
  "k8s.rules.container_memory_cache": { rule: "k8sContainerMemoryCache" },
  "k8s.rules.container_memory_rss": { rule: "k8sContainerMemoryRss" },
  "k8s.rules.container_memory_swap": { rule: "k8sContainerMemorySwap" },
  "k8s.rules.container_memory_working_set_bytes": { rule: "k8sContainerMemoryWorkingSetBytes" },
  "k8s.rules.container_resource": { rule: "k8sContainerResource" },
  "k8s.rules.pod_owner": { rule: "k8sPodOwner" },
  "kube-apiserver-availability.rules": { rule: "kubeApiserverAvailability", component: "kubeApiServer" },
  "kube-apiserver-burnrate.rules": { rule: "kubeApiserverBurnrate", component: "kubeApiServer" },
  "kube-apiserver-histogram.rules": { rule: "kubeApiserverHistogram", component: "kubeApiServer" },
  "kube-apiserver-slos": { rule: "kubeApiserverSlos", component: "kubeApiServer" },
  "kube-prometheus-general.rules": { rule: "kubePrometheusGeneral" },
  "kube-prometheus-node-recording.rules": { rule: "kubePrometheusNodeRecording" },
  "kube-scheduler.rules": { rule: "kubeSchedulerRecording", component: "kubeScheduler" },
  "kube-state-metrics": { rule: "kubeStateMetrics" },
  "kubelet.rules": { rule: "kubelet", component: "kubelet" },
  "kubernetes-apps": { rule: "kubernetesApps" },
  "kubernetes-resources": { rule: "kubernetesResources" },
  "kubernetes-storage": { rule: "kubernetesStorage" },
  "kubernetes-system-apiserver": { rule: "kubernetesSystem" },
  "kubernetes-system-controller-manager": {
    rule: "kubeControllerManager",
    component: "kubeControllerManager",
  },
  "kubernetes-system-kube-proxy": { rule: "kubeProxy", component: "kubeProxy" },
  "kubernetes-system-kubelet": { rule: "kubernetesSystem" },
  "kubernetes-system-scheduler": { rule: "kubeSchedulerAlerting", component: "kubeScheduler" },
  "kubernetes-system": { rule: "kubernetesSystem" },
  "node-exporter.rules": { rule: "nodeExporterRecording" },
  "node-exporter": { rule: "nodeExporterAlerting" },
  "node-network": { rule: "network" },
  "node.rules": { rule: "node" },
  "prometheus-operator": { rule: "prometheusOperator" },
  prometheus: { rule: "prometheus" },
  "windows.node.rules": { rule: "windows", windows: true },
  "windows.pod.rules": { rule: "windows", windows: true },
};

const releaseValues = (resources: StackRuns["dev"]["resources"]): Inputs =>
  monitoringRelease(resources)?.inputs.values;

/** What the chart renders from these values: the scrape targets and rule groups it enables. */
function enabled(values: Inputs) {
  const componentOn = (key: string) =>
    (values[key]?.enabled as boolean | undefined) ?? (scrapeTargets[key]?.enabledByDefault as boolean);
  const rulesCreated = values.defaultRules?.create ?? true;
  const ruleOn = (key: string) => (values.defaultRules?.rules?.[key] as boolean | undefined) ?? true;
  const windows = values.windowsMonitoring?.enabled ?? false;
  return {
    targets: Object.keys(scrapeTargets).filter(componentOn),
    rules: Object.entries(ruleGroups)
      .filter(
        ([, g]) =>
          rulesCreated &&
          ruleOn(g.rule) &&
          (!g.component || componentOn(g.component)) &&
          (!g.windows || windows),
      )
      .map(([name]) => name),
  };
}

let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

describe(`kube-prometheus-stack ${chartVersion} on EKS`, () => {
  it("is the pinned chart version these tables were read for", () => {
    for (const run of [runs.dev, runs.prodLike, runs.local]) {
      expect(monitoringRelease(run.resources)?.inputs.version).toBe(chartVersion);
    }
  });

  it("scrapes only what EKS exposes", () => {
    for (const run of [runs.dev, runs.prodLike]) {
      const { targets } = enabled(releaseValues(run.resources));
      expect(targets.filter((t) => !scrapeTargets[t]?.onEks)).toEqual([]);
      expect(targets.sort()).toEqual([
        "coreDns",
        "kubeApiServer",
        "kubeStateMetrics",
        "kubelet",
        "nodeExporter",
      ]);
    }
  });

  it("loads no rule group about a component EKS does not expose, nor the chart's general group (ours replaces it)", () => {
    const { rules } = enabled(releaseValues(runs.dev.resources));
    const unexposed = rules.filter((name) => {
      const component = ruleGroups[name]?.component;
      return component !== undefined && !scrapeTargets[component]?.onEks;
    });
    expect(unexposed).toEqual([]);
    for (const gone of [
      "etcd",
      "kube-scheduler.rules",
      "kubernetes-system-controller-manager",
      "kubernetes-system-kube-proxy",
      "kubernetes-system-scheduler",
      "general.rules",
    ]) {
      expect(rules, gone).not.toContain(gone);
    }
    expect(rules).toEqual(
      expect.arrayContaining(["kubelet.rules", "kube-apiserver-slos", "node-exporter", "kubernetes-apps"]),
    );
  });

  it("the chart's defaults alone would scrape four components EKS does not expose (what this guards)", () => {
    const { targets, rules } = enabled({ defaultRules: { rules: { general: false } } });
    expect(targets.filter((t) => !scrapeTargets[t]?.onEks).sort()).toEqual([
      "kubeControllerManager",
      "kubeEtcd",
      "kubeProxy",
      "kubeScheduler",
    ]);
    expect(rules).toContain("kubernetes-system-kube-proxy");
  });

  it("an existing cluster (kind, self-managed) keeps the chart's control-plane scraping", () => {
    const { targets } = enabled(releaseValues(runs.local.resources));
    expect(targets).toEqual(
      expect.arrayContaining(["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]),
    );
  });

  it("has kube-state-metrics expose every node label and Service annotation the live-cost rules read", () => {
    for (const run of [runs.dev, runs.prodLike, runs.local]) {
      const ksm = releaseValues(run.resources)["kube-state-metrics"] as {
        metricLabelsAllowlist: string[];
        metricAnnotationsAllowList: string[];
      };
      expect(ksm.metricLabelsAllowlist).toEqual([
        "nodes=[node.kubernetes.io/instance-type,eks.amazonaws.com/capacityType]",
      ]);
      expect(ksm.metricAnnotationsAllowList).toEqual([
        "services=[service.beta.kubernetes.io/aws-load-balancer-type]",
      ]);
      const allowed = [
        ...ksm.metricLabelsAllowlist.flatMap((entry) =>
          (/\[(.*)\]/.exec(entry)?.[1] ?? "").split(",").map((key) => kubeStateMetricsLabel("label", key)),
        ),
        ...ksm.metricAnnotationsAllowList.flatMap((entry) =>
          (/\[(.*)\]/.exec(entry)?.[1] ?? "")
            .split(",")
            .map((key) => kubeStateMetricsLabel("annotation", key)),
        ),
      ];
      // The labels the rules read are the quoted source labels of their label_replace calls.
      const text = readFileSync(repositoryPath("alerts", "live-cost.rules.yml"), "utf8");
      const used = new Set([...text.matchAll(/"((?:label|annotation)_[a-z0-9_]+)"/g)].map((m) => m[1]));
      expect([...used].sort()).toEqual([...new Set(allowed)].sort());
    }
  });

  it("names kube-state-metrics labels as it does (sanitised, snake_case)", () => {
    // kubernetes/kube-state-metrics, internal/store/utils.go (labelName: SanitizeLabelName, toSnakeCase).
    expect(kubeStateMetricsLabel("label", "eks.amazonaws.com/capacityType")).toBe(
      "label_eks_amazonaws_com_capacity_type",
    );
    expect(kubeStateMetricsLabel("label", "node.kubernetes.io/instance-type")).toBe(
      "label_node_kubernetes_io_instance_type",
    );
    expect(kubeStateMetricsLabel("annotation", "service.beta.kubernetes.io/aws-load-balancer-type")).toBe(
      "annotation_service_beta_kubernetes_io_aws_load_balancer_type",
    );
  });
});
