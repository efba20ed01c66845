import { beforeAll, describe, expect, it } from "vitest";
import {
  noPublicLoadBalancer,
  noWildcardIam,
  platformPolicies,
  requiredTags,
  scopedTrustPolicies,
  workloadSecurity,
} from "../policy/policies";
import { type Inputs, type MockedResource, runProgram } from "../testing/mocks";
import { violations } from "../testing/policy-args";
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

describe("policy pack against the real program", () => {
  for (const policy of platformPolicies) {
    it(`${policy.name}: no violation in dev, local and prod-like`, async () => {
      for (const run of [runs.dev, runs.local, runs.prodLike]) {
        expect(await violations(policy, run.resources)).toEqual([]);
      }
    });
  }
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

  it("no-public-load-balancer: a public Service, and Grafana made public in the chart values", async () => {
    const service = seeded("kubernetes:core/v1:Service", {
      metadata: { name: "shop" },
      spec: { type: "LoadBalancer" },
    });
    expect(await violations(noPublicLoadBalancer, [service])).toEqual([
      "seeded: Service of type LoadBalancer is internet-facing",
    ]);
    const publicGrafana = await runProgram("dev", {
      grafanaExposure: "public-load-balancer",
      allowPublicLoadBalancer: "true",
    });
    const release = ofType(publicGrafana.resources, "kubernetes:helm.sh/v3:Release");
    expect(await violations(noPublicLoadBalancer, release)).toEqual([
      "monitoring-kube-prometheus-stack: values.grafana.service: an internet-facing LoadBalancer",
    ]);
    expect(
      await violations(noPublicLoadBalancer, release, { config: { allowPublicLoadBalancer: true } }),
    ).toEqual([]);
    const internalGrafana = await runProgram("dev", { grafanaExposure: "internal-load-balancer" });
    expect(
      await violations(
        noPublicLoadBalancer,
        ofType(internalGrafana.resources, "kubernetes:helm.sh/v3:Release"),
      ),
    ).toEqual([]);
  });
});
