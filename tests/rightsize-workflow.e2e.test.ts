// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
/**
 * The weekly right-sizing workflow (.github/workflows/rightsize.yml): when it runs, with what identity, and
 * its shell step (.github/scripts/rightsize.sh) run for real with stand-ins for the AWS CLI, kubectl and npm
 * that record how they are called. The pull request script is tested against a fake GitHub API in
 * rightsize-workflow.test.ts.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { driftEnvironment, rightsizeWorkflowPath } from "../infra/bootstrap/github-trust.js";

// biome-ignore lint/suspicious/noExplicitAny: workflow YAML is free-form
type Yaml = Record<string, any>;
const root = join(import.meta.dirname, "..");
const workflow = parse(readFileSync(join(root, rightsizeWorkflowPath), "utf8")) as Yaml;
const job = workflow.jobs.propose as Yaml;
const steps = job.steps as Yaml[];
const step = (uses: string) => steps.find((s) => String(s.uses ?? "").startsWith(`${uses}@`)) as Yaml;
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "rightsize-workflow-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("rightsize.yml", () => {
  it("runs weekly and by hand, one run at a time", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(workflow.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* [0-6]$/);
    expect(workflow.concurrency).toEqual({ group: "rightsize", "cancel-in-progress": false });
  });

  it("reads the cluster with the read-only drift role, in the environment that role trusts", () => {
    expect(job.environment).toBe(driftEnvironment);
    expect(step("aws-actions/configure-aws-credentials").with["role-to-assume"]).toBe(
      "${{ vars.DRIFT_ROLE_ARN }}",
    );
    expect(workflow.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("opens the pull request with a GitHub App's token narrowed to contents and pull requests, never GITHUB_TOKEN", () => {
    const app = step("actions/create-github-app-token");
    expect(app.with).toMatchObject({
      "client-id": "${{ vars.RIGHTSIZE_APP_CLIENT_ID }}",
      "private-key": "${{ secrets.RIGHTSIZE_APP_PRIVATE_KEY }}",
      "permission-contents": "write",
      "permission-pull-requests": "write",
    });
    const script = step("actions/github-script");
    expect(script.with["github-token"]).toBe("${{ steps.app.outputs.token }}");
    expect(script.if).toBe("steps.app.outcome == 'success'");
    expect(script.with.script).toContain("rightsize-pr.cjs");
    expect(JSON.stringify(workflow)).not.toContain("GITHUB_TOKEN }}");
    expect(JSON.stringify(workflow)).not.toContain("github.token");
  });

  it("right-sizes with --write through the shell step, and tells the pull request whether the catalogue changed", () => {
    const shell = steps.find((s) => String(s.run ?? "").includes("rightsize.sh")) as Yaml;
    expect(shell.run).toContain('bash .github/scripts/rightsize.sh "$STACK"');
    expect(shell.run).toContain("git diff --quiet -- catalogue/services.ts");
    expect(step("actions/github-script").with.script).toContain('process.env.CHANGED === "true"');
  });
});

describe("rightsize.sh", () => {
  it("gets a kubeconfig for the stack's cluster, proxies the API server on a free local port, and right-sizes through it", async () => {
    const bin = join(scratch, "bin");
    const log = join(scratch, "calls.log");
    const table = join(scratch, "table.md");
    const standIn = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    await run("mkdir", ["-p", bin]);
    standIn(
      "npm",
      `case "$*" in
  *--print-cluster*) echo "cost-aware-platform-prod us-east-1" ;;
  *--cluster-proxy*) echo "| the table |" ;;
esac`,
    );
    standIn("aws", "exit 0");
    // kubectl proxy --port 0 says where it serves, then stays up until it is stopped.
    standIn("kubectl", 'echo "Starting to serve on 127.0.0.1:45678"\nexec sleep 30');
    await run("bash", [join(root, ".github/scripts/rightsize.sh"), "prod", table], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      timeout: 20_000,
    });
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "npm run -s rightsize -- --stack prod --print-cluster",
      "aws eks update-kubeconfig --name cost-aware-platform-prod --region us-east-1 --alias rightsize-prod",
      "kubectl proxy --context rightsize-prod --address 127.0.0.1 --port 0",
      "npm run -s rightsize -- --cluster-proxy http://127.0.0.1:45678 --stack prod --write",
    ]);
    expect(readFileSync(table, "utf8")).toBe("| the table |\n");
  });

  it("fails, saying why, when kubectl proxy cannot start", async () => {
    const bin = join(scratch, "bin-failing");
    await run("mkdir", ["-p", bin]);
    for (const [name, body] of [
      ["npm", 'echo "c r"'],
      ["aws", "exit 0"],
      ["kubectl", 'echo "error: no context rightsize-prod" >&2; exit 1'],
    ]) {
      writeFileSync(join(bin, name as string), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(join(bin, name as string), 0o755);
    }
    const failed = await run(
      "bash",
      [join(root, ".github/scripts/rightsize.sh"), "prod", join(scratch, "t.md")],
      {
        cwd: root,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        timeout: 20_000,
      },
    ).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("no context rightsize-prod");
  });
});
