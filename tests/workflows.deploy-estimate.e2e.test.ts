// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireTool } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { runProgramUnderMocks } from "../infra/under-mocks/mocks.js";
import { job, root, run, runOf, scratchDir, steps, type Yaml } from "./workflows-support.js";

/** The deploy records the stack's estimate where Prometheus reads it. */
const scratch = scratchDir();

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
