import { describe, expect, it } from "vitest";
import type { ProgramRun } from "../under-mocks/mocks";
import { runs, stackList, useExampleStackRuns } from "./program-run";
import { isKubernetesObject, ofType } from "./stacks";

/** The program under mocks: the CI preview role's access in the cluster. */
useExampleStackRuns();

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
