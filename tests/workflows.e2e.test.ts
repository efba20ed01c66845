// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogue, type ServiceEntry } from "../catalogue/services.js";
import {
  deploySessionSeconds,
  driftEnvironment,
  previewEnvironment,
} from "../infra/bootstrap/github-trust.js";
import { imageList } from "../infra/images-cli.js";

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
const stacks = (
  JSON.parse(readFileSync(join(root, ".github", "stacks.json"), "utf8")) as {
    stacks: { name: string; environment: string; pullRequestPreview: boolean }[];
  }
).stacks;
const steps = (j: Yaml): Yaml[] => (j.steps ?? []) as Yaml[];
/** A step's shell script. */
const runOf = (s: Yaml) => String(s.run ?? "");
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

  it("preview runs on pull_request only, again when the cost-approved label is added or removed", () => {
    const on = workflow("preview.yml").on;
    expect(Object.keys(on)).toEqual(["pull_request"]);
    expect(on.pull_request.types).toEqual(["opened", "synchronize", "reopened", "labeled", "unlabeled"]);
    // Another label re-runs nothing.
    for (const id of ["stacks", "no-cloud-note"])
      expect(job("preview.yml", id).if).toContain("github.event.label.name == 'cost-approved'");
  });

  it("deploy runs when CI finished on main (item 11), or by hand", () => {
    expect(workflow("deploy.yml").on).toEqual({
      workflow_run: { workflows: ["CI"], types: ["completed"], branches: ["main"] },
      workflow_dispatch: null,
    });
    expect(workflow("ci.yml").name).toBe("CI");
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
      "deploy.yml#gate": [],
      "deploy.yml#deploy-dev": ["id-token"],
      "deploy.yml#deploy-prod": ["id-token"],
      "deploy.yml#requeue": ["actions"],
      "pulumi-up.yml#up": ["id-token"],
      "drift.yml#stacks": [],
      "drift.yml#check": ["id-token"],
      "drift.yml#report": ["issues"],
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
  it("Pulumi credentials are read only in jobs that run in a GitHub environment, never passed from a caller", () => {
    for (const { file, id, job: j } of jobs) {
      const body = JSON.stringify(j);
      if (body.includes("secrets.PULUMI_")) expect(j.environment, `${file} ${id}`).toBeDefined();
    }
    for (const id of ["deploy-dev", "deploy-prod"]) expect(job("deploy.yml", id).secrets, id).toBeUndefined();
    expect(workflow("pulumi-up.yml").on.workflow_call.secrets).toBeUndefined();
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
    expect(stacks.map(({ name, environment }) => ({ name, environment }))).toEqual([
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

  it("deploys every stack in the list's order, each after the one before, main's head from the gate", () => {
    const deploy = workflow("deploy.yml").jobs as Record<string, Yaml>;
    const deployJobs = Object.entries(deploy).filter(([id]) => id.startsWith("deploy-"));
    expect(deployJobs.map(([, j]) => ({ name: j.with.stack, environment: j.with.environment }))).toEqual(
      stacks.map(({ name, environment }) => ({ name, environment })),
    );
    let previous: string | undefined;
    for (const [id, j] of deployJobs) {
      expect([j.needs].flat(), id).toEqual(previous ? ["gate", previous] : ["gate"]);
      expect(j.uses).toBe("./.github/workflows/pulumi-up.yml");
      expect(j.with.sha).toBe("${{ needs.gate.outputs.sha }}");
      previous = id;
    }
  });
});

describe("deploys only what passed the tests (item 11)", () => {
  it("the gate lets through a successful CI run of a push to main, or a dispatch, and picks main's head", () => {
    const gate = job("deploy.yml", "gate");
    expect(gate.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(gate.if).toContain("github.event.workflow_run.event == 'push'");
    expect(usesOf(gate, "actions/github-script")[0]?.with.script).toContain("commitToDeploy");
    expect(job("deploy.yml", "deploy-dev").if).toBe("needs.gate.outputs.sha != ''");
    const [checkout] = usesOf(job("pulumi-up.yml", "up"), "actions/checkout");
    expect(checkout?.with.ref).toBe("${{ inputs.sha }}");
  });

  it("commitToDeploy: main's head when CI passed for it, nothing while it has not", async () => {
    const actions = fakeActions();
    actions.head = "c2";
    actions.runs.push({
      id: 1,
      workflow: "ci.yml",
      head_sha: "c1",
      conclusion: "success",
      status: "completed",
    });
    expect(await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" })).toMatchObject({
      sha: undefined,
    });
    actions.runs.push({
      id: 2,
      workflow: "ci.yml",
      head_sha: "c2",
      conclusion: "failure",
      status: "completed",
    });
    expect(
      (await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" })).sha,
    ).toBeUndefined();
    actions.runs.push({
      id: 3,
      workflow: "ci.yml",
      head_sha: "c2",
      conclusion: "success",
      status: "completed",
    });
    expect(await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" })).toEqual({
      sha: "c2",
    });
  });
});

describe("concurrency: a merged change is never silently skipped (item 8)", () => {
  it("cancels a superseded preview of the same pull request and stack", () => {
    expect(job("preview.yml", "preview").concurrency).toEqual({
      group: "preview-${{ github.event.pull_request.number }}-${{ matrix.stack }}",
      "cancel-in-progress": true,
    });
  });

  it("deploys and drift checks of a stack share one group and never cancel one in flight", () => {
    const drift = job("drift.yml", "check").concurrency as { group: string; "cancel-in-progress": boolean };
    expect(drift["cancel-in-progress"]).toBe(false);
    for (const { name } of stacks) {
      const deploy = job("deploy.yml", `deploy-${name}`).concurrency;
      expect(deploy).toEqual({ group: `pulumi-${name}`, "cancel-in-progress": false });
      expect(drift.group.replace("${{ matrix.stack }}", name)).toBe(deploy.group);
    }
  });

  it("drift looks for a deploy in flight outside the group, and checks nothing while one is", () => {
    const gate = job("drift.yml", "stacks");
    expect(gate.concurrency).toBeUndefined();
    expect(usesOf(gate, "actions/github-script")[0]?.with.script).toContain("deployInFlight");
    expect(job("drift.yml", "check").needs).toBe("stacks");
    expect(job("drift.yml", "check").if).toContain("needs.stacks.outputs.deploying == 'false'");
  });

  it("a deploy cancelled while pending re-queues one, unless a newer deploy run exists", () => {
    const requeue = job("deploy.yml", "requeue");
    expect(requeue.needs).toEqual(["deploy-dev", "deploy-prod"]);
    expect(requeue.if).toContain("always()");
    expect(requeue.if).toContain("needs.deploy-dev.result == 'cancelled'");
    expect(requeue.if).toContain("needs.deploy-prod.result == 'cancelled'");
    const script = String(usesOf(requeue, "actions/github-script")[0]?.with.script);
    expect(script).toContain("shouldRequeue");
    expect(script).toContain("createWorkflowDispatch");
  });

  /**
   * GitHub's rule, modelled: per concurrency group one running and one pending run; a newly queued run
   * replaces (cancels) the pending one. Merges arrive while a deploy runs; a drift check arrives; the
   * question is whether main's head ends up deployed.
   */
  async function scenario(config: { driftGate: boolean; requeue: boolean; driftBeforeSecondMerge: boolean }) {
    const actions = fakeActions();
    const group: { running?: Run; pending?: Run } = {};
    const deployed: string[] = [];
    let clock = 0;
    const enqueue = async (entry: Run) => {
      if (!group.running) {
        group.running = entry;
        entry.status = "in_progress";
        return;
      }
      const replaced = group.pending;
      group.pending = entry;
      if (replaced) {
        replaced.status = "completed";
        replaced.conclusion = "cancelled";
        if (replaced.workflow === "deploy.yml" && config.requeue) {
          const { requeue } = await queue.shouldRequeue({
            github: actions.github,
            owner: "o",
            repo: "r",
            runId: replaced.id,
          });
          if (requeue) await startDeploy();
        }
      }
    };
    const startDeploy = async () => {
      const { sha } = await queue.commitToDeploy({ github: actions.github, owner: "o", repo: "r" });
      const entry: Run = {
        id: ++clock,
        workflow: "deploy.yml",
        status: "queued",
        created_at: new Date(clock * 1000).toISOString(),
        head_sha: sha,
      };
      actions.runs.push(entry);
      await enqueue(entry);
    };
    const merge = async (sha: string) => {
      actions.head = sha;
      actions.runs.push({
        id: ++clock,
        workflow: "ci.yml",
        head_sha: sha,
        conclusion: "success",
        status: "completed",
      });
      await startDeploy();
    };
    const drift = async () => {
      if (
        config.driftGate &&
        (await queue.deployInFlight({ github: actions.github, owner: "o", repo: "r" })).length > 0
      )
        return;
      const entry: Run = {
        id: ++clock,
        workflow: "drift.yml",
        status: "queued",
        created_at: new Date(clock * 1000).toISOString(),
      };
      await enqueue(entry);
    };
    const finishRunning = () => {
      const done = group.running as Run;
      done.status = "completed";
      done.conclusion = "success";
      if (done.workflow === "deploy.yml") deployed.push(done.head_sha as string);
      group.running = group.pending;
      if (group.running) group.running.status = "in_progress";
      group.pending = undefined;
    };
    await merge("c1"); // deploying c1
    if (config.driftBeforeSecondMerge) {
      // The race the gate cannot see: the drift check passed its gate, then c2's deploy queued first.
      const gatePassed = true;
      await merge("c2"); // c2 pending
      if (gatePassed)
        await enqueue({
          id: ++clock,
          workflow: "drift.yml",
          status: "queued",
          created_at: new Date(clock * 1000).toISOString(),
        });
    } else {
      await merge("c2"); // c2 pending behind c1
      await drift(); // the morning check arrives
    }
    while (group.running) finishRunning();
    return { deployed, head: actions.head };
  }

  it("as configured, main's head is deployed however the drift check arrives", async () => {
    for (const driftBeforeSecondMerge of [false, true]) {
      const { deployed, head } = await scenario({ driftGate: true, requeue: true, driftBeforeSecondMerge });
      expect(deployed.at(-1), `race: ${driftBeforeSecondMerge}`).toBe(head);
    }
  });

  it("without the gate and the re-queue (the old configuration), the drift check silently drops the merge", async () => {
    const { deployed, head } = await scenario({
      driftGate: false,
      requeue: false,
      driftBeforeSecondMerge: false,
    });
    expect(deployed).toEqual(["c1"]);
    expect(head).toBe("c2");
  });

  it("shouldRequeue: no re-queue when a newer deploy run exists, so two cancelled runs cannot ping-pong", async () => {
    const actions = fakeActions();
    actions.runs.push(
      {
        id: 10,
        workflow: "deploy.yml",
        status: "completed",
        conclusion: "cancelled",
        created_at: "2026-12-01T10:00:00Z",
      },
      { id: 11, workflow: "deploy.yml", status: "queued", created_at: "2026-12-01T10:01:00Z" },
    );
    expect(await queue.shouldRequeue({ github: actions.github, owner: "o", repo: "r", runId: 10 })).toEqual({
      requeue: false,
      newer: [11],
    });
    expect(
      (await queue.shouldRequeue({ github: actions.github, owner: "o", repo: "r", runId: 11 })).requeue,
    ).toBe(true);
  });
});

describe("preview (items 7 and 12, the cost guardrail)", () => {
  const preview = job("preview.yml", "preview");

  it("runs the program once: one pulumi preview, as JSON, with the policy pack; the comment and the cost read that file", () => {
    const invocations = steps(preview).filter((s) => /\bpulumi (preview|up) --/.test(runOf(s)));
    expect(invocations).toHaveLength(1);
    expect(runOf(invocations[0] as Yaml)).toMatch(
      /pulumi preview .*--policy-pack infra\/policy .*--json .*> "\$RUNNER_TEMP\/preview\.json"/s,
    );
    // pulumi/actions only installs the CLI here.
    for (const step of usesOf(preview, "pulumi/actions")) expect(step.with?.command).toBeUndefined();
    const cost = steps(preview).find((s) => s.id === "cost") as Yaml;
    expect(runOf(cost)).toContain('--preview "$RUNNER_TEMP/preview.json"');
    const [, comment] = usesOf(preview, "actions/github-script");
    expect(comment?.with.script).toContain("${process.env.RUNNER_TEMP}/preview.json");
  });

  it("chooses Pulumi Cloud or a self-managed backend from its environment's settings", () => {
    expect(preview.env.PULUMI_ACCESS_TOKEN).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
    expect(preview.env.PULUMI_BACKEND_URL).toBe("${{ vars.PULUMI_BACKEND_URL }}");
    expect(preview.env.PULUMI_CONFIG_PASSPHRASE).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
  });

  it("a fork of the template previews its own pull requests: the head repository is compared, not head.repo.fork", () => {
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(text("preview.yml")).not.toContain("head.repo.fork");
    const note = job("preview.yml", "no-cloud-note");
    expect(note.if).toContain("github.event.pull_request.head.repo.full_name != github.repository");
  });

  it("never runs with secrets for other repositories or Dependabot, and tells them why instead", () => {
    expect(preview.if).toContain("github.event.pull_request.user.login != 'dependabot[bot]'");
    expect(text("preview.yml")).not.toContain("github.actor");
    const note = job("preview.yml", "no-cloud-note");
    expect(note.if).toContain("github.event.pull_request.user.login == 'dependabot[bot]'");
    expect(note.permissions).toEqual({});
    expect(steps(note).some((s) => s.uses)).toBe(false);
    expect(JSON.stringify(note)).not.toContain("secrets.");
  });

  it("passes the approver to npm run cost, posts the comment, and only then fails on exit 3", () => {
    const all = steps(preview);
    const approval = all.findIndex((s) => s.id === "approval");
    const cost = all.findIndex((s) => s.id === "cost");
    const comment = all.findIndex((s) => String(s.with?.script ?? "").includes("preview-comment.cjs"));
    const fail = all.length - 1;
    expect(String(all[approval]?.with.script)).toContain(".github/scripts/cost-approval.cjs");
    expect(all[cost]?.env.APPROVER).toBe("${{ steps.approval.outputs.login }}");
    expect(runOf(all[cost] as Yaml)).toContain('${APPROVER:+--approved-by "$APPROVER"}');
    expect(runOf(all[cost] as Yaml)).toMatch(/set \+e[\s\S]*npm run --silent cost[\s\S]*exit-code=\$\?/);
    expect(approval).toBeLessThan(cost);
    expect(cost).toBeLessThan(comment);
    expect(comment).toBeLessThan(fail);
    for (const index of [approval, cost, comment, fail]) expect(all[index]?.if).toBe("${{ !cancelled() }}");
    expect(all[fail]?.env.COST_EXIT).toBe("${{ steps.cost.outputs.exit-code }}");
    expect(runOf(all[fail] as Yaml)).toContain('[ "$COST_EXIT" = "3" ]');
  });

  it("the cost step's shell records npm run cost's exit code without stopping, so the comment still posts", async () => {
    const cost = steps(preview).find((s) => s.id === "cost") as Yaml;
    const bin = join(scratch, "fake-npm");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "npm"), '#!/usr/bin/env bash\necho "args: $*"\nexit 3\n');
    chmodSync(join(bin, "npm"), 0o755);
    const output = join(scratch, "github-output");
    writeFileSync(output, "");
    for (const approver of ["", "octo-maintainer"]) {
      await run("bash", ["-e", "-c", runOf(cost)], {
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          RUNNER_TEMP: scratch,
          GITHUB_OUTPUT: output,
          STACK_NAME: "dev",
          APPROVER: approver,
        },
      });
      const printed = readFileSync(join(scratch, "cost.md"), "utf8");
      expect(printed).toContain(`--preview ${join(scratch, "preview.json")}`);
      if (approver) expect(printed).toContain(`--approved-by ${approver}`);
      else expect(printed).not.toContain("--approved-by");
    }
    expect(readFileSync(output, "utf8").trim().split("\n")).toEqual(["exit-code=3", "exit-code=3"]);
  });
});

describe("cost approval script", () => {
  const script = require(join(root, ".github", "scripts", "cost-approval.cjs")) as {
    findCostApprover: (args: Record<string, unknown>) => Promise<{ login?: string; reason?: string }>;
  };
  const approver = (
    labels: string[],
    events: { event: string; label: string; login: string }[],
    roles: Record<string, string>,
  ) =>
    script.findCostApprover({
      owner: "o",
      repo: "r",
      issueNumber: 7,
      github: {
        paginate: async (method: (a: unknown) => Promise<{ data: unknown[] }>, args: unknown) =>
          (await method(args)).data,
        rest: {
          issues: {
            listLabelsOnIssue: async () => ({ data: labels.map((name) => ({ name })) }),
            listEvents: async () => ({
              data: events.map((e) => ({
                event: e.event,
                label: { name: e.label },
                actor: { login: e.login },
              })),
            }),
          },
          repos: {
            getCollaboratorPermissionLevel: async ({ username }: { username: string }) => ({
              data: {
                permission: roles[username] === "maintain" ? "write" : roles[username],
                role_name: roles[username],
              },
            }),
          },
        },
      },
    });
  const roles = { alice: "admin", maya: "maintain", walt: "write" };

  it("the latest adder of cost-approved, when a maintainer or admin", async () => {
    expect(
      await approver(["cost-approved"], [{ event: "labeled", label: "cost-approved", login: "maya" }], roles),
    ).toEqual({ login: "maya" });
    expect(
      await approver(
        ["cost-approved"],
        [
          { event: "labeled", label: "cost-approved", login: "walt" },
          { event: "unlabeled", label: "cost-approved", login: "alice" },
          { event: "labeled", label: "cost-approved", login: "alice" },
        ],
        roles,
      ),
    ).toEqual({ login: "alice" });
  });

  it("nobody, when the label is gone or its adder has only write access", async () => {
    expect(
      (await approver([], [{ event: "labeled", label: "cost-approved", login: "alice" }], roles)).login,
    ).toBeUndefined();
    const writer = await approver(
      ["cost-approved"],
      [{ event: "labeled", label: "cost-approved", login: "walt" }],
      roles,
    );
    expect(writer).toEqual({
      login: undefined,
      reason: "walt added cost-approved but has write, not admin or maintain",
    });
  });
});

describe("deploy builds and pushes what the program references (items 2 and 3)", () => {
  const up = job("pulumi-up.yml", "up");

  it("pushes the images before pulumi up, with no image settings handed to it", () => {
    const all = steps(up);
    const push = all.findIndex((s) => runOf(s).includes(".github/scripts/push-images.sh"));
    const pulumi = all.findIndex((s) => String(s.uses ?? "").startsWith("pulumi/actions"));
    expect(push).toBeGreaterThan(-1);
    expect(push).toBeLessThan(pulumi);
    expect(all[pulumi]?.with).toMatchObject({ command: "up", policyPacks: "infra/policy" });
    expect(all[pulumi]?.with["config-map"]).toBeUndefined();
    expect(runOf(all[push] as Yaml)).toContain(".dkr.ecr.${AWS_REGION}.amazonaws.com");
  });

  it("push-images.sh: logs in, creates a missing repository, skips an image that exists, builds the rest", async () => {
    const bin = join(scratch, "fake-cloud");
    mkdirSync(bin, { recursive: true });
    const log = join(scratch, "calls.log");
    writeFileSync(log, "");
    const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    const images = imageList(["--registry", registry], root)
      .trim()
      .split("\n")
      .map((line) => line.split("\t") as [string, string, string]);
    const existingTag = (images.find(([s]) => s === "cost-exporter") as [string, string, string])[2]
      .split(":")
      .pop();
    // aws: storefront's repository is missing; cost-exporter's current image is already pushed.
    writeFileSync(
      join(bin, "aws"),
      `#!/usr/bin/env bash
echo "aws $*" >> "${log}"
case "$*" in
  "ecr get-login-password"*) echo password ;;
  "ecr describe-repositories --repository-names cost-aware-platform/storefront") exit 254 ;;
  "ecr describe-images --repository-name cost-aware-platform/cost-exporter --image-ids imageTag=${existingTag}") exit 0 ;;
  "ecr describe-images"*) exit 254 ;;
esac
`,
    );
    writeFileSync(
      join(bin, "docker"),
      `#!/usr/bin/env bash\necho "docker $*" >> "${log}"\ncat > /dev/null\n`,
    );
    for (const tool of ["aws", "docker"]) chmodSync(join(bin, tool), 0o755);
    await run("bash", [join(root, ".github/scripts/push-images.sh"), registry], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AWS_REGION: "us-east-1" },
    });
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls.slice(0, 2).sort()).toEqual([
      "aws ecr get-login-password --region us-east-1",
      `docker login --username AWS --password-stdin ${registry}`,
    ]);
    expect(calls.filter((c) => c.startsWith("aws ecr create-repository"))).toEqual([
      expect.stringMatching(
        /^aws ecr create-repository --repository-name cost-aware-platform\/storefront --image-tag-mutability IMMUTABLE /,
      ),
    ]);
    expect(
      calls.some((c) =>
        c.startsWith("aws ecr put-lifecycle-policy --repository-name cost-aware-platform/storefront"),
      ),
    ).toBe(true);
    const builds = calls.filter((c) => c.startsWith("docker buildx build"));
    expect(builds).toEqual(
      images
        .filter(([service]) => service !== "cost-exporter")
        .map(
          ([, dockerfile, reference]) =>
            `docker buildx build --file ${dockerfile} --tag ${reference} --push .`,
        ),
    );
  }, 60_000);

  it("the build list comes from the catalogue: a fixture service appears in it", () => {
    const fixture = {
      ...(catalogue.find((s) => s.name === "traffic") as ServiceEntry),
      name: "fixture-shop",
      port: 8099,
      image: { dockerfile: "services/storefront/Dockerfile" },
      egress: [],
    };
    const lines = imageList(["--registry", "r.example"], root, [...catalogue, fixture]);
    expect(lines).toMatch(
      /^fixture-shop\tservices\/storefront\/Dockerfile\tr\.example\/cost-aware-platform\/fixture-shop:src-[0-9a-f]{24}$/m,
    );
    expect(imageList(["--registry", "r.example"], root)).not.toContain("fixture-shop");
  });
});

