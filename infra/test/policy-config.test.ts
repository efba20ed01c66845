// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { noPublicLoadBalancer, platformPolicies } from "../policy/policies";
import { policyConfigOf } from "../policy-config";
import { repoRoot } from "../under-mocks/mocks";

/**
 * The policy pack reads the stack's settings through its config: every workflow step that runs the pack passes
 * `--policy-pack-config` (or pulumi/actions' `policyPackConfigs`) naming a file an earlier step of the same job
 * wrote with `npm run --silent policy-config -- --stack <that stack>`.
 */
// biome-ignore lint/suspicious/noExplicitAny: workflow YAML is free-form
type Yaml = Record<string, any>;

const workflowsDir = path.join(repoRoot, ".github", "workflows");
const workflows = fs
  .readdirSync(workflowsDir)
  .filter((f) => f.endsWith(".yml"))
  .map((file) => ({ file, yaml: parse(fs.readFileSync(path.join(workflowsDir, file), "utf8")) as Yaml }));

interface PackRun {
  where: string;
  /** The config file the step passes, as written in the workflow (undefined: none). */
  configFile: string | undefined;
  /** The steps before it in the same job. */
  earlier: Yaml[];
}

/** Every step that runs the policy pack: a `pulumi preview|up` command line or pulumi/actions with policyPacks. */
function packRuns(): PackRun[] {
  const found: PackRun[] = [];
  for (const { file, yaml } of workflows) {
    for (const [id, job] of Object.entries((yaml.jobs ?? {}) as Record<string, Yaml>)) {
      const steps = (job.steps ?? []) as Yaml[];
      steps.forEach((step, i) => {
        const where = `${file} ${id}: ${step.name ?? step.uses}`;
        const script = String(step.run ?? "").replace(/\s+/g, " ");
        if (/pulumi (preview|up)\b/.test(script) && script.includes("--policy-pack ")) {
          const configFile = /--policy-pack-config "?([^"\s]+)"?/.exec(script)?.[1];
          found.push({ where, configFile, earlier: steps.slice(0, i) });
        }
        if (String(step.uses ?? "").startsWith("pulumi/actions@") && step.with?.policyPacks) {
          found.push({ where, configFile: step.with.policyPackConfigs, earlier: steps.slice(0, i) });
        }
      });
    }
  }
  return found;
}

/** `$RUNNER_TEMP/x` in a script and `${{ runner.temp }}/x` in `with:` are the same file. */
const sameFile = (a: string, b: string) =>
  a.replace("${{ runner.temp }}", "$RUNNER_TEMP") === b.replace("${{ runner.temp }}", "$RUNNER_TEMP");

describe("the policy pack's config in the workflows", () => {
  it("every step that runs the pack passes the config an earlier step wrote from the stack's settings", () => {
    const runs = packRuns();
    // The preview and the deploy run it; the drift check does not (it runs no policy pack).
    expect(runs.map((r) => r.where.split(" ")[0]).sort()).toEqual(["preview.yml", "pulumi-up.yml"]);
    for (const run of runs) {
      expect(run.configFile, `${run.where}: no policy pack config`).toBeDefined();
      const writer = run.earlier.find((step) => {
        const script = String(step.run ?? "");
        const target = /> "?([^"\s]+)"?\s*$/.exec(script.trim())?.[1];
        return (
          /npm run --silent policy-config -- --stack "\$STACK_NAME"/.test(script) &&
          target !== undefined &&
          sameFile(target, run.configFile as string)
        );
      });
      expect(writer, `${run.where}: no earlier step writes ${run.configFile}`).toBeDefined();
    }
  });

  it("the stack the config is written for is the stack the step previews or deploys", () => {
    const preview = workflows.find((w) => w.file === "preview.yml")?.yaml.jobs.preview;
    expect(preview.env.STACK_NAME).toBe("${{ matrix.stack }}");
    expect(preview.env.STACK).toContain("matrix.stack");
    const up = workflows.find((w) => w.file === "pulumi-up.yml")?.yaml.jobs.up;
    const writer = (up.steps as Yaml[]).find((s) => String(s.run ?? "").includes("policy-config"));
    expect(writer?.env.STACK_NAME).toBe("${{ inputs.stack }}");
    expect(up.env.STACK).toContain("inputs.stack");
  });

  it("npm run policy-config writes each example stack's settings into the policies that read them", () => {
    const configOf = (stack: string) =>
      JSON.parse(policyConfigOf(["--stack", stack])) as Record<string, unknown>;
    expect(configOf("dev")).toEqual({ [noPublicLoadBalancer.name]: { allowPublicLoadBalancer: true } });
    expect(configOf("prod")).toEqual({ [noPublicLoadBalancer.name]: { allowPublicLoadBalancer: true } });
    expect(configOf("local")).toEqual({ [noPublicLoadBalancer.name]: { allowPublicLoadBalancer: false } });
    // Every key names a policy of the pack, with a property its schema declares (the CLI rejects others).
    for (const [name, config] of Object.entries(configOf("dev"))) {
      const policy = platformPolicies.find((p) => p.name === name);
      expect(policy, name).toBeDefined();
      expect(Object.keys(policy?.configSchema?.properties ?? {})).toEqual(Object.keys(config as object));
    }
    expect(() => policyConfigOf(["--stack", "staging"])).toThrow("no Pulumi.staging.yaml");
    expect(() => policyConfigOf(["--stack", "../etc"])).toThrow("--stack <stack name> is required");
  });
});
