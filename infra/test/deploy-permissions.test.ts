import { beforeAll, describe, expect, it } from "vitest";
import { type RequiredAction, resourcePermissions } from "../bootstrap/resource-permissions";
import { type ProgramRun, runProgram } from "../under-mocks/mocks";
import { permissionsOf, runBootstrap } from "./bootstrap-run";
import { identityAllows } from "./iam-evaluator";
import { exampleStackRuns, type StackRuns } from "./stacks";

/**
 * The deploy role against the table of what each resource type needs (infra/bootstrap/resource-permissions.ts),
 * evaluated by an IAM policy evaluator: every create, update and delete action on the resource it names,
 * with the request context it carries, is allowed.
 */

let runs: StackRuns;
let ci: ProgramRun;
/** A stack with a domain and Grafana behind the load balancer: the certificate and DNS records too. */
let withDomain: ProgramRun;
beforeAll(async () => {
  runs = await exampleStackRuns();
  ci = await runBootstrap();
  withDomain = await runProgram("dev", {
    domain: "shop.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    grafanaExposure: "public-load-balancer",
  });
});

const deployRoleArn = "arn:aws:iam::123456789012:role/ci-deploy";
const fill = (template: string) =>
  template
    .split("{partition}")
    .join("aws")
    .split("{region}")
    .join("us-east-1")
    .split("{account}")
    .join("123456789012")
    .split("{cluster}")
    .join("cost-aware-platform-dev")
    .split("{project}")
    .join("cost-aware-platform")
    .split("{id}")
    .join("0123456789abcdef0");
const request = (required: RequiredAction) => ({
  action: required.action,
  resource: fill(required.resource),
  context: Object.fromEntries(
    Object.entries(required.context ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(fill) : fill(v)]),
  ),
});

describe("the deploy role allows what each resource type needs", () => {
  it("the table has a row for every AWS resource type the program declares (dev, prod, a stack with a domain)", () => {
    const declared = new Set(
      [...runs.dev.resources, ...runs.prodLike.resources, ...withDomain.resources]
        .map((r) => r.type)
        .filter((t) => t.startsWith("aws:")),
    );
    const rows = new Set(resourcePermissions.map((row) => row.type));
    expect([...declared].filter((type) => !rows.has(type)).sort()).toEqual([]);
    for (const row of resourcePermissions) expect(row.source, row.type).toMatch(/^docs\.aws\.amazon\.com\//);
  });

  for (const row of resourcePermissions) {
    it(`${row.type}: create, update and delete`, async () => {
      const policy = permissionsOf(ci, "ci-deploy");
      const denied: string[] = [];
      for (const [phase, actions] of Object.entries({
        create: row.create,
        update: row.update,
        delete: row.delete,
      })) {
        for (const required of actions) {
          const result = await identityAllows(policy, deployRoleArn, request(required));
          if (result.decision !== "Allowed") {
            denied.push(
              `${phase} ${required.action} on ${fill(required.resource)}: ${result.decision} ${JSON.stringify(result.errors ?? "")}`,
            );
          }
        }
      }
      expect(denied).toEqual([]);
    });
  }

  it("includes launching nodes from the launch template, the tags and the role that go with it, and ECR push", () => {
    const nodeGroup = resourcePermissions.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
    const actions = nodeGroup?.create.map((a) => a.action) ?? [];
    expect(actions).toEqual(expect.arrayContaining(["ec2:RunInstances", "ec2:CreateTags", "iam:PassRole"]));
    const push = resourcePermissions.find((r) => r.type === "image push (ECR)")?.create.map((a) => a.action);
    expect(push).toEqual(
      expect.arrayContaining(["ecr:PutImage", "ecr:CompleteLayerUpload", "ecr:GetAuthorizationToken"]),
    );
  });

  it("and denies what lies outside the platform: other roles, other repositories, other services to pass roles to", async () => {
    const policy = permissionsOf(ci, "ci-deploy");
    const denied = [
      {
        action: "iam:PassRole",
        resource: "arn:aws:iam::123456789012:role/admin",
        context: { "iam:PassedToService": "ec2.amazonaws.com" },
      },
      {
        action: "iam:PassRole",
        resource: "arn:aws:iam::123456789012:role/platform/cluster-nodes",
        context: { "iam:PassedToService": "lambda.amazonaws.com" },
      },
      { action: "ecr:PutImage", resource: "arn:aws:ecr:us-east-1:123456789012:repository/someone-else/app" },
      { action: "ec2:RunInstances", resource: "arn:aws:ec2:eu-west-1:123456789012:instance/*" },
      { action: "iam:CreateRole", resource: "arn:aws:iam::123456789012:role/admin" },
    ];
    for (const call of denied) {
      expect((await identityAllows(policy, deployRoleArn, call)).decision, call.action).toBe(
        "ImplicitlyDenied",
      );
    }
  });
});
