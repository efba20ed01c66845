import { marked, type Token } from "marked";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../src/markdown.js";
import type { PreviewStep } from "../src/preview.js";
import { DEPLOYMENT, deployment, estimateOf, NODE_GROUP, nodeGroup, step } from "./fixtures.js";

/**
 * Generated hostile names in every place the comment shows a value of the preview (a resource's name, a
 * workload, a node group, a StorageClass, an instance type, a Helm value's path), rendered, and read back as
 * GitHub reads Markdown (marked, GFM): the comment has exactly the structure it has with plain names: the same
 * blocks, table cells, list items, code spans, and no heading, link, image, HTML or emphasis of the input's.
 */
const PIECES = [
  "`",
  "``",
  "```",
  "<",
  ">",
  "<!--",
  "-->",
  "<!-- pulumi-preview:prod -->",
  "<img src=x onerror=alert(1)>",
  "<details>",
  "</details>",
  "<br>",
  "@octocat",
  "@org/team",
  "[x](https://evil.example)",
  "https://evil.example",
  "www.evil.example",
  "a@b.example",
  "*",
  "**",
  "_",
  "__",
  "~~",
  "|",
  "\\",
  "\\|",
  "\n",
  "\r\n",
  "\u2028",
  "# ",
  "\n## h\n",
  "- ",
  "1. ",
  "> ",
  "\n---\n",
  "&amp;",
  "&#96;",
  ":smile:",
  "![i](https://e.example/i.png)",
  " ",
  "\t",
  "x",
  "0",
  "é",
  "-",
  ".",
];

/** mulberry32: the same names on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostileName(next: () => number): string {
  const length = 1 + Math.floor(next() * 8);
  let name = "";
  for (let i = 0; i < length; i++) name += PIECES[Math.floor(next() * PIECES.length)];
  return name;
}

/** A preview that shows each of the names somewhere the comment writes a value of the input. */
function steps(names: readonly string[]): PreviewStep[] {
  const [nat, app, group, storageClass, instanceType, path] = names as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const claim = { spec: { storageClassName: storageClass, resources: { requests: { storage: "10Gi" } } } };
  return [
    step("create", "aws:ec2/natGateway:NatGateway", nat, undefined, {}),
    step("create", NODE_GROUP, group, undefined, nodeGroup("t3.large", 1, 2)),
    step("create", DEPLOYMENT, app, undefined, deployment(app, 3, { cpu: "900m", memory: "1Gi" })),
    step("create", "kubernetes:core/v1:PersistentVolumeClaim", `${nat}-claim`, undefined, claim),
    step("create", "aws:ec2/instance:Instance", `${group}-vm`, undefined, { instanceType }),
    step("create", "kubernetes:helm.sh/v3:Release", `${app}-chart`, undefined, {
      chart: "kube-prometheus-stack",
      values: { [path]: { service: { type: "LoadBalancer" } } },
    }),
  ];
}

type Node = string | { type: string; parts: Node[][] };

/**
 * Block and inline structure, without the text: the token types, nested as marked nests them, table rows cell
 * by cell. A value is only text to the reader whether it shows as itself or as a code span, so both are
 * "text", and a run of text is one node however marked splits it.
 */
function shape(tokens: readonly Token[]): Node[] {
  const nodes: Node[] = [];
  for (const token of tokens) {
    const inner = token as {
      tokens?: Token[];
      items?: Token[];
      header?: { tokens: Token[] }[];
      rows?: { tokens: Token[] }[][];
    };
    const parts: Node[][] = [];
    if (inner.tokens) parts.push(shape(inner.tokens));
    if (inner.items) parts.push(shape(inner.items));
    for (const cell of inner.header ?? []) parts.push(shape(cell.tokens));
    for (const row of inner.rows ?? []) {
      parts.push(["row"]);
      for (const cell of row) parts.push(shape(cell.tokens));
    }
    const type = token.type === "codespan" ? "text" : token.type;
    if (parts.length === 0 && type === "text" && nodes[nodes.length - 1] === "text") continue;
    nodes.push(parts.length > 0 ? { type, parts } : type);
  }
  return nodes;
}

const structure = (markdown: string) => shape(marked.lexer(markdown, { gfm: true }));

describe("hostile names cannot change the comment's structure", () => {
  const plain = [
    "plain nat 1",
    "plain app 2",
    "plain group 3",
    "plain class 4",
    "plain type 5",
    "plain path 6",
  ];
  const expected = structure(renderMarkdown(estimateOf(steps(plain))));

  it("the plain names' comment has the table, its cells and the sections the engine writes", () => {
    const json = JSON.stringify(expected);
    expect(json).toContain('"table"');
    expect(json).not.toContain('"link"');
    expect(json).not.toContain('"heading"');
    expect(json).toContain('"html"');
  });

  it("300 sets of generated names give exactly that structure", () => {
    const next = random(20261207);
    for (let i = 0; i < 300; i++) {
      const names = Array.from({ length: 6 }, () => hostileName(next));
      const markdown = renderMarkdown(estimateOf(steps(names)));
      expect(structure(markdown), JSON.stringify(names)).toEqual(expected);
    }
  });
});
