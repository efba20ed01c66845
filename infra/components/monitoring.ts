import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { parse as parseYaml } from "yaml";
import { alertmanagerTemplates } from "../../alerts/alertmanager-templates";
import { INVENTORY_NODE_LABELS, INVENTORY_SERVICE_ANNOTATIONS } from "../../alerts/rules/live-cost";
import type { Thresholds } from "../../thresholds/thresholds";
import { PORT_FORWARD_GRAFANA_URL } from "./endpoints";
import { mergeValues } from "./merge-values";
import {
  alertmanagerConfig,
  dashboardFiles,
  objectNameFor,
  ruleFiles,
  telegramChatConfigured,
} from "./monitoring-files";

export const kubePrometheusStackRelease = "kube-prometheus-stack";
export const kubePrometheusStackRepo = "https://prometheus-community.github.io/helm-charts";
/** Where kube-prometheus-stack mounts `alertmanagerSpec.secrets`; alerts/alertmanager.yml points here. */
export const telegramSecretName = "alertmanager-telegram";
export const telegramTokenKey = "bot-token";
/** The Service the chart gives Grafana (fullnameOverride `kube-prometheus-stack`); port 80. */
export const grafanaServiceName = `${kubePrometheusStackRelease}-grafana`;

export type GrafanaExposure = "cluster-ip" | "internal-load-balancer" | "public-load-balancer";

export interface MonitoringArgs {
  namespace: string;
  chartVersion: string;
  prometheusRetention: string;
  prometheusStorageSize: string;
  alertmanagerStorageSize: string;
  grafanaExposure: GrafanaExposure;
  /**
   * Where people open Grafana: its root URL and the address of the alerts' dashboard links. Default: the
   * port-forward address (grafanaExposure cluster-ip).
   */
  grafanaUrl?: string;
  /**
   * Ignored: Grafana is never a Service of type LoadBalancer any more (behind a load balancer it is an Ingress
   * of endpoints.ts, tagged by the controller's defaultTags).
   */
  loadBalancerTags?: Record<string, string>;
  telegramChatId: string;
  telegramBotToken: pulumi.Output<string> | undefined;
  /** The stack's thresholds: its rule files and dashboards are built from them. */
  thresholds: Thresholds;
  /** `platform:costTagKey`: the reconciliation rules read the stack's bill from this tag. */
  costTagKey: string;
  /** Directory holding alerts/alertmanager.yml and alerts/templates/ (the repository root). */
  sourceRoot: string;
  /** Storage class for Prometheus and Alertmanager volumes; undefined = the cluster default. */
  storageClassName?: string;
  /**
   * What provisions and deletes those volumes (the StorageClass, which depends on the EBS CSI add-on): the
   * namespace and the release depend on it, so a teardown deletes the claims while the driver still runs.
   */
  storage?: pulumi.Resource;
  /** EKS runs the control plane: its scheduler, controller manager and etcd cannot be scraped. */
  managedControlPlane: boolean;
  /** The long-term store's chart values (merged over ours) and what the release waits for (its roles). */
  longTermStore?: { values: Record<string, unknown>; dependsOn: pulumi.Resource[] };
  provider: k8s.Provider;
}

const resources = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string) => ({
  requests: { cpu, memory },
  limits: { cpu: cpuLimit, memory: memoryLimit },
});

/** Requests and limits for every component the chart runs, sized for a small cluster. */
export const componentResources = {
  prometheus: resources("200m", "1Gi", "1", "2Gi"),
  alertmanager: resources("25m", "64Mi", "200m", "128Mi"),
  grafana: resources("50m", "192Mi", "500m", "384Mi"),
  grafanaSidecar: resources("10m", "64Mi", "100m", "128Mi"),
  operator: resources("50m", "96Mi", "300m", "256Mi"),
  configReloader: resources("10m", "32Mi", "100m", "64Mi"),
  admissionJob: resources("10m", "32Mi", "100m", "64Mi"),
  kubeStateMetrics: resources("20m", "64Mi", "200m", "192Mi"),
  nodeExporter: resources("20m", "32Mi", "200m", "64Mi"),
};