describe("Node.js: a supported LTS for everything that is deployed (item 13)", () => {
  /**
   * Node.js release lines (endoflife.date/nodejs, its source products/nodejs.md as of 2026-08-22, and
   * github.com/nodejs/Release; read 2026-12-01).
   */
  const nodeReleases: Record<string, { lts: string; endOfLife: string }> = {
    "20": { lts: "2023-10-24", endOfLife: "2026-04-30" },
    "22": { lts: "2024-10-29", endOfLife: "2027-04-30" },
    "24": { lts: "2025-10-28", endOfLife: "2028-04-30" },
    "26": { lts: "2026-10-28", endOfLife: "2029-04-30" },
  };
  const readOn = Date.parse("2026-12-01T00:00:00Z");
  const supported = (major: string) => {
    const release = nodeReleases[major];
    return !!release && Date.parse(release.lts) <= readOn && Date.parse(release.endOfLife) > readOn;
  };
  const nvmrc = readFileSync(join(root, ".nvmrc"), "utf8").trim();

  it(".nvmrc names a supported LTS, and the workflows that deploy or preview read it", () => {
    expect(supported(nvmrc), nvmrc).toBe(true);
    for (const { file, id, job: j } of jobs) {
      for (const step of usesOf(j, "actions/setup-node")) {
        if (file === "ci.yml") continue;
        expect(step.with["node-version-file"], `${file} ${id}`).toBe(".nvmrc");
        expect(step.with["node-version"], `${file} ${id}`).toBeUndefined();
      }
    }
  });

  it("only CI's test job stays on Node 20, and says why", () => {
    const [setup] = usesOf(job("ci.yml", "test"), "actions/setup-node");
    expect(String(setup?.with["node-version"])).toBe("20");
    expect(supported("20")).toBe(false);
    expect(text("ci.yml")).toMatch(
      /Node 20 \(past its end of life, 2026-04-30\) on purpose for the tests only/,
    );
  });

  it.each(readdirSync(join(root, "services")))("services/%s/Dockerfile builds on that LTS", (service) => {
    const dockerfile = readFileSync(join(root, "services", service, "Dockerfile"), "utf8");
    const major = /ARG NODE_IMAGE=node:(\d+)-/.exec(dockerfile)?.[1];
    expect(major).toBe(nvmrc);
  });
});

