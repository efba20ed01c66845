import { describe, expect, it } from "vitest";
import { BadInputError } from "../src/limits.js";
import { headline, renderMarkdown } from "../src/markdown.js";
import { parsePreview } from "../src/preview.js";
import { toReport } from "../src/report.js";
import { DEPLOYMENT, deployment, estimateOf, NODE_GROUP, nodeGroup, preview, step } from "./fixtures.js";

// A preview is a pull request's output: each case here came from a hostile or broken preview that made the
// engine run out of memory, price a negative volume, fail with JavaScript internals or write live Markdown.
// Every one of these tests failed on the engine before it checked its input (see the notes of the change).

const rejected = (run: () => unknown, pattern: RegExp) => {
  expect(run).toThrow(BadInputError);
  expect(run).toThrow(pattern);
};

describe("numbers are bounded by what AWS and Kubernetes accept, and refused naming resource and field", () => {
  it("prices 100,000,000 replicas without placing them one by one: the nodes at their maximum, the rest Pending", () => {
    const e = estimateOf([
      step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2, 4)),
      step("create", DEPLOYMENT, "app", undefined, deployment("app", 1e8, { cpu: "100m", memory: "128Mi" })),
    ]);
    const fit = e.capacity.after[0]?.fit;
    // a t3.large holds 19 of these pods by CPU (1,930m ÷ 100m), 4 nodes hold 76
    expect([fit?.nodes, fit?.pendingAtMax]).toEqual([4, 1e8 - 76]);
    expect(e.warnings.join("\n")).toContain(`${1e8 - 76} pods would stay Pending`);
  });

  it("refuses replicas above Kubernetes' int32 and a fractional replica count", () => {
    const at = (replicas: number) => () =>
      estimateOf([
        step(
          "create",
          DEPLOYMENT,
          "app",
          undefined,
          deployment("app", replicas, { cpu: "1m", memory: "1Mi" }),
        ),
      ]);
    rejected(
      at(1e12),
      /resource "app" \(kubernetes:apps\/v1:Deployment\), field spec.replicas: .* above 2,147,483,647/,
    );
    rejected(at(2.5), /field spec.replicas: 2.5 is not a whole number/);
  });

  it("refuses a negative volume, which once turned a +$647 change into a fall", () => {
    rejected(
      () =>
        estimateOf([
          step("create", "aws:ebs/volume:Volume", "data", undefined, { size: -8000, type: "gp3" }),
        ]),
      /resource "data" \(aws:ebs\/volume:Volume\), field size: -8000 is negative/,
    );
    rejected(
      () =>
        estimateOf([
          step("create", "aws:ebs/volume:Volume", "data", undefined, { size: 70000, type: "gp3" }),
        ]),
      /field size: 70000 is above 65,536: the largest EBS volume/,
    );
  });

  it("refuses a node group larger than any EKS cluster, and sizes that are not numbers at all", () => {
    rejected(
      () => estimateOf([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2, 1e9))]),
      /resource "nodes" \(aws:eks\/nodeGroup:NodeGroup\), field scalingConfig.maxSize: 1000000000 is above 100,000/,
    );
    const infinite = { ...nodeGroup("t3.large", 2), scalingConfig: { desiredSize: "1e400", maxSize: 3 } };
    rejected(
      () => estimateOf([step("create", NODE_GROUP, "nodes", undefined, infinite)]),
      /field scalingConfig.desiredSize: Infinity is not a finite number/,
    );
  });

  it("refuses Helm values nested deeper than it walks", () => {
    let values: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) values = { a: values };
    rejected(
      () =>
        estimateOf([
          step("create", "kubernetes:helm.sh/v3:Release", "chart", undefined, { chart: "x", values }),
        ]),
      /resource "chart" \(kubernetes:helm.sh\/v3:Release\): its values are nested deeper than 64 levels/,
    );
  });
});

