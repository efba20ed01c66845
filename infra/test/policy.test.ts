import { beforeAll, describe, expect, it } from "vitest";
import { parseStackFile } from "../config";
import {
  grafanaOverTls,
  noPublicLoadBalancer,
  noWildcardIam,
  platformPolicies,
  requiredTags,
  scopedTrustPolicies,
  workloadSecurity,
} from "../policy/policies";
import { policyPackConfig } from "../policy-config";
import { type Inputs, type MockedResource, runProgram } from "../under-mocks/mocks";
import { violations } from "../under-mocks/policy-args";
import { exampleStackRuns, ofType, type StackRuns } from "./stacks";

let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

const seeded = (type: string, inputs: Inputs, extra: Partial<MockedResource> = {}): MockedResource => ({
  type,
  name: "seeded",
  inputs,
  urn: `urn:pulumi:dev::cost-aware-platform::${type}::seeded`,
  ...extra,
});

const document = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

/** The policy config the workflows pass for a stack: `npm run policy-config -- --stack <stack>`. */
const stackPolicyConfig = (stack: string) => policyPackConfig(parseStackFile(stack));

describe("policy pack against the real program", () => {
  for (const policy of platformPolicies) {
    it(`${policy.name}: no violation in dev, local and prod-like, each with its stack's policy config`, async () => {
      for (const [stack, run] of [
        ["dev", runs.dev],
        ["local", runs.local],
        ["prod", runs.prodLike],
      ] as const) {
        const config = stackPolicyConfig(stack)[policy.name] ?? {};
        expect(await violations(policy, run.resources, { config }), stack).toEqual([]);
      }
    });
  }

  it("every policy passes a stack with a domain and Grafana behind the load balancer (dev's config)", async () => {
    const run = await runProgram("dev", {
      domain: "shop.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      grafanaExposure: "public-load-balancer",
    });
    for (const policy of platformPolicies) {
      const config = stackPolicyConfig("dev")[policy.name] ?? {};
      expect(await violations(policy, run.resources, { config }), policy.name).toEqual([]);
    }
  });

  it("no-public-load-balancer reads the stack's setting: dev's public shop passes with dev's config, not without", async () => {
    expect(stackPolicyConfig("dev")).toEqual({
      "no-public-load-balancer": { allowPublicLoadBalancer: true },
    });
    expect(await violations(noPublicLoadBalancer, runs.dev.resources)).toEqual([
      "endpoints-storefront: Ingress with an internet-facing load balancer",
    ]);
    // A stack that does not allow it gets an internal load balancer, which passes the defaults.
    const internal = await runProgram("dev", { allowPublicLoadBalancer: "false" });
    expect(await violations(noPublicLoadBalancer, internal.resources)).toEqual([]);
    const [ingress] = ofType(internal.resources, "kubernetes:networking.k8s.io/v1:Ingress");
    expect(ingress?.inputs.metadata.annotations["alb.ingress.kubernetes.io/scheme"]).toBe("internal");
  });
});