describe("drift", () => {
  it("refreshes and previews each stack once, as JSON, expecting no changes, then reports in one job", () => {
    const check = job("drift.yml", "check");
    const invocations = steps(check).filter((s) => /\bpulumi preview\b/.test(String(s.run ?? "")));
    expect(invocations).toHaveLength(1);
    expect(String(invocations[0]?.run)).toMatch(/--refresh --expect-no-changes --json/);
    expect(invocations[0]?.["continue-on-error"]).toBe(true);
    for (const step of usesOf(check, "pulumi/actions")) expect(step.with?.command).toBeUndefined();
    const summary = steps(check).find((s) => String(s.run ?? "").includes("drift-summary.cjs"));
    expect(String(summary?.run)).toContain('"$RUNNER_TEMP/drift.json"');
    const report = job("drift.yml", "report");
    expect(report.needs).toBe("check");
    expect(usesOf(report, "actions/github-script")[0]?.with.script).toContain(
      ".github/scripts/drift-issue.cjs",
    );
  });

  it("the summary lists what changed from that JSON, or says the preview failed", () => {
    const { driftSummary } = require(join(root, ".github", "scripts", "drift-summary.cjs")) as {
      driftSummary: (file: string, runUrl: string) => string;
    };
    const file = join(scratch, "drift.json");
    writeFileSync(
      file,
      JSON.stringify({
        steps: [
          {
            op: "update",
            urn: "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::storefront-deployment",
            detailedDiff: { "spec.template.spec.containers[0].image": { kind: "update" } },
          },
        ],
        changeSummary: { update: 1, same: 80 },
      }),
    );
    const summary = driftSummary(file, "https://example.test/run");
    expect(summary).toContain("1 to update · 80 unchanged");
    expect(summary).toContain(
      "~ kubernetes:apps/v1:Deployment storefront-deployment (spec.template.spec.containers[0].image)",
    );
    writeFileSync(file, "");
    expect(driftSummary(file, "https://example.test/run")).toContain("The preview itself failed");
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

interface Run {
  id: number;
  workflow: string;
  status: string;
  conclusion?: string;
  created_at?: string;
  head_sha?: string;
}

/** Just enough of Octokit's Actions and branches API for deploy-queue.cjs: runs in memory. */
function fakeActions() {
  const state = { head: "c0", runs: [] as Run[] };
  const rest = {
    actions: {
      listWorkflowRuns: async (args: { workflow_id: string; status?: string; head_sha?: string }) => ({
        data: state.runs.filter(
          (r) =>
            r.workflow === args.workflow_id &&
            (args.status === undefined || r.status === args.status) &&
            (args.head_sha === undefined || r.head_sha === args.head_sha),
        ),
      }),
    },
    repos: { getBranch: async () => ({ data: { commit: { sha: state.head } } }) },
  };
  const paginate = async (method: (args: never) => Promise<{ data: unknown[] }>, args: unknown) =>
    (await method(args as never)).data;
  return Object.assign(state, { github: { rest, paginate } });
}

const queue = require(join(root, ".github", "scripts", "deploy-queue.cjs")) as {
  deployInFlight: (args: Record<string, unknown>) => Promise<Run[]>;
  shouldRequeue: (args: Record<string, unknown>) => Promise<{ requeue: boolean; newer: number[] }>;
  commitToDeploy: (args: Record<string, unknown>) => Promise<{ sha?: string; reason?: string }>;
};
