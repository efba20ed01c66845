import { describe, expect, it } from "vitest";
import { eksClusterSupportType } from "../components/cluster";
import { readStackConfig } from "../stack-config";
import type { Inputs } from "../under-mocks/mocks";
import { runs, useExampleStackRuns } from "./program-run";
import { isKubernetesObject, ofType } from "./stacks";

/** The program under mocks: the workloads it runs in the cluster. */
useExampleStackRuns();

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
