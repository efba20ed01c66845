import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  files,
  job,
  root,
  run,
  scratchDir,
  text,
  validator,
  workflow,
  workflowsDir,
  type Yaml,
} from "./workflows-support.js";

/** The workflow files are valid GitHub Actions workflows, run on the right triggers, and dependabot keeps their actions current. */
const scratch = scratchDir();

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