const volumeClaim = (size: string, storageClassName?: string) => ({
  volumeClaimTemplate: {
    spec: {
      ...(storageClassName ? { storageClassName } : {}),
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: size } },
    },
  },
});

/**
 * The claims of Prometheus's and Alertmanager's StatefulSets go with them: with `whenDeleted: Delete` the
 * StatefulSet owns its claims, so deleting the release deletes the claims and the EBS CSI driver their volumes
 * (Kubernetes' default keeps them, `available` and billed). `whenScaled` keeps the default, Retain. The
 * operator passes the field to the StatefulSet; StatefulSet PVC retention is GA since Kubernetes 1.32.
 *
 * | source | read on |
 * | --- | --- |
 * | https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention | 2026-12-07 |
 * | prometheus-community/helm-charts, charts/kube-prometheus-stack 88.5.3: values.yaml (`prometheusSpec.` and `alertmanagerSpec.persistentVolumeClaimRetentionPolicy`, "Requires Kubernetes version 1.27.0+"), templates/prometheus/prometheus.yaml and templates/alertmanager/alertmanager.yaml, charts/crds (the Prometheus and Alertmanager CRDs' `whenDeleted`/`whenScaled`) | 2026-12-07 |
 */
export const claimRetention = { whenDeleted: "Delete", whenScaled: "Retain" } as const;

/**
 * Grafana's own settings: its address (for the links it builds), and, behind HTTPS, secure cookies. Sign-up and
 * anonymous access stay off: the admin login of the grafana-admin Secret is the way in.
 */
function grafanaIni(grafanaUrl: string): Record<string, unknown> {
  return {
    server: { root_url: grafanaUrl },
    security: { cookie_secure: grafanaUrl.startsWith("https://") },
    users: { allow_sign_up: false },
    "auth.anonymous": { enabled: false },
  };
}

/**
 * What EKS does not let Prometheus scrape: the managed control plane's kube-controller-manager,
 * kube-scheduler and etcd (no endpoints in the cluster), and kube-proxy, whose EKS add-on keeps its metrics
 * on 127.0.0.1:10249 and resets a changed metricsBindAddress (dated in README.md, "Documentation this relies
 * on"). Scraping them would leave targets down forever and fire their
 * "…Down" alerts and TargetDown on every node; their recording and alerting rules would never have data.
 * The API server (its /metrics) and the kubelets are scrapeable on EKS and stay on.
 */
const eksUnscrapeableComponents = {
  kubeControllerManager: { enabled: false },
  kubeScheduler: { enabled: false },
  kubeEtcd: { enabled: false },
  kubeProxy: { enabled: false },
};
const eksUnscrapeableRules = {
  etcd: false,
  kubeControllerManager: false,
  kubeSchedulerAlerting: false,
  kubeSchedulerRecording: false,
  kubeProxy: false,
};

/**
 * What kube-state-metrics must expose for the live-cost rules (alerts/rules/live-cost.ts): by default it
 * exports no Kubernetes labels or annotations of an object, only those on its allowlists. The chart joins the
 * lists into `--metric-labels-allowlist` and `--metric-annotations-allowlist` (dated in README.md,
 * "Documentation this relies on").
 */
export const kubeStateMetricsAllowlists = {
  metricLabelsAllowlist: [`nodes=[${Object.values(INVENTORY_NODE_LABELS).join(",")}]`],
  metricAnnotationsAllowList: [`services=[${Object.values(INVENTORY_SERVICE_ANNOTATIONS).join(",")}]`],
};

