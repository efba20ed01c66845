// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workflowsDir = join(root, ".github", "workflows");
const validator = join(root, "node_modules", ".bin", "action-validator");
const run = promisify(execFile);
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "workflows-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: workflow YAML is free-form
type Yaml = Record<string, any>;
type Permissions = Record<string, string> | string | undefined;

const files = readdirSync(workflowsDir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
const text = (file: string) => readFileSync(join(workflowsDir, file), "utf8");
const workflow = (file: string): Yaml => parse(text(file)) as Yaml;
const job = (file: string, id: string): Yaml => {
  const found = workflow(file).jobs?.[id];
  if (!found) throw new Error(`${file} has no job ${id}`);
  return found as Yaml;
};
// Each entry's name and environment (entries also carry settings of other tools, such as costGuardrail).
const stacks = (
  JSON.parse(readFileSync(join(root, ".github", "stacks.json"), "utf8")) as {
    stacks: { name: string; environment: string }[];
  }
).stacks.map(({ name, environment }) => ({ name, environment }));
const steps = (j: Yaml): Yaml[] => (j.steps ?? []) as Yaml[];
const usesOf = (j: Yaml, action: string) =>
  steps(j).filter((s) => String(s.uses ?? "").startsWith(`${action}@`));

/** Every job in every workflow, with the permission scopes it is granted write access to. */
const jobs = files.flatMap((file) =>
  Object.entries((workflow(file).jobs ?? {}) as Record<string, Yaml>).map(([id, j]) => ({
    file,
    id,
    job: j,
  })),
);
const writes = (permissions: Permissions): string[] =>
  typeof permissions === "object" && permissions
    ? Object.entries(permissions)
        .filter(([, level]) => level === "write")
        .map(([scope]) => scope)
        .sort()
    : [];

describe("workflow files are valid GitHub Actions workflows", () => {
  it("finds the four workflows and the reusable deploy step", () => {
    expect(files.sort()).toEqual(["ci.yml", "deploy.yml", "drift.yml", "preview.yml", "pulumi-up.yml"]);
  });

  it.each(files)("%s passes action-validator (the GitHub workflow schema)", async (file) => {
    const { stdout, stderr } = await run(validator, [join(workflowsDir, file)]);
    expect(stdout + stderr).toBe("");
  });

  it("action-validator rejects a broken workflow, so the checks above can fail", async () => {
    const broken = join(scratch, "broken.yml");
    writeFileSync(
      broken,
      "name: x\non: pull_request\njobs:\n  a:\n    runs_on: ubuntu-latest\n    steps: []\n",
    );
    await expect(run(validator, [broken])).rejects.toMatchObject({ code: 1 });
  });
});

describe("triggers", () => {
  it("CI runs on every pull request and on pushes to main", () => {
    const on = workflow("ci.yml").on;
    expect(Object.keys(on).sort()).toEqual(["pull_request", "push"]);
    expect(on.push.branches).toEqual(["main"]);
  });

  it("preview runs on pull_request only", () => {
    expect(Object.keys(workflow("preview.yml").on)).toEqual(["pull_request"]);
  });

  it("deploy runs on pushes to main only", () => {
    expect(workflow("deploy.yml").on).toEqual({ push: { branches: ["main"] } });
  });

  it("drift runs on a schedule and by hand", () => {
    const on = workflow("drift.yml").on;
    expect(Object.keys(on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
  });

  it("pulumi-up is only ever called by another workflow", () => {
    expect(Object.keys(workflow("pulumi-up.yml").on)).toEqual(["workflow_call"]);
  });

  it("nothing anywhere uses pull_request_target", () => {
    for (const file of files) expect(text(file), file).not.toContain("pull_request_target");
  });
});

describe("permissions", () => {
  it("every workflow starts from no permissions and every job says what it needs", () => {
    for (const file of files) expect(workflow(file).permissions, file).toEqual({});
    for (const { file, id, job: j } of jobs) expect(j.permissions, `${file} ${id}`).toBeDefined();
  });

  it("grants write scopes only to the jobs that need them", () => {
    const granted = Object.fromEntries(
      jobs.map(({ file, id, job: j }) => [`${file}#${id}`, writes(j.permissions as Permissions)]),
    );
    expect(granted).toEqual({
      "ci.yml#test": [],
      "preview.yml#stacks": [],
      "preview.yml#no-cloud-note": [],
      "preview.yml#preview": ["id-token", "pull-requests"],
      "deploy.yml#images": ["packages"],
      "deploy.yml#deploy-dev": ["id-token"],
      "deploy.yml#deploy-prod": ["id-token"],
      "pulumi-up.yml#up": ["id-token"],
      "drift.yml#stacks": [],
      "drift.yml#check": ["id-token"],
      "drift.yml#report": ["issues"],
    });
    for (const { file, id, job: j } of jobs) {
      const read = typeof j.permissions === "object" ? Object.entries(j.permissions as object) : [];
      for (const [scope, level] of read) {
        expect(
          ["contents", "id-token", "pull-requests", "packages", "issues"],
          `${file} ${id} ${scope}`,
        ).toContain(scope);
        expect(["read", "write"]).toContain(level);
      }
    }
  });
});

describe("AWS access is OIDC only", () => {
  const everything = () =>
    [...files.map(text), readFileSync(join(root, ".github", "dependabot.yml"), "utf8")].join("\n");

  it("stores no AWS keys anywhere", () => {
    for (const forbidden of [
      "aws-access-key-id",
      "aws-secret-access-key",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID",
    ]) {
      expect(everything()).not.toContain(forbidden);
    }
  });

  it("assumes the preview role for previews and drift, the deploy role for deploys", () => {
    const roles = jobs.flatMap(({ file, id, job: j }) =>
      usesOf(j, "aws-actions/configure-aws-credentials").map(
        (s) => `${file}#${id}:${s.with["role-to-assume"]}`,
      ),
    );
    expect(roles.sort()).toEqual([
      "drift.yml#check:${{ vars.PREVIEW_ROLE_ARN }}",
      "preview.yml#preview:${{ vars.PREVIEW_ROLE_ARN }}",
      "pulumi-up.yml#up:${{ vars.DEPLOY_ROLE_ARN }}",
    ]);
    for (const { file, id, job: j } of jobs) {
      if (usesOf(j, "aws-actions/configure-aws-credentials").length > 0) {
        expect(j.permissions["id-token"], `${file} ${id}`).toBe("write");
      }
    }
  });
});

describe("actions are pinned", () => {
  const usesLines = files.flatMap((file) =>
    text(file)
      .split("\n")
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
      .map((line) => ({ file, line: line.trim() })),
  );

  it("pins every third-party action to a full commit SHA with its version in a comment", () => {
    const remote = usesLines.filter(({ line }) => !/uses:\s+\.\//.test(line));
    expect(remote.length).toBeGreaterThan(10);
    for (const { file, line } of remote) {
      expect(line, file).toMatch(/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it("uses one SHA per action across all workflows", () => {
    const shaByAction = new Map<string, Set<string>>();
    for (const { line } of usesLines) {
      const match = /uses:\s+([^@\s]+)@([0-9a-f]{40})/.exec(line);
      if (!match?.[1] || !match[2]) continue;
      const seen = shaByAction.get(match[1]) ?? new Set<string>();
      seen.add(match[2]);
      shaByAction.set(match[1], seen);
    }
    for (const [action, shas] of shaByAction) expect(shas.size, action).toBe(1);
  });
});

describe("one list of stacks", () => {
  it("lists dev then prod, prod in the production environment", () => {
    expect(stacks).toEqual([
      { name: "dev", environment: "dev" },
      { name: "prod", environment: "production" },
    ]);
  });

  it.each(["preview.yml", "drift.yml"])("%s builds its matrix from .github/stacks.json", (file) => {
    const list = job(file, "stacks");
    expect(steps(list).some((s) => String(s.run ?? "").includes(".github/stacks.json"))).toBe(true);
    const matrixJob = file === "preview.yml" ? job(file, "preview") : job(file, "check");
    expect(matrixJob.strategy.matrix.stack).toBe("${{ fromJSON(needs.stacks.outputs.names) }}");
    expect(matrixJob.strategy["fail-fast"]).toBe(false);
  });

  it("deploys every stack in the list's order, each after the one before", () => {
    const deploy = workflow("deploy.yml").jobs as Record<string, Yaml>;
    const deployJobs = Object.entries(deploy).filter(([id]) => id.startsWith("deploy-"));
    expect(deployJobs.map(([, j]) => ({ name: j.with.stack, environment: j.with.environment }))).toEqual(
      stacks,
    );
    let previous = "images";
    for (const [id, j] of deployJobs) {
      expect(j.needs, id).toBe(previous);
      expect(j.uses).toBe("./.github/workflows/pulumi-up.yml");
      previous = id;
    }
  });
});

describe("concurrency", () => {
  it("cancels a superseded preview of the same pull request and stack", () => {
    expect(job("preview.yml", "preview").concurrency).toEqual({
      group: "preview-${{ github.event.pull_request.number }}-${{ matrix.stack }}",
      "cancel-in-progress": true,
    });
  });

  it("queues deploys and drift checks of a stack in one group and never cancels one in flight", () => {
    // drift.yml's group is per matrix stack; this is what it expands to for each stack.
    const drift = job("drift.yml", "check").concurrency as { group: string; "cancel-in-progress": boolean };
    expect(drift["cancel-in-progress"]).toBe(false);
    for (const { name } of stacks) {
      const deploy = job("deploy.yml", `deploy-${name}`).concurrency;
      expect(deploy).toEqual({ group: `pulumi-${name}`, "cancel-in-progress": false });
      expect(drift.group.replace("${{ matrix.stack }}", name)).toBe(deploy.group);
    }
  });
});

describe("preview", () => {
  const preview = job("preview.yml", "preview");

  it("runs pulumi preview with the policy pack and prices it with npm run cost", () => {
    const [pulumi] = usesOf(preview, "pulumi/actions");
    expect(pulumi?.with).toMatchObject({ command: "preview", policyPacks: "infra/policy" });
    const script = steps(preview)
      .map((s) => String(s.run ?? ""))
      .join("\n");
    expect(script).toContain("pulumi preview");
    expect(script).toContain("--json");
    expect(script).toMatch(/npm run --silent cost -- --preview/);
  });

  it("chooses Pulumi Cloud or a self-managed backend from repository settings", () => {
    expect(preview.env.PULUMI_ACCESS_TOKEN).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
    expect(usesOf(preview, "pulumi/actions")[0]?.with["cloud-url"]).toBe("${{ vars.PULUMI_BACKEND_URL }}");
    expect(preview.env.PULUMI_CONFIG_PASSPHRASE).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
  });

  it("still comments when the preview or the cost diff fails", () => {
    const all = steps(preview);
    const cost = all.find((s) => String(s.run ?? "").includes("npm run --silent cost"));
    expect(cost?.["continue-on-error"]).toBe(true);
    expect(cost?.if).toBe("${{ !cancelled() }}");
    const commentIndex = all.findIndex((s) => String(s.uses ?? "").startsWith("actions/github-script"));
    expect(commentIndex).toBeGreaterThan(all.indexOf(cost as Yaml));
    expect(all[commentIndex]?.if).toBe("${{ !cancelled() }}");
  });

  it("comments through the marker script instead of adding a comment per run", () => {
    const [comment] = usesOf(preview, "actions/github-script");
    expect(comment?.with.script).toContain(".github/scripts/preview-comment.cjs");
    expect(usesOf(preview, "pulumi/actions")[0]?.with["comment-on-pr"]).toBe(false);
  });

  it("never runs with secrets for forks or Dependabot, and tells them why instead", () => {
    expect(preview.if).toContain("!github.event.pull_request.head.repo.fork");
    // The pull request's author, not github.actor: a maintainer re-running a Dependabot PR's workflow
    // is the actor, and the run still has no secrets to preview with.
    expect(preview.if).toContain("github.event.pull_request.user.login != 'dependabot[bot]'");
    expect(text("preview.yml")).not.toContain("github.actor");
    const note = job("preview.yml", "no-cloud-note");
    expect(note.if).toContain("github.event.pull_request.head.repo.fork");
    expect(note.if).toContain("github.event.pull_request.user.login == 'dependabot[bot]'");
    expect(note.permissions).toEqual({});
    expect(steps(note).some((s) => s.uses)).toBe(false); // no checkout: no pull-request code runs
    expect(JSON.stringify(note)).not.toContain("secrets.");
  });
});

describe("deploy", () => {
  it("builds and pushes every service image before the first pulumi up", () => {
    const images = job("deploy.yml", "images");
    expect(images.strategy.matrix.service.sort()).toEqual(["cost-exporter", "storefront", "traffic"]);
    const [build] = usesOf(images, "docker/build-push-action");
    expect(build?.with).toMatchObject({
      push: true,
      context: ".",
      file: "services/${{ matrix.service }}/Dockerfile",
    });
    expect(build?.with.tags).toContain(":sha-${{ github.sha }}");
    expect(usesOf(images, "docker/login-action")[0]?.with.registry).toBe("ghcr.io");
  });

  it("runs pulumi up in the stack's environment with the images of this commit", () => {
    const up = job("pulumi-up.yml", "up");
    expect(up.environment).toBe("${{ inputs.environment }}");
    const [pulumi] = usesOf(up, "pulumi/actions");
    expect(pulumi?.with.command).toBe("up");
    expect(pulumi?.with.policyPacks).toBe("infra/policy");
    const configMap = parse(String(pulumi?.with["config-map"]).replace(/\$\{\{[^}]+\}\}/g, "X")) as Yaml;
    expect(Object.keys(configMap).sort()).toEqual([
      "platform:costExporterImage",
      "platform:storefrontImage",
      "platform:trafficImage",
    ]);
    expect(job("deploy.yml", "deploy-prod").with.environment).toBe("production");
  });
});

describe("drift", () => {
  it("refreshes and previews each stack expecting no changes, then reports in one job", () => {
    const check = job("drift.yml", "check");
    const [pulumi] = usesOf(check, "pulumi/actions");
    expect(pulumi?.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true });
    expect(pulumi?.["continue-on-error"]).toBe(true);
    const report = job("drift.yml", "report");
    expect(report.needs).toBe("check");
    expect(usesOf(report, "actions/github-script")[0]?.with.script).toContain(
      ".github/scripts/drift-issue.cjs",
    );
  });
});

describe("dependabot", () => {
  it("updates actions and npm weekly in groups", () => {
    const config = parse(readFileSync(join(root, ".github", "dependabot.yml"), "utf8")) as Yaml;
    expect(config.version).toBe(2);
    const byEcosystem: Record<string, Yaml> = Object.fromEntries(
      (config.updates as Yaml[]).map((u) => [u["package-ecosystem"], u]),
    );
    expect(Object.keys(byEcosystem).sort()).toEqual(["github-actions", "npm"]);
    for (const update of Object.values(byEcosystem)) {
      expect(update.schedule.interval).toBe("weekly");
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0);
    }
  });
});

/** Just enough of Octokit for the comment and issue scripts: state in memory, calls recorded. */
function fakeGitHub() {
  const comments: { id: number; body: string; user: { type: string } }[] = [];
  const issues: { number: number; title: string; body: string; state: string; labels: string[] }[] = [];
  const calls: string[] = [];
  const rest = {
    issues: {
      listComments: async () => ({ data: comments }),
      createComment: async ({ body }: { body: string }) => {
        calls.push("createComment");
        const comment = { id: comments.length + 100, body, user: { type: "Bot" } };
        comments.push(comment);
        return { data: comment };
      },
      updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
        calls.push("updateComment");
        const comment = comments.find((c) => c.id === comment_id);
        if (!comment) throw new Error("no such comment");
        comment.body = body;
        return { data: comment };
      },
      listForRepo: async ({ labels }: { labels: string }) => ({
        data: issues.filter((i) => i.state === "open" && i.labels.includes(labels)),
      }),
      createLabel: async () => {
        calls.push("createLabel");
        return { data: {} };
      },
      create: async ({ title, body, labels }: { title: string; body: string; labels: string[] }) => {
        calls.push("create");
        const issue = { number: issues.length + 1, title, body, labels, state: "open" };
        issues.push(issue);
        return { data: issue };
      },
      update: async ({
        issue_number,
        body,
        state,
      }: {
        issue_number: number;
        body?: string;
        state?: string;
      }) => {
        calls.push("update");
        const issue = issues.find((i) => i.number === issue_number);
        if (!issue) throw new Error("no such issue");
        if (body !== undefined) issue.body = body;
        if (state !== undefined) issue.state = state;
        return { data: issue };
      },
    },
  };
  const paginate = async (method: (args: never) => Promise<{ data: unknown[] }>, args: unknown) =>
    (await method(args as never)).data;
  return { github: { rest, paginate }, comments, issues, calls };
}

describe("preview comment script", () => {
  const script = require(join(root, ".github", "scripts", "preview-comment.cjs")) as {
    COMMENT_LIMIT: number;
    marker: (stack: string) => string;
    buildBody: (args: Record<string, unknown>) => string;
    upsertComment: (args: Record<string, unknown>) => Promise<{ action: string; id: number }>;
  };
  const post = (github: unknown, stack: string, body: string) =>
    script.upsertComment({
      github,
      owner: "o",
      repo: "r",
      issueNumber: 7,
      markerText: script.marker(stack),
      body,
    });

  it("creates one comment per stack, then edits it on later runs", async () => {
    const { github, comments, calls } = fakeGitHub();
    comments.push({ id: 1, body: `a human quoting ${script.marker("dev")}`, user: { type: "User" } });
    const first = await post(github, "dev", `${script.marker("dev")}\nfirst`);
    const prod = await post(github, "prod", `${script.marker("prod")}\nprod`);
    const second = await post(github, "dev", `${script.marker("dev")}\nsecond`);
    expect(first.action).toBe("created");
    expect(prod.action).toBe("created");
    expect(second).toEqual({ action: "updated", id: first.id });
    expect(calls).toEqual(["createComment", "createComment", "updateComment"]);
    expect(comments.map((c) => c.body)).toEqual([
      `a human quoting ${script.marker("dev")}`,
      `${script.marker("dev")}\nsecond`,
      `${script.marker("prod")}\nprod`,
    ]);
  });

  it("keeps the body under GitHub's limit however many resources change", () => {
    const steps = Array.from({ length: 20_000 }, (_, i) => ({
      op: "create",
      urn: `urn:pulumi:dev::p::kubernetes:core/v1:ConfigMap::dashboard-with-a-long-name-${i}`,
    }));
    const body = script.buildBody({
      stack: "dev",
      costMarkdown: "**Monthly cost will rise by $1.00, to $2.00**\n",
      preview: { steps, changeSummary: { create: 20_000 } },
      runUrl: "https://github.com/o/r/actions/runs/1",
      sha: "0123456789abcdef",
      policyOutcome: "passed",
    });
    expect(body.length).toBeLessThanOrEqual(script.COMMENT_LIMIT);
    expect(body.startsWith(script.marker("dev"))).toBe(true);
    expect(body).toContain("20000 to create");
    expect(body).toContain("**Monthly cost will rise by $1.00, to $2.00**");
    expect(body).toMatch(/… \d+ more/);
  });
});

describe("preview comment for a failed preview", () => {
  const script = require(join(root, ".github", "scripts", "preview-comment.cjs")) as {
    marker: (stack: string) => string;
    postPreviewComment: (args: Record<string, unknown>) => Promise<{ action: string; id: number }>;
  };
  const context = {
    payload: { pull_request: { head: { sha: "0123456789abcdef" } } },
    serverUrl: "https://github.com",
    repo: { owner: "o", repo: "r" },
    runId: 42,
    issue: { number: 7 },
  };

  it.each([
    ["empty", "", "the preview output is empty"],
    ["truncated", '{"steps": [{"op": "create"', "the preview output is not JSON"],
    ["diagnostics only", '{"diagnostics": []}', "the preview output has no steps"],
    ["missing", undefined, "no preview output was written"],
  ])("posts the comment when the preview JSON is %s", async (name, content, reason) => {
    const { github, comments } = fakeGitHub();
    const previewFile = join(scratch, `failed-preview-${name.replace(/\W/g, "-")}.json`);
    if (content !== undefined) writeFileSync(previewFile, content);
    const warnings: string[] = [];
    const result = await script.postPreviewComment({
      github,
      context,
      core: { info: () => undefined, warning: (m: string) => warnings.push(m) },
      stack: "dev",
      previewFile,
      costFile: join(scratch, "no-cost.md"),
      policyOutcome: "failed, see the log",
    });
    expect(result.action).toBe("created");
    const body = comments[0]?.body ?? "";
    expect(body.startsWith(script.marker("dev"))).toBe(true);
    expect(body).toContain("**preview failed**");
    expect(body).toContain("policy pack: failed, see the log");
    expect(body).toContain(reason);
    expect(body).toContain("https://github.com/o/r/actions/runs/42");
    expect(body).not.toContain("no changes");
    expect(warnings.join("\n")).toContain(reason);
  });

  it("a good preview still gets its change summary and cost diff", async () => {
    const { github, comments } = fakeGitHub();
    const previewFile = join(scratch, "good-preview.json");
    const costFile = join(scratch, "good-cost.md");
    writeFileSync(
      previewFile,
      JSON.stringify({
        steps: [{ op: "create", urn: "urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::nodes" }],
        changeSummary: { create: 1 },
      }),
    );
    writeFileSync(costFile, "**Monthly cost will rise by $1.00, to $2.00**\n");
    await script.postPreviewComment({
      github,
      context,
      stack: "dev",
      previewFile,
      costFile,
      policyOutcome: "passed",
    });
    const body = comments[0]?.body ?? "";
    expect(body).toContain("1 to create");
    expect(body).toContain("**Monthly cost will rise by $1.00, to $2.00**");
    expect(body).not.toContain("preview failed");
  });
});

describe("drift issue script", () => {
  const script = require(join(root, ".github", "scripts", "drift-issue.cjs")) as {
    DRIFT_TITLE: string;
    reportDrift: (args: Record<string, unknown>) => Promise<{ action: string; number?: number }>;
  };
  const report = (github: unknown, drifted: { stack: string; summary: string }[]) =>
    script.reportDrift({ github, owner: "o", repo: "r", drifted, runUrl: "https://example.test/run" });

  it("opens one issue, updates it on the next drift, and closes it when clean", async () => {
    const { github, issues, calls } = fakeGitHub();
    expect(await report(github, [])).toEqual({ action: "none" });
    expect(await report(github, [{ stack: "dev", summary: "1 to update" }])).toEqual({
      action: "created",
      number: 1,
    });
    expect(await report(github, [{ stack: "prod", summary: "2 to delete" }])).toEqual({
      action: "updated",
      number: 1,
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.title).toBe(script.DRIFT_TITLE);
    expect(issues[0]?.body).toContain("Stack `prod`");
    expect(issues[0]?.body).not.toContain("Stack `dev`");
    expect(await report(github, [])).toEqual({ action: "closed", number: 1 });
    expect(issues[0]?.state).toBe("closed");
    expect(calls).toEqual(["createLabel", "create", "update", "createComment", "update"]);
  });
});
