// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  job,
  root,
  run,
  runOf,
  scratchDir,
  stacks,
  steps,
  usesOf,
  workflow,
  type Yaml,
} from "./workflows-support.js";

/** When a deploy runs: one list of stacks, only what passed the tests, nothing before set-up, no merged change skipped. */
const scratch = scratchDir();

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
