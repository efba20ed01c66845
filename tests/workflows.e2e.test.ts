// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { requireTool } from "@platform/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogue, type ServiceEntry } from "../catalogue/services.js";
import {
  deploySessionSeconds,
  driftEnvironment,
  previewEnvironment,
} from "../infra/bootstrap/github-trust.js";
import { imageList } from "../infra/images-cli.js";
import { runProgram, runProgramUnderMocks } from "../infra/under-mocks/mocks.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workflowsDir = join(root, ".github", "workflows");
const validator = join(root, "node_modules", ".bin", "action-validator");
const run = promisify(execFile);
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
  it("finds the five workflows and the reusable deploy step", () => {
    expect(files.sort()).toEqual([
      "ci.yml",
      "deploy.yml",
      "drift.yml",
      "preview.yml",
      "pulumi-up.yml",
      "rightsize.yml",
    ]);
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
});

describe("a push to main before the repository is set up deploys nothing", () => {
  // README step 3 pushes before step 4 sets the variables and environments: a deploy then would run with no
  // role, and its `environment: dev` would make GitHub create that environment without branch rules.
  const gate = () => job("deploy.yml", "gate");
  const configured = () => steps(gate()).find((s) => s.id === "configured") as Yaml;

  it("the gate looks at DEPLOY_ROLE_ARN first, and asks for main's head only when it is set", () => {
    expect(steps(gate())[0]?.id).toBe("configured");
    expect(configured().env).toEqual({ DEPLOY_ROLE_ARN: "${{ vars.DEPLOY_ROLE_ARN }}" });
    for (const later of steps(gate()).slice(1)) {
      expect(later.if, String(later.uses ?? later.name)).toBe("steps.configured.outputs.ready == 'true'");
    }
    // No commit, no sha: every deploy job (and so every environment) is skipped.
    expect(gate().outputs.sha).toBe("${{ steps.commit.outputs.sha }}");
    expect(job("deploy.yml", "deploy-dev").if).toBe("needs.gate.outputs.sha != ''");
  });

  it.each([
    ["", "false"],
    ["arn:aws:iam::210987654321:role/ci/cost-aware-platform-ci-deploy-3f9a2b1", "true"],
  ])("DEPLOY_ROLE_ARN=%j: ready=%s, and a notice saying what to set when it is not", async (arn, ready) => {
    const output = join(scratch, `gate-${ready}.txt`);
    writeFileSync(output, "");
    const { stdout } = await run("bash", ["-e", "-c", runOf(configured())], {
      cwd: root,
      env: { ...process.env, DEPLOY_ROLE_ARN: arn, GITHUB_OUTPUT: output },
    });
    expect(readFileSync(output, "utf8")).toBe(`ready=${ready}\n`);
    if (ready === "false") {
      expect(stdout).toMatch(/^::notice title=No deploy::/);
      for (const what of ["DEPLOY_ROLE_ARN", "PULUMI_BACKEND_URL", "PULUMI_ORG", "Settings → Environments"]) {
        expect(stdout).toContain(what);
      }
    } else expect(stdout).toBe("");
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
});

describe("preview (items 7 and 12, the cost guardrail)", () => {
  const preview = job("preview.yml", "preview");

  it("runs the program once: one pulumi preview, as JSON, with the policy pack; the cost action reads that file", () => {
    const invocations = steps(preview).filter((s) => /\bpulumi (preview|up) --/.test(runOf(s)));
    expect(invocations).toHaveLength(1);
    expect(runOf(invocations[0] as Yaml)).toMatch(
      /pulumi preview .*--policy-pack infra\/policy .*--json --show-sames .*> "\$RUNNER_TEMP\/preview\.json"/s,
    );
    // pulumi/actions only installs the CLI here.
    for (const step of usesOf(preview, "pulumi/actions")) expect(step.with?.command).toBeUndefined();
    const cost = steps(preview).find((s) => String(s.uses).endsWith("/.github/actions/pulumi-cost")) as Yaml;
    expect(cost.with["preview-file"]).toBe("${{ runner.temp }}/preview.json");
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

  it("prices, comments and applies the guardrail through the pulumi-cost action with this template's npm run cost", () => {
    const all = steps(preview);
    const cost = all.findIndex((s) => String(s.uses).endsWith("/.github/actions/pulumi-cost"));
    const fail = all.length - 1;
    const action = all[cost] as Yaml;
    expect(action.with).toMatchObject({
      stack: "${{ matrix.stack }}",
      command: expect.stringMatching(/^npm run --silent cost -- --stack "\$STACK_NAME"/),
      "max-chars": "40000",
      // The preview role may call pricing:GetProducts (infra/bootstrap/preview-permissions.ts).
      "live-prices": "true",
      "policy-outcome": "${{ steps.preview.outcome == 'success' && 'passed' || 'failed, see the log' }}",
    });
    // The action fails the job over the guardrail; a failed preview fails it here, after the comment.
    expect(cost).toBeLessThan(fail);
    for (const index of [cost, fail]) expect(all[index]?.if).toBe("${{ !cancelled() }}");
    expect(all[fail]?.env.PREVIEW).toBe("${{ steps.preview.outcome }}");
    expect(runOf(all[fail] as Yaml)).toContain('[ "$PREVIEW" != "success" ]');
  });
});

describe("a pull request cannot loosen its own cost guardrail", () => {
  const all = steps(job("preview.yml", "preview"));
  const checkouts = all.filter((s) => String(s.uses ?? "").startsWith("actions/checkout@"));
  const base = checkouts.find((s) => s.with?.ref === "${{ github.event.pull_request.base.sha }}") as Yaml;

  it("checks out the base commit beside the head's, without credentials, after it", () => {
    expect(base).toBeDefined();
    expect(base.with.path).toMatch(/^\.[a-z-]+$/);
    expect(base.with["persist-credentials"]).toBe(false);
    // The head's checkout (the workspace itself) cleans the workspace, so it comes first.
    const head = checkouts.find((s) => s.with?.ref === undefined) as Yaml;
    expect(head.with?.path).toBeUndefined();
    expect(all.indexOf(head)).toBeLessThan(all.indexOf(base));
  });

  it("runs the base commit's pulumi-cost action and approval script, with the base commit's guardrail and budget", () => {
    const dir = base.with.path as string;
    const cost = all.find((s) => String(s.uses).endsWith("/.github/actions/pulumi-cost")) as Yaml;
    expect(cost.uses).toBe(`./${dir}/.github/actions/pulumi-cost`);
    expect(cost.with.command).toBe(`npm run --silent cost -- --stack "$STACK_NAME" --guardrail-from ${dir}`);
    // The preview itself is the head's: it runs in the workspace, not in the base's directory.
    const pulumiPreview = all.find((s) => /\bpulumi preview\b/.test(runOf(s))) as Yaml;
    expect(pulumiPreview["working-directory"]).toBeUndefined();
  });

  it("the sparse checkout, as git applies it, holds every file that decides the guardrail and none of the program", async () => {
    const clone = join(scratch, "base-commit");
    await run("git", ["clone", "--quiet", "--no-checkout", root, clone]);
    const patterns = String(base.with["sparse-checkout"]).trim().split("\n");
    expect(base.with["sparse-checkout-cone-mode"]).toBe(false);
    await run("git", ["-C", clone, "sparse-checkout", "set", "--no-cone", ...patterns]);
    await run("git", ["-C", clone, "checkout", "--quiet", "HEAD"]);
    const { stdout } = await run("git", ["-C", clone, "ls-files", "--cached", "--", "."]);
    const present = (file: string) => {
      try {
        readFileSync(join(clone, file));
        return true;
      } catch {
        return false;
      }
    };
    for (const file of [
      ".github/stacks.json",
      ".github/actions/pulumi-cost/action.yml",
      ".github/scripts/cost-approval.cjs",
      ".github/scripts/preview-comment.cjs",
      "Pulumi.dev.yaml",
      "Pulumi.prod.yaml",
    ]) {
      expect(present(file), file).toBe(true);
    }
    for (const file of ["infra/index.ts", "package.json", "infra/bootstrap/Pulumi.ci.yaml"]) {
      expect(present(file), file).toBe(false);
    }
    expect(stdout).toContain(".github/stacks.json");
  }, 60_000);
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
    // The stack's own registry (its platform:region), as the program names it, not the runner's AWS_REGION.
    expect(runOf(all[push] as Yaml)).toContain('npm run --silent images -- --registry-of "$STACK_NAME"');
    expect(all[push]?.env).toMatchObject({ STACK_NAME: "${{ inputs.stack }}" });
  });

  it("push-images.sh: logs in, creates a missing repository, skips an image that exists, builds the rest", async () => {
    const bin = join(scratch, "fake-cloud");
    mkdirSync(bin, { recursive: true });
    const log = join(scratch, "calls.log");
    writeFileSync(log, "");
    const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    type Line = [string, string, string, string, string];
    const images = imageList(["--registry", registry], root)
      .trim()
      .split("\n")
      .map((line) => line.split("\t") as Line);
    const existingTag = (images.find(([s]) => s === "cost-exporter") as Line)[2].split(":").pop();
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
      // The shell's region is another one: every call must go to the registry's.
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AWS_REGION: "eu-west-1" },
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
    // For the nodes' architecture (AL2023 x86_64), whatever the machine that builds: an Apple-Silicon laptop
    // would otherwise push arm64 images under tags no later push replaces (IMMUTABLE, skipped when present).
    expect(images.map(([service, , , , buildArgs]) => [service, buildArgs])).toEqual(
      images.map(([service]) => [service, `SERVICE=${service}`]),
    );
    expect(builds).toEqual(
      images
        .filter(([service]) => service !== "cost-exporter")
        .map(
          ([, dockerfile, reference, , buildArgs]) =>
            `docker buildx build --platform linux/amd64 --file ${dockerfile} --build-arg ${buildArgs} --tag ${reference} --push .`,
        ),
    );
  }, 60_000);

  it("--registry-of names the registry the program names: the account's ECR in the stack's platform:region", async () => {
    // Whatever account and region Pulumi.dev.yaml holds: the registry of the images its Deployments name.
    const { resources, caller } = await runProgram("dev");
    const images = resources
      .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
      .flatMap((d) => (d.inputs.spec.template.spec.containers as { image: string }[]).map((c) => c.image))
      .filter((image) => image.includes(".dkr.ecr."));
    const registries = new Set(images.map((image) => image.slice(0, image.indexOf("/"))));
    expect(registries.size).toBe(1);
    expect(imageList(["--registry-of", "dev", "--account", caller.accountId], root)).toBe(
      `${[...registries][0]}\n`,
    );
    const elsewhere = mkdtempSync(join(scratch, "stack-"));
    writeFileSync(join(elsewhere, "Pulumi.yaml"), "name: cost-aware-platform\nruntime: nodejs\n");
    writeFileSync(
      join(elsewhere, "Pulumi.eu.yaml"),
      "config:\n  platform:region: eu-central-1\n  platform:clusterAdminRoleArns:\n    - arn:aws:iam::123456789012:role/platform-deploy\n",
    );
    expect(
      imageList(["--registry-of", "eu", "--account", "123456789012", "--partition", "aws-cn"], elsewhere),
    ).toBe("123456789012.dkr.ecr.eu-central-1.amazonaws.com.cn\n");
    expect(() => imageList(["--registry-of", "dev", "--account", "12"], root)).toThrow(/12-digit/);
  });

  it("the build list comes from the catalogue: a fixture service appears in it", () => {
    const fixture = {
      ...(catalogue.find((s) => s.name === "traffic") as ServiceEntry),
      name: "fixture-shop",
      port: 8099,
      image: { dockerfile: "services/Dockerfile", buildArgs: { SERVICE: "storefront" } },
      egress: [],
    };
    const lines = imageList(["--registry", "r.example"], root, [...catalogue, fixture]);
    expect(lines).toMatch(
      /^fixture-shop\tservices\/Dockerfile\tr\.example\/cost-aware-platform\/fixture-shop:src-[0-9a-f]{24}\tlinux\/amd64\tSERVICE=storefront$/m,
    );
    expect(imageList(["--registry", "r.example"], root)).not.toContain("fixture-shop");
  });
});

describe("the deploy records the stack's estimate where Prometheus reads it", () => {
  const up = job("pulumi-up.yml", "up");
  const record = () => steps(up).find((s) => runOf(s).includes("cost:record-estimate")) as Yaml;

  it("after pulumi up (a first deploy's cluster and CRD exist then), from npm run cost's JSON of the deployed commit", () => {
    const all = steps(up);
    const pulumi = all.findIndex((s) => String(s.uses ?? "").startsWith("pulumi/actions"));
    expect(all.indexOf(record())).toBeGreaterThan(pulumi);
    expect(record().env).toEqual({ STACK_NAME: "${{ inputs.stack }}", SHA: "${{ inputs.sha }}" });
    expect(runOf(record())).toContain('npm run --silent cost -- --stack "$STACK_NAME" --format json');
    expect(record()["continue-on-error"]).toBeUndefined();
  });

  it("applies a PrometheusRule worth npm run cost's total, which promtool loads and the program does not own (no drift)", async () => {
    const promtool = await requireTool("promtool");
    const bin = join(scratch, "fake-cluster");
    mkdirSync(bin, { recursive: true });
    const applied = join(scratch, "applied.json");
    const log = join(scratch, "cluster-calls.log");
    writeFileSync(log, "");
    // The real npm run cost and record script; a stand-in for the Pulumi CLI and kubectl.
    writeFileSync(
      join(bin, "pulumi"),
      `#!/usr/bin/env bash\necho "pulumi $*" >> "${log}"\necho '{"apiVersion":"v1","kind":"Config"}'\n`,
    );
    writeFileSync(
      join(bin, "kubectl"),
      `#!/usr/bin/env bash\necho "kubectl $*" >> "${log}"\nfile="\${@: -1}"\ncp "$file" "${applied}"\n`,
    );
    for (const tool of ["pulumi", "kubectl"]) chmodSync(join(bin, tool), 0o755);
    const sha = "0123456789abcdef0123456789abcdef01234567";
    await run("bash", ["-e", "-c", runOf(record())], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        RUNNER_TEMP: scratch,
        STACK_NAME: "dev",
        STACK: "dev",
        SHA: sha,
      },
    });
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls).toEqual([
      "pulumi stack output kubeconfig --show-secrets --stack dev",
      `kubectl --kubeconfig ${join(scratch, "kubeconfig")} apply -f ${join(scratch, "estimate-rule.json")}`,
    ]);
    const estimate = JSON.parse(readFileSync(join(scratch, "estimate.json"), "utf8")) as {
      totals: { after: string };
      monthStart: string;
    };
    const rule = JSON.parse(readFileSync(applied, "utf8")) as Yaml;
    expect(rule).toMatchObject({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "cost-estimate", namespace: "monitoring" },
    });
    const [monthly, hourly] = rule.spec.groups[0].rules as Yaml[];
    expect(monthly).toEqual({
      record: "platform:cost_estimate_monthly:usd",
      expr: `vector(${estimate.totals.after})`,
      labels: { stack: "dev", commit: sha, priced_on: estimate.monthStart },
    });
    expect(hourly?.expr).toBe(`vector(${estimate.totals.after} / 730)`);
    // Prometheus loads it.
    const rulesFile = join(scratch, "estimate.rules.yml");
    writeFileSync(rulesFile, JSON.stringify({ groups: rule.spec.groups }));
    const { stdout } = await run(promtool, ["check", "rules", rulesFile]);
    expect(stdout).toContain("SUCCESS: 2 rules found");
    // The program declares no PrometheusRule of that name: the drift check's preview cannot see it.
    const resources = await runProgramUnderMocks("dev");
    const prometheusRules = resources.filter(
      (r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    );
    expect(prometheusRules.length).toBeGreaterThan(0);
    expect(prometheusRules.map((r) => r.inputs.metadata.name)).not.toContain("cost-estimate");
  }, 120_000);
});

