// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  job,
  jobs,
  root,
  run,
  runOf,
  scratchDir,
  steps,
  text,
  usesOf,
  type Yaml,
} from "./workflows-support.js";

/** The preview workflow: what it previews, the cost guardrail a pull request cannot loosen, one Pulumi CLI for a preview and its deploy. */
const scratch = scratchDir();

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
