import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { marked, type Token, type Tokens } from "marked";
import { afterAll, describe, expect, it } from "vitest";
import { fakeGitHub } from "./fake-github.js";

/**
 * The preview comment and the drift summary show what the preview's resources are called: a URN, a type, a
 * diff key are a pull request's output, so they must stay text. The comment is parsed as GitHub would render
 * it (marked, GFM) and its structure checked: one heading, the marker only at the very top, the changed
 * resources inside their code block.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "preview-comment-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const script = require(join(root, ".github", "scripts", "preview-comment.cjs")) as {
  marker: (stack: string) => string;
  buildBody: (args: Record<string, unknown>) => string;
  upsertComment: (args: Record<string, unknown>) => Promise<{ action: string; id: number }>;
  postPreviewComment: (args: Record<string, unknown>) => Promise<{ action: string; id: number }>;
};
const drift = require(join(root, ".github", "scripts", "drift-summary.cjs")) as {
  driftSummary: (previewFile: string, runUrl: string) => string;
};

const FORGED =
  "x\n```\n\n## Forged heading\n\n<!-- pulumi-preview:prod -->\n[click](https://evil.example) @octocat\n```";

const body = (preview: unknown) =>
  script.buildBody({
    stack: "dev",
    costMarkdown: "**Monthly cost will rise by $1.00, to $2.00**\n",
    preview,
    runUrl: "https://github.com/o/r/actions/runs/1",
    sha: "0123456789abcdef",
    policyOutcome: "passed",
  });

function walk(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const inner = token as { tokens?: Token[]; items?: Token[] };
    if (inner.tokens) walk(inner.tokens, visit);
    if (inner.items) walk(inner.items, visit);
  }
}

function structure(markdown: string) {
  const tokens = marked.lexer(markdown, { gfm: true });
  const headings: string[] = [];
  const html: string[] = [];
  const links: string[] = [];
  walk(tokens, (token) => {
    if (token.type === "heading") headings.push((token as Tokens.Heading).text);
    if (token.type === "html") html.push((token as Tokens.HTML).raw.trim());
    if (token.type === "link") links.push((token as Tokens.Link).href);
  });
  const code = tokens.filter((t) => t.type === "code").map((t) => (t as Tokens.Code).text);
  return { headings, html, links, code };
}

describe("a hostile name in the preview cannot change the comment's structure", () => {
  const steps = [
    { op: "create", urn: `urn:pulumi:dev::p::aws:ec2/instance:Instance::${FORGED}` },
    {
      op: "update",
      urn: "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web",
      detailedDiff: { [FORGED]: { kind: "update" } },
    },
  ];

  it("keeps a URN or a diff key with a newline and ``` inside the changed resources' code block", () => {
    const { headings, html, links, code } = structure(
      body({ steps, changeSummary: { create: 1, update: 1 } }),
    );
    expect(headings).toEqual(["Pulumi preview: `dev`"]);
    // the marker of this stack only, first; the <details> of the list; nothing forged
    expect(html.filter((h) => h.startsWith("<!--"))).toEqual([script.marker("dev")]);
    expect(links).toEqual(["https://github.com/o/r/actions/runs/1"]);
    expect(code).toHaveLength(1);
    expect(code[0]).toContain("## Forged heading");
    expect(code[0]).toContain("<!-- pulumi-preview:prod -->");
  });

  it("shows only numbers from the change summary", () => {
    const text = body({ steps: [], changeSummary: { create: "<img src=x onerror=alert(1)>", update: 2 } });
    expect(text).toContain("2 to update");
    expect(text).not.toContain("<img");
  });

  it("the drift summary keeps them in its code block too", () => {
    const file = join(scratch, "drift.json");
    writeFileSync(file, JSON.stringify({ steps, changeSummary: { update: 2 } }));
    const { headings, html, code } = structure(drift.driftSummary(file, "https://example.test/run"));
    expect(headings).toEqual([]);
    expect(html).toEqual([]);
    expect(code[0]).toContain("## Forged heading");
  });

  it("quotes a broken preview's error, whatever the file held", async () => {
    const { github, comments } = fakeGitHub();
    const previewFile = join(scratch, "broken.json");
    writeFileSync(previewFile, "x\n## Forged");
    await script.postPreviewComment({
      github,
      context: {
        payload: { pull_request: { head: { sha: "0123456789abcdef" } } },
        serverUrl: "https://github.com",
        repo: { owner: "o", repo: "r" },
        runId: 42,
        issue: { number: 7 },
      },
      core: { info: () => undefined, warning: () => undefined },
      stack: "dev",
      previewFile,
      costFile: join(scratch, "no-cost.md"),
      policyOutcome: "failed, see the log",
    });
    const { headings, html } = structure(comments[0]?.body ?? "");
    expect(headings).toEqual(["Pulumi preview: `dev`"]);
    expect(html.filter((h) => h.startsWith("<!--"))).toEqual([script.marker("dev")]);
  });
});

describe("the sticky comment is found by its marker at the very top", () => {
  it("never edits another stack's comment that quotes this stack's marker", async () => {
    const { github, comments } = fakeGitHub();
    // prod's comment, written by the bot, whose cost section shows a resource named like dev's marker
    comments.push({
      id: 1,
      body: `${script.marker("prod")}\n| \`${script.marker("dev")}\` |`,
      user: { type: "Bot" },
    });
    const result = await script.upsertComment({
      github,
      owner: "o",
      repo: "r",
      issueNumber: 7,
      markerText: script.marker("dev"),
      body: `${script.marker("dev")}\ndev`,
    });
    expect(result.action).toBe("created");
    expect(comments[0]?.body.startsWith(script.marker("prod"))).toBe(true);
  });
});
