import { describe, expect, it } from "vitest";
import { runs, useExampleStackRuns } from "./program-run";
import { monitoringRelease, ofType } from "./stacks";

/** The program under mocks: the kube-prometheus-stack Helm release. */
useExampleStackRuns();

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
