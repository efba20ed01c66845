import { beforeAll, describe, expect, it } from "vitest";
import { stackTags } from "../stack-tags";
import { type ProgramRun, runProgram } from "../testing/mocks";
import { ofType } from "./stacks";

/**
 * What AWS creates on the program's behalf (node instances, their volumes and network interfaces, the CSI
 * driver's volumes, a Service's load balancer) gets no provider default tags: each must be given the stack's
 * tags explicitly, or Cost Explorer files it under no stack.
 */
const dev = { project: "cost-aware-platform", stack: "dev", costTagKey: "stack" };

/** The in-tree service controller's `k1=v1,k2=v2` annotation as a map. */
const annotationTags = (text: string) =>
  Object.fromEntries(text.split(",").map((pair) => pair.split("=") as [string, string]));
const ADDITIONAL_TAGS = "service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags";

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
const grafanaService = (run: ProgramRun) => {
  const [release] = ofType(run.resources, "kubernetes:helm.sh/v3:Release");
  return release?.inputs.values.grafana.service as { type: string; annotations?: Record<string, string> };
};

let internalGrafana: ProgramRun;
let publicGrafana: ProgramRun;
let costCenter: ProgramRun;
beforeAll(async () => {
  internalGrafana = await runProgram("dev", { grafanaExposure: "internal-load-balancer" });
  publicGrafana = await runProgram("dev", {
    grafanaExposure: "public-load-balancer",
    allowPublicLoadBalancer: "true",
  });
  costCenter = await runProgram("dev", {
    grafanaExposure: "internal-load-balancer",
    costTagKey: "cost-center",
  });
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

  it("Grafana's load balancer, internal or public, carries them through the additional-resource-tags annotation", () => {
    for (const run of [internalGrafana, publicGrafana]) {
      const service = grafanaService(run);
      expect(service.type).toBe("LoadBalancer");
      expect(annotationTags(service.annotations?.[ADDITIONAL_TAGS] ?? "")).toEqual(
        stackTags(dev, "monitoring"),
      );
    }
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
    expect(annotationTags(grafanaService(costCenter).annotations?.[ADDITIONAL_TAGS] ?? "")).toEqual(
      stackTags(tagged, "monitoring"),
    );
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
