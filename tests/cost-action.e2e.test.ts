// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * The composite action any Pulumi repository calls with a preview file (.github/actions/pulumi-cost): valid
 * action metadata (action-validator), its steps in the order that posts the comment before it fails, inputs that
 * reach the shell only as data, and its pricing step's shell run with a stand-in for the pricing command.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const actionFile = join(root, ".github", "actions", "pulumi-cost", "action.yml");
const validator = join(root, "node_modules", ".bin", "action-validator");
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "cost-action-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: action YAML is free-form
type Yaml = Record<string, any>;
const action = parse(readFileSync(actionFile, "utf8")) as Yaml;
const steps = action.runs.steps as Yaml[];
const byName = (pattern: RegExp) => {
  const found = steps.findIndex((s) => pattern.test(String(s.name)));
  if (found === -1) throw new Error(`no step ${pattern}`);
  return found;
};

describe("the pulumi-cost action", () => {
  it("passes action-validator (the schema of action metadata), which rejects a broken one", async () => {
    const { stdout, stderr } = await run(validator, [actionFile]);
    expect(stdout + stderr).toBe("");
    const broken = join(scratch, "action.yml");
    writeFileSync(broken, "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo\n");
    await expect(run(validator, [broken])).rejects.toMatchObject({ code: 1 });
  });

  it("is composite, needs only a preview file and a stack, and runs the installed pulumi-cost by default", () => {
    expect(action.runs.using).toBe("composite");
    const required = Object.entries(action.inputs as Record<string, Yaml>)
      .filter(([, input]) => input.required)
      .map(([name]) => name);
    expect(required.sort()).toEqual(["preview-file", "stack"]);
    expect(action.inputs.command.default).toBe("npx --no-install pulumi-cost");
    expect(action.inputs["approval-label"].default).toBe("cost-approved");
    // Live prices need AWS credentials allowed pricing:GetProducts, which a project opts into.
    expect(action.inputs["live-prices"].default).toBe("false");
  });

  it("finds the approver, prices, comments, and only then fails, each step also after a failed one", () => {
    const approval = byName(/approval/i);
    const cost = byName(/^Price/);
    const comment = byName(/^Comment/);
    const fail = byName(/^Fail/);
    expect([approval, cost, comment, fail]).toEqual([0, 1, 2, 3]);
    for (const index of [cost, comment, fail]) expect(steps[index]?.if).toBe("${{ !cancelled() }}");
    expect(String(steps[approval]?.with.script)).toContain("/../../scripts/cost-approval.cjs");
    // The approval is judged against the head commit the preview ran for (cost-approval.cjs).
    expect(String(steps[approval]?.with.script)).toContain("head: context.payload.pull_request.head");
    expect(String(steps[comment]?.with.script)).toContain("/../../scripts/preview-comment.cjs");
    expect(steps[cost]?.env.APPROVER).toBe("${{ steps.approval.outputs.login }}");
    expect(steps[comment]?.env.COST_FILE).toBe("${{ steps.cost.outputs.file }}");
    expect(steps[fail]?.env.COST_EXIT).toBe("${{ steps.cost.outputs.exit-code }}");
    expect(String(steps[fail]?.run)).toContain('[ "$COST_EXIT" = "3" ]');
  });

  it("hands inputs to scripts as environment variables only, never as expressions inside them", () => {
    for (const step of steps) {
      expect(String(step.run ?? ""), step.name).not.toContain("${{");
      expect(String(step.with?.script ?? ""), step.name).not.toContain("${{");
    }
  });
});

describe("the pulumi-cost action's pricing step, run by bash", () => {
  it("records the pricing's exit code without stopping, and passes hostile inputs as arguments, not code", async () => {
    const cost = steps[byName(/^Price/)] as Yaml;
    const fake = join(scratch, "fake-cost");
    writeFileSync(fake, '#!/usr/bin/env bash\nfor a in "$@"; do echo "arg: $a"; done\nexit 3\n');
    chmodSync(fake, 0o755);
    const output = join(scratch, "github-output");
    writeFileSync(output, "");
    const hostile = 'plan $(touch pwned) `touch pwned2`; echo "x"';
    await run("bash", ["-e", "-c", String(cost.run)], {
      cwd: scratch,
      env: {
        ...process.env,
        RUNNER_TEMP: scratch,
        GITHUB_OUTPUT: output,
        COMMAND: fake,
        PREVIEW: join(scratch, "preview.json"),
        CONFIG: hostile,
        MAX_CHARS: "40000",
        STACK: "prod/../x",
        APPROVER: "mona",
        LIVE_PRICES: "false",
      },
    });
    const outputs = readFileSync(output, "utf8").trim().split("\n");
    expect(outputs[0]).toBe("exit-code=3");
    const costFile = (outputs[1] ?? "").replace(/^file=/, "");
    expect(costFile).toBe(join(scratch, "pulumi-cost-prod_.._x.md"));
    expect(readFileSync(costFile, "utf8").trim().split("\n")).toEqual([
      `arg: --preview`,
      `arg: ${join(scratch, "preview.json")}`,
      "arg: --max-chars",
      "arg: 40000",
      "arg: --config",
      `arg: ${hostile}`,
      "arg: --approved-by",
      "arg: mona",
    ]);
    await expect(run("ls", [join(scratch, "pwned")])).rejects.toBeDefined();
  });

  it("lets a project put words in its command, such as this template's npm run cost and its stack", async () => {
    const cost = steps[byName(/^Price/)] as Yaml;
    const output = join(scratch, "github-output-2");
    writeFileSync(output, "");
    await run("bash", ["-e", "-c", String(cost.run)], {
      cwd: scratch,
      env: {
        ...process.env,
        RUNNER_TEMP: scratch,
        GITHUB_OUTPUT: output,
        COMMAND: 'printf "%s|" --stack "$STACK_NAME"',
        STACK_NAME: "dev",
        PREVIEW: "preview.json",
        CONFIG: "",
        MAX_CHARS: "40000",
        STACK: "dev",
        APPROVER: "",
        LIVE_PRICES: "true",
      },
    });
    expect(readFileSync(join(scratch, "pulumi-cost-dev.md"), "utf8")).toBe(
      "--stack|dev|--preview|preview.json|--max-chars|40000|--live-prices|",
    );
    expect(readFileSync(output, "utf8")).toContain("exit-code=0");
  });

  it("refuses a live-prices input other than true or false, naming it, before the pricing runs", async () => {
    const cost = steps[byName(/^Price/)] as Yaml;
    const output = join(scratch, "github-output-3");
    writeFileSync(output, "");
    const ran = join(scratch, "ran");
    const failure = run("bash", ["-e", "-c", String(cost.run)], {
      cwd: scratch,
      env: {
        ...process.env,
        RUNNER_TEMP: scratch,
        GITHUB_OUTPUT: output,
        COMMAND: `touch ${ran}`,
        PREVIEW: "preview.json",
        CONFIG: "",
        MAX_CHARS: "40000",
        STACK: "bad-input",
        APPROVER: "",
        LIVE_PRICES: "yes; touch pwned",
      },
    });
    await expect(failure).rejects.toMatchObject({
      code: 2,
      stdout: '::error::The live-prices input must be "true" or "false"; nothing was priced\n',
    });
    expect(readFileSync(output, "utf8")).toBe("exit-code=2\n");
    await expect(run("ls", [ran])).rejects.toBeDefined();
    await expect(run("ls", [join(scratch, "pwned")])).rejects.toBeDefined();
  });
});