/** kube-prometheus-stack values: ours for everything that is ours, the chart's defaults otherwise. */
export function kubePrometheusStackValues(
  args: MonitoringArgs,
  grafanaAdminSecret: string,
): Record<string, unknown> {
  return {
    fullnameOverride: kubePrometheusStackRelease,
    crds: { enabled: true },
    // The chart's "general" group defines TargetDown and Watchdog, which alerts/ defines too (with our
    // runbooks and routing); keeping both would page twice and send two heartbeats.
    defaultRules: { rules: { general: false, ...(args.managedControlPlane ? eksUnscrapeableRules : {}) } },
    ...(args.managedControlPlane ? eksUnscrapeableComponents : {}),
    prometheusOperator: {
      resources: componentResources.operator,
      prometheusConfigReloader: { resources: componentResources.configReloader },
      admissionWebhooks: { patch: { resources: componentResources.admissionJob } },
    },
    prometheus: {
      prometheusSpec: {
        retention: args.prometheusRetention,
        resources: componentResources.prometheus,
        storageSpec: volumeClaim(args.prometheusStorageSize, args.storageClassName),
        persistentVolumeClaimRetentionPolicy: claimRetention,
        // Select every ServiceMonitor, PodMonitor and PrometheusRule in the cluster, not only the
        // ones carrying this release's label, so the apps' objects need no chart-specific labels.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
      },
    },
    alertmanager: {
      config: alertmanagerConfig(args.sourceRoot, args.telegramChatId),
      templateFiles: alertmanagerTemplates(args.grafanaUrl ?? PORT_FORWARD_GRAFANA_URL),
      alertmanagerSpec: {
        secrets: [telegramSecretName],
        resources: componentResources.alertmanager,
        storage: volumeClaim(args.alertmanagerStorageSize, args.storageClassName),
        persistentVolumeClaimRetentionPolicy: claimRetention,
      },
    },
    grafana: {
      admin: { existingSecret: grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      resources: componentResources.grafana,
      // Behind a load balancer Grafana is an Ingress's backend (endpoints.ts); its Service stays internal.
      service: { type: "ClusterIP" },
      "grafana.ini": grafanaIni(args.grafanaUrl ?? PORT_FORWARD_GRAFANA_URL),
      sidecar: {
        resources: componentResources.grafanaSidecar,
        dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
      },
    },
    "kube-state-metrics": { resources: componentResources.kubeStateMetrics, ...kubeStateMetricsAllowlists },
    "prometheus-node-exporter": { resources: componentResources.nodeExporter },
  };
}

/** kube-prometheus-stack with our dashboards, rules and Alertmanager routing from the repository. */
export class Monitoring extends pulumi.ComponentResource {
  readonly grafanaAdminPassword: pulumi.Output<string>;
  readonly grafanaAccess: pulumi.Output<string>;
  readonly release: k8s.helm.v3.Release;
  readonly namespaceResource: k8s.core.v1.Namespace;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:monitoring:Monitoring", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };

    const namespace = this.namespace(name, args, k8sOpts);
    this.namespaceResource = namespace;
    const inNamespace = { ...k8sOpts, dependsOn: [namespace] };

    const password = new random.RandomPassword(
      `${name}-grafana-admin`,
      { length: 32, special: false },
      { parent: this },
    );
    const grafanaAdmin = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: "grafana-admin", namespace: args.namespace },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": password.result },
      },
      inNamespace,
    );

    const telegram = this.telegramSecret(name, args, inNamespace);

    this.release = new k8s.helm.v3.Release(
      `${name}-kube-prometheus-stack`,
      {
        name: kubePrometheusStackRelease,
        chart: "kube-prometheus-stack",
        version: args.chartVersion,
        repositoryOpts: { repo: kubePrometheusStackRepo },
        namespace: args.namespace,
        values: mergeValues(
          kubePrometheusStackValues(args, "grafana-admin"),
          args.longTermStore?.values ?? {},
        ),
        atomic: true,
        timeout: 900,
      },
      {
        ...inNamespace,
        dependsOn: [
          namespace,
          grafanaAdmin,
          telegram,
          ...(args.storage ? [args.storage] : []),
          ...(args.longTermStore?.dependsOn ?? []),
        ],
      },
    );

    this.repositoryObjects(name, args, { ...inNamespace, dependsOn: [this.release] }, inNamespace);

    this.grafanaAdminPassword = pulumi.secret(password.result);
    this.grafanaAccess =
      args.grafanaExposure === "cluster-ip"
        ? pulumi.output(
            `kubectl --namespace ${args.namespace} port-forward service/${grafanaServiceName} 3000:80, then open ${PORT_FORWARD_GRAFANA_URL}`,
          )
        : pulumi.output(
            `open ${args.grafanaUrl} and log in as admin (pulumi stack output --show-secrets grafanaAdminPassword)`,
          );
    this.registerOutputs({
      grafanaAccess: this.grafanaAccess,
      grafanaAdminPassword: this.grafanaAdminPassword,
    });
  }

  /** The namespace, privileged for node-exporter; created after the storage that provisions its volumes. */
  private namespace(name: string, args: MonitoringArgs, k8sOpts: pulumi.CustomResourceOptions) {
    return new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          name: args.namespace,
          // node-exporter needs the host's network, PID namespace and /proc: privileged by design.
          // Warnings still report anything below "restricted".
          labels: {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/warn": "restricted",
          },
        },
      },
      { ...k8sOpts, dependsOn: args.storage ? [args.storage] : [] },
    );
  }

  /** The Telegram bot token's Secret Alertmanager mounts, with a warning for each Telegram setting not set. */
  private telegramSecret(name: string, args: MonitoringArgs, inNamespace: pulumi.CustomResourceOptions) {
    if (!telegramChatConfigured(args.telegramChatId)) {
      pulumi.log.warn(
        "platform:telegramChatId is not set: Alertmanager runs without Telegram notifications (the telegram " +
          "receiver has no telegram_configs) until it is",
        this,
      );
    }
    if (!args.telegramBotToken) {
      pulumi.log.warn(
        "platform:telegramBotToken is not set: Alertmanager starts, but Telegram notifications fail until it is",
        this,
      );
    }
    return new k8s.core.v1.Secret(
      `${name}-telegram`,
      {
        metadata: { name: telegramSecretName, namespace: args.namespace },
        type: "Opaque",
        stringData: { [telegramTokenKey]: args.telegramBotToken ?? pulumi.secret("not-configured") },
      },
      inNamespace,
    );
  }

  /**
   * The stack's dashboards (ConfigMaps Grafana's sidecar loads) and rule files (PrometheusRules, whose CRD
   * comes with the chart: `afterChart`).
   */
  private repositoryObjects(
    name: string,
    args: MonitoringArgs,
    afterChart: pulumi.CustomResourceOptions,
    inNamespace: pulumi.CustomResourceOptions,
  ) {
    for (const { file, content } of dashboardFiles(args.thresholds)) {
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${objectNameFor(file, ".json")}`,
        {
          metadata: {
            name: `dashboard-${objectNameFor(file, ".json")}`,
            namespace: args.namespace,
            labels: { grafana_dashboard: "1" },
          },
          data: { [file]: content },
        },
        inNamespace,
      );
    }

    for (const { file, content } of ruleFiles(args.thresholds, args.costTagKey)) {
      const ruleName = objectNameFor(file, ".rules.yml");
      new k8s.apiextensions.CustomResource(
        `${name}-rules-${ruleName}`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: {
            name: ruleName,
            namespace: args.namespace,
            // Selected with ruleSelectorNilUsesHelmValues false; the release label also matches the
            // chart's default selector should someone turn that back on.
            labels: { release: kubePrometheusStackRelease, "app.kubernetes.io/part-of": "platform" },
          },
          spec: parseYaml(content) as Record<string, unknown>,
        },
        afterChart,
      );
    }
  }
}
