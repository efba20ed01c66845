import { beforeAll, describe, expect, it } from "vitest";
import { controlPlaneLogGroupName } from "../components/cluster";
import { type Inputs, type MockedResource, type ProgramRun, runProgram } from "../under-mocks/mocks";
import { dependencyGraph } from "./dependency-graph";
import { exampleStackRuns, monitoringRelease, ofType, type StackRuns } from "./stacks";

/**
 * `pulumi destroy` leaves nothing billed. Some billed things are created by the cluster, not by the program:
 * EBS volumes for persistent volume claims (by the EBS CSI driver), load balancers for Ingresses (by the AWS Load
 * Balancer Controller), the control plane's log group (by EKS). Each must be deleted while what deletes it still
 * runs: the engine deletes a resource before everything it depends on, so every resource that makes the
 * cluster create a billed thing must depend on the whole of what deletes it.
 */
let runs: StackRuns;
let withEverything: ProgramRun;
beforeAll(async () => {
  runs = await exampleStackRuns();
  withEverything = await runProgram("dev", {
    domain: "shop.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    grafanaExposure: "public-load-balancer",
  });
});

const contains = (value: unknown, key: string): boolean =>
  value !== null &&
  typeof value === "object" &&
  (key in (value as object) || Object.values(value as object).some((v) => contains(v, key)));

/** What makes the cluster create a billed AWS resource, and the resources of the program that delete it again. */
function billedByTheCluster(resources: MockedResource[]) {
  const find = (type: string, match: (r: MockedResource) => boolean) =>
    resources.filter((r) => r.type === type && match(r));
  const byName = (type: string, name: string) => find(type, (r) => r.name === name);
  const ebsCsi = find("aws:eks/addon:Addon", (r) => r.inputs.addonName === "aws-ebs-csi-driver");
  const lbc = byName("kubernetes:helm.sh/v3:Release", "load-balancer-controller-chart");
  const claimers = resources.filter(
    (r) =>
      r.type === "kubernetes:core/v1:PersistentVolumeClaim" ||
      (r.type === "kubernetes:apps/v1:StatefulSet" && r.inputs.spec?.volumeClaimTemplates) ||
      (r.type === "kubernetes:helm.sh/v3:Release" && contains(r.inputs.values, "volumeClaimTemplate")),
  );
  // A namespace deletes the claims left in it: it goes before the driver too.
  const claimNamespaces = find("kubernetes:core/v1:Namespace", (n) =>
    claimers.some((c) => (c.inputs.namespace ?? c.inputs.metadata?.namespace) === n.inputs.metadata.name),
  );
  return [
    {
      what: "EBS volumes of persistent volume claims",
      owners: [...claimers, ...claimNamespaces],
      deleters: [
        ...ebsCsi,
        ...byName(
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
          "cluster-ebs-csi-AmazonEBSCSIDriverPolicy",
        ),
        ...find("aws:eks/addon:Addon", (r) => r.inputs.addonName === "eks-pod-identity-agent"),
      ],
    },
    {
      what: "Application Load Balancers of Ingresses",
      owners: ofType(resources, "kubernetes:networking.k8s.io/v1:Ingress"),
      deleters: [
        ...lbc,
        ...byName("aws:iam/rolePolicy:RolePolicy", "load-balancer-controller-policy"),
        ...byName(
          "aws:eks/podIdentityAssociation:PodIdentityAssociation",
          "load-balancer-controller-pod-identity",
        ),
      ],
    },
    {
      // An ALB's listener holds its certificate: ACM refuses to delete a certificate in use.
      what: "the certificate an ALB's listener uses",
      owners: ofType(resources, "kubernetes:networking.k8s.io/v1:Ingress").filter(
        (i) => i.inputs.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"],
      ),
      deleters: ofType(resources, "aws:acm/certificate:Certificate"),
    },
  ];
}