describe("Node.js: a supported LTS for everything that is deployed (item 13)", () => {
  /** Node.js release lines (sources dated in README.md, "Documentation this relies on"). */
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

  it("CI tests on the LTS of .nvmrc and on package.json's engines floor, a matrix reading both files", async () => {
    const test = job("ci.yml", "test");
    expect(test.strategy.matrix).toEqual({ node: ["lts", "floor"] });
    expect(test.strategy["fail-fast"]).toBe(false);
    const versionStep = steps(test).find((s) => s.id === "node") as Yaml;
    const [setup] = usesOf(test, "actions/setup-node");
    expect(setup?.with["node-version"]).toBe("${{ steps.node.outputs.version }}");
    expect(steps(test).indexOf(versionStep)).toBeLessThan(steps(test).indexOf(setup as Yaml));
    const versionOf = async (which: string, cwd = root) => {
      const output = join(scratch, `node-version-${which}.txt`);
      writeFileSync(output, "");
      await run("bash", ["-e", "-c", runOf(versionStep)], {
        cwd,
        env: { ...process.env, WHICH: which, GITHUB_OUTPUT: output },
      });
      return readFileSync(output, "utf8")
        .trim()
        .replace(/^version=/, "");
    };
    const engines = (
      JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } }
    ).engines.node;
    expect(await versionOf("lts")).toBe(nvmrc);
    const floor = await versionOf("floor");
    expect(`>=${floor}`).toBe(engines.replace(/\s+/g, ""));
    // The floor is past its end of life: exactly why CI keeps testing it while development machines run it.
    expect(supported(floor.split(".")[0] as string)).toBe(false);
    expect(supported(nvmrc)).toBe(true);
    // This machine runs the floor's line or newer, so npm test here covers the floor too.
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
    const [floorMajor, floorMinor = 0] = floor.split(".").map(Number) as [number, number?];
    expect(major > floorMajor || (major === floorMajor && minor >= floorMinor)).toBe(true);
    // A version file that says nothing usable stops the job with a message, before any setup.
    const broken = mkdtempSync(join(scratch, "broken-versions-"));
    writeFileSync(join(broken, ".nvmrc"), "lts/*\n");
    writeFileSync(join(broken, "package.json"), JSON.stringify({ engines: { node: "^20 || ^22" } }));
    for (const which of ["lts", "floor"]) {
      const failed = await versionOf(which, broken).then(
        () => undefined,
        (e: { code?: number; stdout?: string }) => e,
      );
      expect(failed?.code, which).toBe(1);
      expect(failed?.stdout, which).toContain("::error::cannot read a Node.js version");
    }
  });

  it("services/Dockerfile builds every service on that LTS", () => {
    const dockerfile = readFileSync(join(root, "services", "Dockerfile"), "utf8");
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

  it("looks at the pins of every composite action, not only the workflows' (the root scans .github/workflows only)", () => {
    const config = parse(readFileSync(join(root, ".github", "dependabot.yml"), "utf8")) as Yaml;
    const actions = (config.updates as Yaml[]).find(
      (u) => u["package-ecosystem"] === "github-actions",
    ) as Yaml;
    const actionsDir = join(root, ".github", "actions");
    const composite = readdirSync(actionsDir).map((name) => `/.github/actions/${name}`);
    expect(composite.length).toBeGreaterThan(0);
    expect(actions.directory).toBeUndefined();
    expect([...(actions.directories as string[])].sort()).toEqual(["/", ...composite].sort());
  });
});

