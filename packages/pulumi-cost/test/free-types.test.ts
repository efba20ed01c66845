import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { FREE_TYPES } from "../src/pricers/free.js";
import { PRICERS } from "../src/pricers/registry.js";
import { USAGE_QUANTITIES } from "../src/usage-quantities.js";
import { estimateOf, step } from "./fixtures.js";

/**
 * Every type the engine calls free, and every type it prices, is a resource type the provider packages
 * define: the tokens are read from the installed @pulumi/aws, @pulumi/kubernetes and @pulumi/random (each
 * resource class sets its `__pulumiType`), so a misspelt entry, which would leave the real, billed type
 * "not priced" at best and hide it at worst, fails here.
 */
const require = createRequire(import.meta.url);

function tokensOf(pkg: string): Set<string> {
  const root = dirname(require.resolve(`${pkg}/package.json`));
  const tokens = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") visit(path);
      else if (entry.isFile() && entry.name.endsWith(".js")) {
        for (const match of readFileSync(path, "utf8").matchAll(/__pulumiType = '([^']+)'/g)) {
          tokens.add(match[1] as string);
        }
      }
    }
  };
  visit(root);
  return tokens;
}

const known = new Set([
  ...tokensOf("@pulumi/aws"),
  ...tokensOf("@pulumi/kubernetes"),
  ...tokensOf("@pulumi/random"),
]);

describe("the free list", () => {
  it("reads thousands of resource types from the provider packages", () => {
    expect(known.size).toBeGreaterThan(1500);
    expect(known.has("aws:ec2/vpc:Vpc")).toBe(true);
    expect(known.has("kubernetes:core/v1:ConfigMap")).toBe(true);
  });

  it("names only types the provider packages define, each with a reason", () => {
    const unknown = [...FREE_TYPES.keys()].filter((type) => !known.has(type));
    expect(unknown).toEqual([]);
    for (const [type, reason] of FREE_TYPES) expect(reason.length, type).toBeGreaterThan(10);
  });

  it("prices only types the provider packages define, and takes usage quantities only for types it prices", () => {
    expect([...PRICERS.keys()].filter((type) => !known.has(type))).toEqual([]);
    expect(Object.keys(USAGE_QUANTITIES).filter((type) => !PRICERS.has(type))).toEqual([]);
  });

  it("calls no type both free and priced", () => {
    expect([...FREE_TYPES.keys()].filter((type) => PRICERS.has(type))).toEqual([]);
  });

  it("does not call free what AWS bills (a database, a cache, a function, a table, an endpoint)", () => {
    // With nothing known of them, each is usage-based or not priced with why: never free, never $0.
    const billed: [string, Record<string, unknown>][] = [
      ["aws:rds/instance:Instance", {}],
      ["aws:rds/cluster:Cluster", {}],
      ["aws:elasticache/cluster:Cluster", {}],
      ["aws:lambda/function:Function", {}],
      ["aws:dynamodb/table:Table", {}],
      ["aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface" }],
      ["kubernetes:networking.k8s.io/v1:Ingress", {}],
      ["aws:memorydb/cluster:Cluster", {}],
    ];
    for (const [type] of billed) expect(known.has(type), type).toBe(true);
    const e = estimateOf(billed.map(([type, inputs], i) => step("create", type, `r${i}`, undefined, inputs)));
    expect(e.counts).toMatchObject({
      resources: billed.length,
      usage: 1,
      notPriced: billed.length - 1,
      free: 0,
    });
    expect(e.atLeast).toBe(true);
    expect(e.notPriced.map((t) => t.plain)).toEqual(
      expect.arrayContaining([
        "r0 (aws:rds/instance:Instance): RDS engine (not known until apply) has no price key in pulumi-cost",
        "r4 (aws:dynamodb/table:Table): write capacity: writeCapacity is not known until apply",
        "r5 (aws:ec2/vpcEndpoint:VpcEndpoint): interface endpoint: subnetIds (one endpoint per AZ) are not known until apply",
        "r7 (aws:memorydb/cluster:Cluster): resource type aws:memorydb/cluster:Cluster is not priced: pulumi-cost has no price for it",
      ]),
    );
  });

  it("counts free, priced, usage-based and not priced apart", () => {
    const e = estimateOf([
      step("create", "aws:iam/role:Role", "role", undefined, {}),
      step("create", "aws:ec2/natGateway:NatGateway", "nat", undefined, {}),
      step("create", "aws:s3/bucketV2:BucketV2", "bucket", undefined, {}),
      step("create", "aws:memorydb/cluster:Cluster", "graph", undefined, {}),
      {
        op: "create",
        urn: "urn:pulumi:dev::p::acme:index:Platform::platform",
        newState: { type: "acme:index:Platform", inputs: {}, custom: false },
      },
    ]);
    expect(e.counts).toEqual({ resources: 5, priced: 1, usage: 1, notPriced: 1, free: 2 });
  });
});