function undeletedBilling(resources: MockedResource[]): string[] {
  const graph = dependencyGraph(resources);
  const problems: string[] = [];
  for (const { what, owners, deleters } of billedByTheCluster(resources)) {
    for (const owner of owners) {
      for (const deleter of deleters) {
        if (!graph.dependsOn(owner, deleter)) {
          problems.push(`${what}: ${owner.name} is not deleted before ${deleter.name}`);
        }
      }
    }
  }
  return problems;
}

describe("teardown", () => {
  it("every billed thing the cluster creates is deleted while what deletes it still runs (dev, prod, a domain and Grafana)", () => {
    for (const run of [runs.dev, runs.prodLike, withEverything]) {
      const billed = billedByTheCluster(run.resources);
      // The check is not vacuous: the claims (the release and its namespace) and the Ingresses are found.
      expect(billed[0]?.owners.map((o) => o.name)).toEqual(
        expect.arrayContaining(["monitoring-kube-prometheus-stack", "monitoring-ns"]),
      );
      expect(billed[0]?.deleters).toHaveLength(3);
      expect(billed[1]?.owners.length).toBeGreaterThan(0);
      expect(billed[1]?.deleters).toHaveLength(3);
      expect(undeletedBilling(run.resources)).toEqual([]);
    }
    expect(billedByTheCluster(withEverything.resources)[2]?.owners).toHaveLength(2);
  });

  it("the check finds a claim that would outlive the driver, and an Ingress that would outlive the controller", () => {
    const cut = (resource: MockedResource, type: string) => ({
      ...resource,
      dependencies: (resource.dependencies ?? []).filter((d) => d.type !== type),
    });
    const broken = runs.dev.resources.map((r) =>
      r.name === "monitoring-kube-prometheus-stack" || r.name === "monitoring-ns"
        ? cut(r, "kubernetes:storage.k8s.io/v1:StorageClass")
        : r.type === "kubernetes:networking.k8s.io/v1:Ingress"
          ? cut(r, "kubernetes:helm.sh/v3:Release")
          : r,
    );
    expect(undeletedBilling(broken)).toEqual(
      expect.arrayContaining([
        "EBS volumes of persistent volume claims: monitoring-kube-prometheus-stack is not deleted before cluster-aws-ebs-csi-driver",
        "EBS volumes of persistent volume claims: monitoring-ns is not deleted before cluster-aws-ebs-csi-driver",
        "Application Load Balancers of Ingresses: endpoints-storefront is not deleted before load-balancer-controller-chart",
      ]),
    );
  });

  it("Prometheus's and Alertmanager's claims are deleted with their StatefulSets", () => {
    for (const run of [runs.dev, runs.prodLike, runs.local]) {
      const values = monitoringRelease(run.resources)?.inputs.values as Inputs;
      for (const spec of [values.prometheus.prometheusSpec, values.alertmanager.alertmanagerSpec]) {
        expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({
          whenDeleted: "Delete",
          whenScaled: "Retain",
        });
      }
    }
  });

  it("the control plane's log group is the program's, with an expiry, made before the cluster (deleted after it)", () => {
    for (const [stack, run] of [
      ["dev", runs.dev],
      ["prod", runs.prodLike],
    ] as const) {
      const [logGroup] = ofType(run.resources, "aws:cloudwatch/logGroup:LogGroup");
      const [cluster] = ofType(run.resources, "aws:eks/cluster:Cluster");
      // Where EKS writes a cluster's control-plane logs (docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html).
      expect(logGroup?.inputs.name).toBe(`/aws/eks/cost-aware-platform-${stack}/cluster`);
      expect(logGroup?.inputs.name).toBe(controlPlaneLogGroupName(cluster?.inputs.name));
      expect(logGroup?.inputs.retentionInDays).toBe(30);
      expect(
        dependencyGraph(run.resources).dependsOn(cluster as MockedResource, logGroup as MockedResource),
      ).toBe(true);
      expect(cluster?.inputs.enabledClusterLogTypes.length).toBeGreaterThan(0);
    }
  });
});