describe("one Pulumi CLI for a preview and its deploy", () => {
  const pulumiSteps = jobs.flatMap(({ file, job: j }) =>
    usesOf(j, "pulumi/actions").map((step) => ({ file, job: j, step })),
  );

  it("every pulumi/actions step installs the CLI of the Pulumi SDK release package-lock.json installs", async () => {
    expect(pulumiSteps.map(({ file }) => file).sort()).toEqual(["drift.yml", "preview.yml", "pulumi-up.yml"]);
    const { version: sdk } = JSON.parse(
      readFileSync(join(root, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
    ) as { version: string };
    for (const { file, job: j, step } of pulumiSteps) {
      const match = /^\$\{\{ steps\.([\w-]+)\.outputs\.version \}\}$/.exec(
        String(step.with?.["pulumi-version"]),
      );
      expect(match, file).not.toBeNull();
      const all = steps(j);
      const source = all.find((s) => s.id === match?.[1]) as Yaml;
      expect(all.indexOf(source), file).toBeLessThan(all.indexOf(step));
      // The step's own shell line, run here: it must print the installed SDK's version.
      const output = join(scratch, `pulumi-version-${file}`);
      writeFileSync(output, "");
      await run("bash", ["-c", runOf(source)], { cwd: root, env: { ...process.env, GITHUB_OUTPUT: output } });
      expect(readFileSync(output, "utf8"), file).toBe(`version=${sdk}\n`);
    }
  });
});