describe("policy pack against seeded violations", () => {
  it("no-wildcard-iam: wildcard actions, NotAction, wildcard principals, writes on Resource *", async () => {
    const found = await violations(noWildcardIam, [
      seeded("aws:iam/rolePolicy:RolePolicy", {
        policy: document({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }),
      }),
      seeded("aws:iam/rolePolicy:RolePolicy", {
        policy: document({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
      }),
      seeded("aws:iam/rolePolicy:RolePolicy", {
        policy: document({ Effect: "Allow", Action: "ec2:CreateVpc", Resource: "*" }),
      }),
      seeded("aws:iam/role:Role", {
        assumeRolePolicy: document({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }),
      }),
    ]);
    expect(found).toEqual([
      'seeded: policy: wildcard action "s3:*"',
      "seeded: policy: NotAction grants everything else",
      'seeded: policy: Resource "*" for actions that are not reads: ec2:CreateVpc',
      "seeded: assumeRolePolicy: wildcard principal",
    ]);
    // what the cost exporter needs stays allowed
    expect(
      await violations(noWildcardIam, [
        seeded("aws:iam/rolePolicy:RolePolicy", {
          policy: document({
            Effect: "Allow",
            Action: ["ce:GetCostAndUsage", "ce:GetCostForecast"],
            Resource: "*",
          }),
        }),
      ]),
    ).toEqual([]);
  });

  it("scoped-trust-policies: Pod Identity without a service account, GitHub without a repository, other accounts", async () => {
    const [costExporterRole] = ofType(runs.dev.resources, "aws:iam/role:Role").filter(
      (r) => r.name === "cost-exporter-role",
    );
    const loosened = structuredClone(costExporterRole) as MockedResource;
    const trust = JSON.parse(loosened.inputs.assumeRolePolicy);
    delete trust.Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-service-account"];
    loosened.inputs.assumeRolePolicy = JSON.stringify(trust);
    const ids = {
      "token.actions.githubusercontent.com:repository_id": "812345678",
      "token.actions.githubusercontent.com:repository_owner_id": "91234567",
    };
    const github = (sub: string, pinned: Record<string, string> = ids) =>
      seeded("aws:iam/role:Role", {
        assumeRolePolicy: document({
          Effect: "Allow",
          Principal: {
            Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
          },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", ...pinned },
            StringLike: { "token.actions.githubusercontent.com:sub": sub },
          },
        }),
      });
    const found = await violations(scopedTrustPolicies, [
      loosened,
      github("repo:acme/*"),
      github("repo:acme/platform:ref:refs/heads/main"),
      github("repo:acme@91234567/platform@812345678:environment:dev"),
      // By name only: a re-created repository of the same name would match.
      github("repo:acme/platform:pull_request", {}),
      seeded("aws:iam/role:Role", {
        assumeRolePolicy: document({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::999999999999:root" },
          Action: "sts:AssumeRole",
        }),
      }),
    ]);
    expect(found).toEqual([
      "cost-exporter-role: Pod Identity trust must pin aws:RequestTag/kubernetes-service-account to one value",
      'seeded: GitHub OIDC subject "repo:acme/*" is not one repository\'s branch, environment or pull_request',
      "seeded: GitHub OIDC trust must pin token.actions.githubusercontent.com:repository_id to one numeric id",
      "seeded: GitHub OIDC trust must pin token.actions.githubusercontent.com:repository_owner_id to one numeric id",
      'seeded: trust principal kind "AWS" is not allowed (service or GitHub OIDC only)',
    ]);
  });

  it("required-tags: an AWS resource created without the tagging provider", async () => {
    const vpc = ofType(runs.dev.resources, "aws:ec2/vpc:Vpc")[0] as MockedResource;
    const { provider: _dropped, ...untagged } = vpc;
    expect(await violations(requiredTags, [untagged], { all: runs.dev.resources })).toEqual([
      "network-vpc: missing tags: project, stack, service, managed-by",
    ]);
    const partly = { ...untagged, inputs: { ...vpc.inputs, tags: { project: "p", stack: "s" } } };
    expect(await violations(requiredTags, [partly], { all: runs.dev.resources })).toEqual([
      "network-vpc: missing tags: service, managed-by",
    ]);
  });

  it("workload-security: a writable, root-capable container without limits", async () => {
    const deployment = structuredClone(
      ofType(runs.dev.resources, "kubernetes:apps/v1:Deployment").find(
        (d) => d.name === "storefront-deployment",
      ),
    ) as MockedResource;
    const container = deployment.inputs.spec.template.spec.containers[0];
    container.securityContext = { readOnlyRootFilesystem: false };
    delete deployment.inputs.spec.template.spec.securityContext;
    delete container.resources.limits;
    expect(await violations(workloadSecurity, [deployment])).toEqual([
      "storefront-deployment: storefront: runAsNonRoot is not true",
      "storefront-deployment: storefront: no RuntimeDefault seccomp profile",
      "storefront-deployment: storefront: allowPrivilegeEscalation is not false",
      "storefront-deployment: storefront: root filesystem is writable",
      "storefront-deployment: storefront: capabilities not dropped (drop: [ALL])",
      "storefront-deployment: storefront: no cpu limit",
      "storefront-deployment: storefront: no memory limit",
    ]);
  });

  it("no-public-load-balancer: a public Service, a public LoadBalancer in chart values, a public Ingress", async () => {
    const service = seeded("kubernetes:core/v1:Service", {
      metadata: { name: "shop" },
      spec: { type: "LoadBalancer" },
    });
    const release = seeded("kubernetes:helm.sh/v3:Release", {
      values: { grafana: { service: { type: "LoadBalancer" } } },
    });
    const ingress = seeded("kubernetes:networking.k8s.io/v1:Ingress", {
      metadata: { annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" } },
    });
    expect(await violations(noPublicLoadBalancer, [service, release, ingress])).toEqual([
      "seeded: Service of type LoadBalancer is internet-facing",
      "seeded: values.grafana.service: an internet-facing LoadBalancer",
      "seeded: Ingress with an internet-facing load balancer",
    ]);
    expect(
      await violations(noPublicLoadBalancer, [service, release, ingress], {
        config: { allowPublicLoadBalancer: true },
      }),
    ).toEqual([]);
  });

  it("grafana-over-tls: an Ingress to Grafana without a certificate or without the HTTPS redirect", async () => {
    const publicGrafana = await runProgram("dev", {
      grafanaExposure: "public-load-balancer",
      domain: "shop.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
    });
    const grafana = ofType(publicGrafana.resources, "kubernetes:networking.k8s.io/v1:Ingress").find(
      (i) => i.inputs.metadata.name === "grafana",
    ) as MockedResource;
    expect(await violations(grafanaOverTls, [grafana])).toEqual([]);
    const plain = structuredClone(grafana);
    delete plain.inputs.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"];
    delete plain.inputs.metadata.annotations["alb.ingress.kubernetes.io/ssl-redirect"];
    expect(await violations(grafanaOverTls, [plain])).toEqual([
      "endpoints-grafana: Ingress to Grafana without a certificate (alb.ingress.kubernetes.io/certificate-arn)",
      "endpoints-grafana: Ingress to Grafana without HTTP redirected to HTTPS (alb.ingress.kubernetes.io/ssl-redirect)",
    ]);
  });
});
