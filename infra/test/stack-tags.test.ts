import { beforeAll, describe, expect, it } from "vitest";
import { stackTags } from "../stack-tags";
import { type ProgramRun, runProgram } from "../under-mocks/mocks";
import { ofType, releaseOf } from "./stacks";

/**
 * What AWS creates on the program's behalf (node instances, their volumes and network interfaces, the CSI
 * driver's volumes, the load balancer controller's ALBs) gets no provider default tags: each must be given the stack's
 * tags explicitly, or Cost Explorer files it under no stack.
 */
const dev = { project: "cost-aware-platform", stack: "dev", costTagKey: "stack" };

const launchTemplateTags = (run: ProgramRun) => {
  const [template] = ofType(run.resources, "aws:ec2/launchTemplate:LaunchTemplate");
  const specs = template?.inputs.tagSpecifications as {
    resourceType: string;
    tags: Record<string, string>;
  }[];
  return Object.fromEntries(specs.map((s) => [s.resourceType, s.tags]));
};
const ebsCsiVolumeTags = (run: ProgramRun) => {
  const addon = ofType(run.resources, "aws:eks/addon:Addon").find(
    (a) => a.inputs.addonName === "aws-ebs-csi-driver",
  );
  return JSON.parse(addon?.inputs.configurationValues ?? "{}").controller?.extraVolumeTags;
};
/** The tags the load balancer controller puts on every ALB, target group and security group it creates. */
const controllerTags = (run: ProgramRun) =>
  releaseOf(run.resources, "aws-load-balancer-controller")?.inputs.values.defaultTags;

let internalGrafana: ProgramRun;
let costCenter: ProgramRun;
beforeAll(async () => {
  internalGrafana = await runProgram("dev", {
    grafanaExposure: "internal-load-balancer",
    domain: "shop.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
  });
  costCenter = await runProgram("dev", { costTagKey: "cost-center" });
});

describe("the stack's tags on what AWS creates for the program (dev under mocks)", () => {
  it("the node group's launch template tags its instances, volumes and network interfaces", () => {
    const name = { Name: "cost-aware-platform-dev-node" };
    expect(launchTemplateTags(internalGrafana)).toEqual({
      instance: { ...stackTags(dev, "cluster"), ...name },
      volume: { ...stackTags(dev, "cluster"), ...name },
      "network-interface": { ...stackTags(dev, "cluster"), ...name },
    });
  });

  it("the EBS CSI driver tags every volume it provisions (controller.extraVolumeTags)", () => {
    expect(ebsCsiVolumeTags(internalGrafana)).toEqual(stackTags(dev, "cluster"));
  });

  it("every load balancer the controller creates carries them (the chart's defaultTags), for the storefront and Grafana alike", () => {
    expect(controllerTags(internalGrafana)).toEqual(stackTags(dev, "ingress"));
    // No Ingress sets tags of its own: in one IngressGroup they would have to agree, and the defaults cover all.
    for (const ingress of ofType(internalGrafana.resources, "kubernetes:networking.k8s.io/v1:Ingress")) {
      expect(Object.keys(ingress.inputs.metadata.annotations)).not.toContain(
        "alb.ingress.kubernetes.io/tags",
      );
    }
    expect(ofType(internalGrafana.resources, "kubernetes:networking.k8s.io/v1:Ingress")).toHaveLength(2);
  });
});

describe("a stack whose platform:costTagKey is another key (cost-center)", () => {
  const tagged = { ...dev, costTagKey: "cost-center" };

  it("tags everything with cost-center=<stack> as well, providers and what AWS creates alike", () => {
    expect(stackTags(tagged, "cluster")).toMatchObject({ stack: "dev", "cost-center": "dev" });
    for (const provider of ofType(costCenter.resources, "pulumi:providers:aws")) {
      const { tags } = JSON.parse(provider.inputs.defaultTags);
      expect(tags).toEqual(stackTags(tagged, tags.service));
    }
    expect(launchTemplateTags(costCenter).instance).toEqual({
      ...stackTags(tagged, "cluster"),
      Name: "cost-aware-platform-dev-node",
    });
    expect(ebsCsiVolumeTags(costCenter)).toEqual(stackTags(tagged, "cluster"));
    expect(controllerTags(costCenter)).toEqual(stackTags(tagged, "ingress"));
  });

  it("its budget filters by that tag, and its reconciliation rules read that tag's spend", () => {
    const [budget] = ofType(costCenter.resources, "aws:budgets/budget:Budget");
    expect(budget?.inputs.costFilters).toEqual([{ name: "TagKeyValue", values: ["user:cost-center$dev"] }]);
    const reconciliation = ofType(costCenter.resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")
      .map((rule) => JSON.stringify(rule.inputs.spec))
      .filter((spec) => spec.includes("aws_cost_tag_last_complete_day_amount"));
    expect(reconciliation).toHaveLength(1);
    expect(reconciliation[0]).toContain('tag_key=\\"cost-center\\"');
    expect(reconciliation[0]).not.toContain('tag_key=\\"stack\\"');
  });
});
