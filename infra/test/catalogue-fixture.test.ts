import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogue, type ServiceEntry } from "../../catalogue/services";
import { type ProgramRun, repoRoot, runProgram } from "../under-mocks/mocks";
import { ofType } from "./stacks";

/**
 * Adding a service is its folder plus one catalogue entry: a fixture entry, and nothing else, gives the
 * program everything a service needs, found in its inventory under mocks.
 */
const fixture: ServiceEntry = {
  name: "fixture-shop",
  description: "a fixture service added only in this test",
  port: 8099,
  runsIn: ["cluster", "local"],
  image: { dockerfile: "services/Dockerfile", buildArgs: { SERVICE: "storefront" } },
  probes: { liveness: "/livez", readiness: "/readyz" },
  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
  replicas: { default: 2, max: 5 },
  env: { GREETING: "hello" },
  clusterEnv: ({ urlOf, settings }) => ({ SHOP_URL: urlOf("storefront"), TAG_KEY: settings.costTagKey }),
  scrape: { path: "/stats", interval: "45s" },
  ingress: "prometheus",
  egress: [{ to: "service", service: "storefront" }, { to: "https" }, { to: "eks-pod-identity" }],
  awsIdentity: { serviceAccount: "fixture-shop-sa", policyFile: "services/cost-exporter/iam-policy.json" },
};

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram(
    "dev",
    { replicas: '{"fixture-shop": 4}' },
    { platform: { catalogue: [...catalogue, fixture] } },
  );
});

const named = (type: string, name: string) =>
  ofType(run.resources, type).filter((r) => r.inputs.metadata?.name === name);

describe("a fixture service added to the catalogue", () => {
  it("gets a Deployment with its image, port, probes, resources, replicas and environment", () => {
    const [deployment] = named("kubernetes:apps/v1:Deployment", "fixture-shop");
    const pod = deployment?.inputs.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment?.inputs.spec.replicas).toBe(4);
    expect(container.image).toMatch(
      new RegExp(
        `^${run.caller.accountId}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/cost-aware-platform/fixture-shop:src-[0-9a-f]{24}$`,
      ),
    );
    expect(container.ports).toEqual([{ name: "http", containerPort: 8099, protocol: "TCP" }]);
    expect(container.livenessProbe.httpGet.path).toBe("/livez");
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.resources).toEqual(fixture.resources);
    expect(
      Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value])),
    ).toEqual({
      PORT: "8099",
      HOST: "0.0.0.0",
      GREETING: "hello",
      SHOP_URL: "http://storefront.platform.svc.cluster.local:8080",
      TAG_KEY: "stack",
    });
    expect(pod.serviceAccountName).toBe("fixture-shop-sa");
  });

  it("gets a Service, a PDB, a ServiceMonitor with its scrape path and interval, and its ServiceAccount", () => {
    expect(named("kubernetes:core/v1:Service", "fixture-shop")[0]?.inputs.spec.ports).toEqual([
      { name: "http", port: 8099, targetPort: "http", protocol: "TCP" },
    ]);
    expect(
      named("kubernetes:policy/v1:PodDisruptionBudget", "fixture-shop")[0]?.inputs.spec.minAvailable,
    ).toBe(1);
    expect(
      named("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "fixture-shop")[0]?.inputs.spec.endpoints,
    ).toEqual([{ port: "http", path: "/stats", interval: "45s" }]);
    expect(named("kubernetes:core/v1:ServiceAccount", "fixture-shop-sa")).toHaveLength(1);
  });

  it("gets a NetworkPolicy from its ingress and egress", () => {
    const spec = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "fixture-shop")[0]?.inputs.spec;
    expect(spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 8099 }],
      },
    ]);
    expect(spec.egress.slice(1)).toEqual([
      {
        to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "storefront" } } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
      { ports: [{ protocol: "TCP", port: 443 }] },
      { to: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ protocol: "TCP", port: 80 }] },
    ]);
  });

  it("gets an AWS role for its service account with exactly its policy file, and the Pod Identity association", () => {
    const role = ofType(run.resources, "aws:iam/role:Role").find((r) => r.name === "fixture-shop-role");
    const trust = JSON.parse(role?.inputs.assumeRolePolicy);
    expect(trust.Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-service-account"]).toBe(
      "fixture-shop-sa",
    );
    const policy = ofType(run.resources, "aws:iam/rolePolicy:RolePolicy").find(
      (r) => r.name === "fixture-shop-policy",
    );
    expect(policy?.inputs.policy).toBe(
      fs.readFileSync(path.join(repoRoot, fixture.awsIdentity?.policyFile as string), "utf8"),
    );
    const association = ofType(run.resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find(
      (r) => r.name === "fixture-shop-pod-identity",
    );
    expect(association?.inputs).toMatchObject({ namespace: "platform", serviceAccount: "fixture-shop-sa" });
    const provider = ofType(run.resources, "pulumi:providers:aws").find(
      (p) => JSON.parse(p.inputs.defaultTags).tags.service === "fixture-shop",
    );
    expect(provider).toBeDefined();
    expect(run.outputs.roleArns).toHaveProperty("fixtureShop");
  });

  it("starts its pods only once the Pod Identity association and the role's policy exist", () => {
    // EKS injects Pod Identity credentials when a pod is created; a pod admitted earlier never gets them.
    const [deployment] = named("kubernetes:apps/v1:Deployment", "fixture-shop");
    expect(deployment?.dependsOn).toEqual(
      expect.arrayContaining([
        { type: "aws:eks/podIdentityAssociation:PodIdentityAssociation", name: "fixture-shop-pod-identity" },
        { type: "aws:iam/rolePolicy:RolePolicy", name: "fixture-shop-policy" },
      ]),
    );
    const [storefront] = named("kubernetes:apps/v1:Deployment", "storefront");
    expect(storefront?.dependsOn?.map((d) => d.type)).toEqual(["kubernetes:core/v1:Namespace"]);
  });

  it("its replica policy applies to platform:replicas", async () => {
    const error = await runProgram(
      "dev",
      { replicas: '{"fixture-shop": 6}' },
      { platform: { catalogue: [...catalogue, fixture] } },
    ).catch((e: Error) => e);
    expect(String(error)).toContain("platform:replicas: fixture-shop: at most 5, not 6");
  });
});
