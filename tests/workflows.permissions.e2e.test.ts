// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deploySessionSeconds,
  driftEnvironment,
  previewEnvironment,
} from "../infra/bootstrap/github-trust.js";
import {
  files,
  job,
  jobs,
  type Permissions,
  root,
  run,
  stacks,
  steps,
  text,
  usesOf,
  workflow,
  writes,
  type Yaml,
} from "./workflows-support.js";

/** What the workflows may do: job permissions, AWS access by OIDC only, who reads the secrets, pinned actions. */

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
      "deploy.yml#gate": [],
      "deploy.yml#deploy-dev": ["id-token"],
      "deploy.yml#deploy-prod": ["id-token"],
      "deploy.yml#requeue": ["actions"],
      "pulumi-up.yml#up": ["id-token"],
      "drift.yml#stacks": [],
      "drift.yml#check": ["id-token"],
      "drift.yml#report": ["issues"],
      // The pull request is the GitHub App's doing; GITHUB_TOKEN only reads (rightsize-workflow.e2e.test.ts).
      "rightsize.yml#propose": ["id-token"],
    });
    for (const { file, id, job: j } of jobs) {
      const read = typeof j.permissions === "object" ? Object.entries(j.permissions as object) : [];
      for (const [scope, level] of read) {
        expect(
          ["contents", "id-token", "pull-requests", "issues", "actions"],
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

  it("assumes the preview role for previews, the drift role for drift, the deploy role for deploys", () => {
    const roles = jobs.flatMap(({ file, id, job: j }) =>
      usesOf(j, "aws-actions/configure-aws-credentials").map(
        (s) => `${file}#${id}:${s.with["role-to-assume"]}`,
      ),
    );
    expect(roles.sort()).toEqual([
      "drift.yml#check:${{ vars.DRIFT_ROLE_ARN }}",
      "preview.yml#preview:${{ vars.PREVIEW_ROLE_ARN }}",
      "pulumi-up.yml#up:${{ vars.DEPLOY_ROLE_ARN }}",
      "rightsize.yml#propose:${{ vars.DRIFT_ROLE_ARN }}",
    ]);
    for (const { file, id, job: j } of jobs) {
      if (usesOf(j, "aws-actions/configure-aws-credentials").length > 0) {
        expect(j.permissions["id-token"], `${file} ${id}`).toBe("write");
      }
    }
  });

  it("a deploy's session outlasts its job (item 9), within the deploy role's maximum", () => {
    const up = job("pulumi-up.yml", "up");
    const [credentials] = usesOf(up, "aws-actions/configure-aws-credentials");
    const seconds = Number(credentials?.with["role-duration-seconds"]);
    expect(seconds).toBe(deploySessionSeconds);
    expect(seconds).toBeGreaterThanOrEqual(up["timeout-minutes"] * 60);
    expect(up["timeout-minutes"] * 60).toBeGreaterThan(3600);
  });
});

describe("who can read the secrets (item 10)", () => {
  it("Pulumi credentials are read only in jobs that run in a GitHub environment; no caller maps one in", () => {
    for (const { file, id, job: j } of jobs) {
      const body = JSON.stringify(j);
      if (body.includes("secrets.PULUMI_")) expect(j.environment, `${file} ${id}`).toBeDefined();
    }
    // pulumi-up.yml takes no secret from its callers by name: its Pulumi secrets are its environment's.
    expect(workflow("pulumi-up.yml").on.workflow_call.secrets).toBeUndefined();
  });

  it("the deploy callers inherit (environment secrets of a called job resolve empty without it), and only they", () => {
    // GitHub's docs say the called job's environment is enough; actions/runner#4453 (2026) and #1490 report its
    // secrets empty unless the caller passes `secrets: inherit`. What it adds is the caller's repository and
    // organisation secrets: no Pulumi secret lives there (README step 4), and only main's deploy calls with it.
    const callers = jobs.filter(({ job: j }) => typeof j.uses === "string" && j.uses.startsWith("./"));
    expect(callers.map(({ file, id, job: j }) => [`${file}#${id}`, j.uses, j.secrets])).toEqual(
      stacks.map(({ name }) => [`deploy.yml#deploy-${name}`, "./.github/workflows/pulumi-up.yml", "inherit"]),
    );
    expect(text("deploy.yml")).toContain("actions/runner#4453");
    // Never from a pull request: Deploy runs on CI's workflow_run of main, or by hand.
    expect(Object.keys(workflow("deploy.yml").on).sort()).toEqual(["workflow_dispatch", "workflow_run"]);
    expect(workflow("deploy.yml").on.workflow_run.branches).toEqual(["main"]);
    // Previews call no reusable workflow, so nothing inherits into them: they read only the preview environment's.
    for (const { file, job: j } of jobs.filter(({ file }) => file === "preview.yml")) {
      expect(j.uses, file).toBeUndefined();
      expect(j.secrets, file).toBeUndefined();
    }
  });

  it("each job's environment is the one the bootstrap's role for it trusts", () => {
    expect(job("preview.yml", "preview").environment).toBe(previewEnvironment);
    expect(job("drift.yml", "check").environment).toBe(driftEnvironment);
    expect(job("pulumi-up.yml", "up").environment).toBe("${{ inputs.environment }}");
    const deployEnvironments = Object.entries(workflow("deploy.yml").jobs as Record<string, Yaml>)
      .filter(([id]) => id.startsWith("deploy-"))
      .map(([, j]) => j.with.environment);
    expect(deployEnvironments).toEqual(stacks.map((s) => s.environment));
    expect(new Set([previewEnvironment, driftEnvironment, ...deployEnvironments]).size).toBe(
      2 + deployEnvironments.length,
    );
  });

  it("a stack opts out of pull-request previews in .github/stacks.json: prod is not previewed", async () => {
    expect(stacks.find((s) => s.name === "prod")?.pullRequestPreview).toBe(false);
    const read = steps(job("preview.yml", "stacks")).find((s) => s.id === "read");
    const command = /\$\((jq .*\.github\/stacks\.json)\)/.exec(String(read?.run))?.[1] as string;
    const { stdout } = await run("bash", ["-c", command], { cwd: root });
    expect(JSON.parse(stdout)).toEqual(stacks.filter((s) => s.pullRequestPreview).map((s) => s.name));
    expect(JSON.parse(stdout)).toEqual(["dev"]);
    expect(job("preview.yml", "preview").if).toContain("needs.stacks.outputs.names != '[]'");
  });
});

describe("actions are pinned", () => {
  const actionFile = join(root, ".github", "actions", "pulumi-cost", "action.yml");
  const sources = [
    ...files.map((file) => ({ file, body: text(file) })),
    { file: "action.yml", body: readFileSync(actionFile, "utf8") },
  ];
  const usesLines = sources.flatMap(({ file, body }) =>
    body
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

  it("uses one SHA per action across all workflows and the pulumi-cost action", () => {
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
