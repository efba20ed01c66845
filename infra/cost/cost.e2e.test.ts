import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { costReportSchema } from "pulumi-cost";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { NODE_GROUP, nodeGroup, preview, step } from "../../packages/pulumi-cost/test/fixtures";

// `npm run cost` and `npm run inventory` as a person runs them: child processes from the repository root.
const repoRoot = join(__dirname, "..", "..");
const SAMPLE = join(__dirname, "samples", "dev-scale-up.preview.json");
const scratch = mkdtempSync(join(tmpdir(), "cost-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
const run = (script: string, args: string[]): Promise<Result> =>
  promisify(execFile)("npm", ["run", "--silent", script, "--", ...args], {
    cwd: repoRoot,
    timeout: 90_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }),
  );

/** A preview of a never-deployed stack: one node group of 2 × t3.large ($124.67 a month with its volumes). */
function firstDeployPreview(): string {
  const file = join(scratch, "first-deploy.json");
  writeFileSync(
    file,
    JSON.stringify(preview([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.large", 2))])),
  );
  return file;
}

describe("npm run cost", () => {
  it("prints the dev stack's monthly estimate without the program's Telegram warnings", async () => {
    const { code, stdout, stderr } = await run("cost", ["--at", "2026-12-01"]);
    expect(code).toBe(0);
    // control plane $73.00 + nodes $129.47 + NAT $32.85 + its address $3.65 + KMS $1.00 + volumes $4.16, and the
    // storefront's ALB: 730 h × $0.0225 = $16.43 + 2 public subnets × 730 h × $0.005 = $7.30; all priced
    expect(stdout).toMatch(/^\*\*Estimated monthly cost of stack dev: \$267\.86\*\*/);
    expect(stdout).toContain("ALB public IPv4 addresses: 2 × address × 730 h × $0.005/h = $7.30 | $23.73 |");
    // usage apart: logs 5 GB × $0.50 = $2.50 once + KMS $0.06 + NAT data $2.25 + Cost Explorer $2.74 + 1 LCU ×
    // 730 h × $0.008 = $5.84 = $13.39; the long-term store: 36 kept series × 87,600 evaluations = 3,153,600
    // samples × $0.90 per 10M = $0.28, 0.1 GB × $0.03 = $0.00, 20.6 billion query samples × $0.10 = $2.06: $15.73
    expect(stdout).toContain("estimated from infra/cost/usage.yaml: $15.73 a month, not in the total");
    expect(stdout).toContain(
      "| AMP metric samples ingested | `long-term-store-workspace` | $0.90 per 10M samples | 0.31536 × 10M samples × $0.90/10M samples = $0.28 (prometheusWorkspace.samplesIngested) |",
    );
    expect(stdout).toContain(
      "| AMP query samples processed | `long-term-store-workspace` | $0.10 per billion samples | 20.6 × 1B samples × $0.10/billion samples = $2.06 (prometheusWorkspace.querySamplesProcessed) |",
    );
    expect(stdout).toContain("| resource | type | arithmetic | monthly |");
    expect(stdout).toContain("2 × t3.large × 730 h × $0.0832/h = $121.47");
    expect(`${stdout}${stderr}`).not.toMatch(/telegram/i);
  });

  it("shows the program's warnings when asked", async () => {
    const { stderr } = await run("cost", ["--at", "2026-12-01", "--format", "json", "--program-warnings"]);
    expect(stderr).toContain("platform:telegramChatId is not set");
  });

  it("prices the checked-in sample preview, fails its guardrail with exit 3 and says why", async () => {
    const { code, stdout } = await run("cost", ["--preview", SAMPLE, "--stack", "dev", "--at", "2026-12-01"]);
    expect(code).toBe(3);
    // one more t3.large ($60.74) with its 50 GiB gp3 root volume ($4.00)
    expect(stdout).toMatch(/^\*\*Monthly cost will rise by \$64\.74 \(\+10\.8%\), to \$661\.87\*\*/);
    expect(stdout).toContain("the monthly increase of +$64.74 is above the stack's guardrail of $50.00");
    expect(stdout).toContain("a maintainer adds the `cost-approved` label");
  });

  it("passes the same preview once a maintainer approved it, and names who", async () => {
    const { code, stdout } = await run("cost", [
      "--preview",
      SAMPLE,
      "--stack",
      "dev",
      "--approved-by",
      "octocat",
      "--at",
      "2026-12-01",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("approved by @octocat with the `cost-approved` label");
  });

  it("holds a preview to the guardrail and budget of --guardrail-from (the base commit), not the working tree's", async () => {
    // The working tree (a pull request's head) says $50; the base commit says $60, so +$64.74 is over $60.
    const base = join(scratch, "base");
    mkdirSync(join(base, ".github"), { recursive: true });
    writeFileSync(
      join(base, ".github", "stacks.json"),
      JSON.stringify({
        stacks: [
          {
            name: "dev",
            environment: "dev",
            requiresApproval: false,
            pullRequestPreview: true,
            costGuardrail: { monthlyIncreaseUsd: 60 },
          },
        ],
      }),
    );
    // The base's stack file is the real one (the program parses all of it) with another budget.
    const stackFile = parseDocument(readFileSync(join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8"));
    stackFile.setIn(["config", "platform:thresholds", "cost", "monthlyBudgetUsd"], 100);
    writeFileSync(join(base, "Pulumi.dev.yaml"), stackFile.toString());
    const over = await run("cost", [
      "--preview",
      SAMPLE,
      "--stack",
      "dev",
      "--at",
      "2026-12-01",
      "--guardrail-from",
      base,
    ]);
    expect(over.code).toBe(3);
    expect(over.stdout).toContain("the monthly increase of +$64.74 is above the stack's guardrail of $60.00");
    // A never-deployed stack is held to the base commit's budget: $124.67 is over its $100.
    const file = firstDeployPreview();
    const first = await run("cost", [
      "--preview",
      file,
      "--stack",
      "dev",
      "--at",
      "2026-12-01",
      "--format",
      "json",
      "--guardrail-from",
      base,
    ]);
    expect(first.code).toBe(3);
    expect(costReportSchema.parse(JSON.parse(first.stdout)).budget?.monthlyUsd).toBe("100.00");
  }, 60_000);

  it("fails closed, naming --guardrail-from, when the base commit lacks the stack's guardrail files", async () => {
    const empty = join(scratch, "empty-base");
    mkdirSync(empty, { recursive: true });
    const { code, stderr } = await run("cost", [
      "--preview",
      SAMPLE,
      "--stack",
      "dev",
      "--guardrail-from",
      empty,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(`--guardrail-from ${empty}`);
    expect(stderr).toContain(".github/stacks.json does not exist there");
  });

  it("answers in JSON that follows the documented schema, money as cents-exact strings", async () => {
    const { stdout } = await run("cost", [
      "--preview",
      SAMPLE,
      "--format",
      "json",
      "--approved-by",
      "octocat",
      "--at",
      "2026-12-01",
    ]);
    const report = costReportSchema.parse(JSON.parse(stdout));
    expect(report.totals).toMatchObject({
      before: "597.13",
      after: "661.87",
      change: "64.74",
      changePercent: "10.8",
    });
    expect(report.guardrail).toMatchObject({ over: true, approvedBy: "octocat", passes: true });
    const schema = JSON.parse((await run("cost", ["--json-schema"])).stdout) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(schema.properties)).toContain("totals");
  });

  it("says Pulumi.nope.yaml does not exist and lists the stacks there are", async () => {
    const { code, stderr } = await run("cost", ["--stack", "nope"]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "Pulumi.nope.yaml does not exist at the repository root; the stacks there are: dev, local, prod",
    );
    expect(stderr).not.toContain("clusterAdminRoleArns");
  });

  it("says a kind cluster's volumes are not priced, and why", async () => {
    const { code, stdout } = await run("cost", ["--stack", "local", "--at", "2026-12-01"]);
    expect(code).toBe(0);
    expect(stdout).toContain("**Estimated monthly cost of stack local: at least $0.00**");
    expect(stdout).toContain(
      "its volumes are not priced, because they get the cluster's own default StorageClass",
    );
    expect(stdout).not.toContain("gp3 storage");
  });

  it("judges the first preview of a never-deployed stack against the stack's budget, not its increase guardrail", async () => {
    // 2 × 730 h × $0.0832 = $121.47 and 2 × 20 GiB × $0.08 = $3.20: $124.67 from $0, +$124.67 over dev's $50.
    const file = firstDeployPreview();
    const { code, stdout } = await run("cost", [
      "--preview",
      file,
      "--stack",
      "dev",
      "--at",
      "2026-12-01",
      "--format",
      "json",
    ]);
    const report = costReportSchema.parse(JSON.parse(stdout));
    expect(report.totals).toMatchObject({ before: "0.00", after: "124.67" });
    // The budget as the program reads it from Pulumi.dev.yaml (whatever a user set there).
    const budget = Number(report.budget?.monthlyUsd);
    expect(report.guardrail).toMatchObject({ firstDeploy: true, over: 124.67 > budget });
    expect(code).toBe(124.67 > budget ? 3 : 0);
  });

  it("exits 2 naming the file when the preview is missing, empty, not JSON or not a preview", async () => {
    const cases: [string, string | undefined, string][] = [
      ["missing.json", undefined, "cannot read the preview file"],
      ["empty.json", "", "is empty"],
      ["truncated.json", '{"steps": [', "is not JSON"],
      ["diagnostics.json", '{"diagnostics": [{"severity": "error"}]}', 'no "steps"'],
      // pulumi preview --json without --show-sames: only the changes, the rest only counted
      [
        "without-sames.json",
        '{"steps": [{"op": "update", "urn": "urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::nodes"}], "changeSummary": {"update": 1, "same": 88}}',
        "run `pulumi preview --json --show-sames`",
      ],
    ];
    for (const [name, content, problem] of cases) {
      const file = join(scratch, name);
      if (content !== undefined) writeFileSync(file, content);
      const { code, stderr } = await run("cost", ["--preview", file]);
      expect(code, name).toBe(2);
      expect(stderr, name).toContain(file);
      expect(stderr, name).toContain(problem);
    }
    // Five runs of npm run cost, each loading TypeScript: about 17 s alone.
  }, 120_000);

  it("prices a small preview file in JSON", async () => {
    const file = join(scratch, "preview.json");
    writeFileSync(
      file,
      JSON.stringify(preview([step("create", NODE_GROUP, "nodes", undefined, nodeGroup("t3.medium", 2))])),
    );
    const { stdout } = await run("cost", ["--preview", file, "--format", "json"]);
    // 2 × $0.0416 × 730 = $60.74, 2 × 20 GiB × $0.08 = $3.20
    expect(costReportSchema.parse(JSON.parse(stdout)).totals.after).toBe("63.94");
  });
});

describe("npm run inventory", () => {
  it("lists every resource of the stack by component, priced or free", async () => {
    const { code, stdout } = await run("inventory", ["--stack", "prod"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\*\*Inventory of stack prod: \d+ resources: /);
    expect(stdout).toContain("### platform:cluster:EksCluster `cluster`");
    expect(stdout).toContain("| `cluster-nodes` | aws:eks/nodeGroup:NodeGroup | priced |");
    expect(stdout).toContain("| `cluster-control-plane` | aws:iam/role:Role | free |");
  });
});