describe("names of object properties are only names", () => {
  it("an instance type __proto__ or constructor is not in the price table, not a crash", () => {
    for (const type of ["__proto__", "constructor", "toString"]) {
      const e = estimateOf([step("create", NODE_GROUP, "nodes", undefined, nodeGroup(type, 2))]);
      expect(e.notPriced.map((t) => t.plain).join("\n")).toContain(
        `instance type ${type} is not in the price table`,
      );
      expect(e.atLeast).toBe(true);
    }
  });

  it("a resource type __proto__ is a type the engine does not price, and says so", () => {
    for (const type of ["__proto__", "constructor", "hasOwnProperty"]) {
      const e = estimateOf([step("create", type, "x", undefined, {})]);
      expect(e.counts).toMatchObject({ resources: 1, notPriced: 1, free: 0 });
      expect(headline(e).plain).toBe("Monthly cost will not change, stays at least $0.00");
    }
  });

  it("inputs with __proto__ keys are read as plain data", () => {
    const inputs = JSON.parse(
      '{"__proto__": {"size": 5}, "type": "gp3", "tags": {"__proto__": "x"}, "metadata": {"__proto__": {"name": "y"}}}',
    );
    const e = estimateOf([step("create", "aws:ebs/volume:Volume", "v", undefined, inputs)]);
    expect(e.notPriced.map((t) => t.plain)).toEqual([
      "v (aws:ebs/volume:Volume): volume size not known until apply",
    ]);
  });
});

describe("a document that is not a preview is refused before anything is read", () => {
  it.each([
    ['{"steps":[null]}', /steps\[0\] is not a step/],
    ['{"steps":[{"op":"create"}]}', /steps\[0\] is not a step/],
    [
      '{"steps":[{"op":"create","urn":"u","newState":{"inputs":[1]}}]}',
      /steps\[0\].newState.inputs is not an object/,
    ],
    ['{"steps":{}}', /no "steps"/],
    ["[]", /no "steps"/],
    ["", /is empty/],
    ["{", /is not JSON/],
  ])("%s", (text, pattern) => {
    rejected(() => parsePreview(text), pattern);
  });

  it("a preview nested a million levels deep", () => {
    const deep = `{"steps":[${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}]}`;
    rejected(() => parsePreview(deep), /nested too deeply|steps\[0\] is not a step/);
  });

  it("a preview too large to read", () => {
    rejected(() => parsePreview(" ".repeat(64 * 2 ** 20 + 1)), /larger than 64 MiB/);
  });
});

describe("what a resource is called cannot become Markdown", () => {
  const hostile = "a`<img src=x onerror=alert(1)> @octocat [link](https://evil.example) `";
  const e = estimateOf([
    step("create", "aws:ec2/natGateway:NatGateway", hostile, undefined, {}),
    step("create", "aws:ec2/eip:Eip", "x\n# Forged heading\n<!-- pulumi-preview:prod -->", undefined, {}),
  ]);
  const markdown = renderMarkdown(e);

  it("shows a name with backticks in a code span its backticks cannot close", () => {
    // CommonMark strips one space of each side: the code is exactly the name
    expect(markdown).toContain(
      "`` a`<img src=x onerror=alert(1)> @octocat [link](https://evil.example) ` `` created",
    );
    expect(markdown).toContain("`x # Forged heading <!-- pulumi-preview:prod -->` created");
    expect(markdown).not.toMatch(/^#/m);
  });

  it("keeps the names as they are in the JSON report", () => {
    const names = toReport(e).resources.map((r) => r.name);
    expect(names).toContain(hostile);
    expect(names).toContain("x\n# Forged heading\n<!-- pulumi-preview:prod -->");
  });
});

describe("work is bounded", () => {
  it("100,000 pods are placed in batches; a preview of 200,001 steps is refused", () => {
    const apps = Array.from({ length: 100 }, (_, i) =>
      step(
        "create",
        DEPLOYMENT,
        `app-${i}`,
        undefined,
        deployment(`app-${i}`, 1000, { cpu: "100m", memory: "128Mi" }),
      ),
    );
    const e = estimateOf([
      step("create", NODE_GROUP, "nodes", undefined, nodeGroup("m6i.large", 10, 6000)),
      ...apps,
    ]);
    // an m6i.large gives 1,930m and 29 pods: 19 pods a node by CPU, 100,000 pods need 5,264 nodes
    expect(e.capacity.after[0]?.fit.nodes).toBe(5264);
    const steps = Array.from({ length: 200_001 }, (_, i) => ({ op: "same", urn: `u${i}` }));
    rejected(() => parsePreview(JSON.stringify(preview(steps))), /200001 steps; at most 200000/);
  });
});
