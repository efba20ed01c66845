import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startSimulator } from "@platform/price-list-simulator";
import { AWS_PRICE_TABLE } from "@platform/prices";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The engine as another Pulumi project uses it: packed into one tarball, installed with `npm install <tgz>` in
 * an empty directory outside this repository, and run on a preview nobody here generated (`foreign/`, written
 * by hand in `pulumi preview --json --show-sames`'s format: project "shop", stack "production", resources in
 * eu-west-1 through the default provider, in eu-central-1 and ap-northeast-1 through explicit ones, types the
 * engine prices and types it does not). Every figure below is worked out by hand from the checked-in prices.
 */
const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "pulumi-cost-foreign-"));
const project = join(scratch, "project");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
const cost = (args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Result> =>
  run(join(project, "node_modules", ".bin", "pulumi-cost"), args, {
    cwd: project,
    env,
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }),
  );

beforeAll(async () => {
  const { stdout } = await run("node", [join(here, "..", "scripts", "pack.mjs"), scratch], {
    timeout: 180_000,
  });
  const tarball = stdout.trim().split("\n").pop() as string;
  const { mkdirSync } = await import("node:fs");
  mkdirSync(project);
  // An empty directory outside the repository: only the tarball and its registry dependencies.
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball], {
    cwd: project,
    timeout: 180_000,
  });
  for (const file of ["production.preview.json", "pulumi-cost.yaml"]) {
    copyFileSync(join(here, "foreign", file), join(project, file));
  }
}, 360_000);

// Before: NAT gateway $0.048 × 730 = $35.04, its IPv4 $3.65, EKS $73.00, node group 2 × m6i.large $0.107 × 730
// = $156.22 + 2 × 50 GiB × $0.088 = $8.80, scratch gp2 100 GiB × $0.11 = $11.00, old IPv4 $3.65, archive in
// eu-central-1 500 GiB × $0.0952 = $47.60: $338.96. After: the node group at 3 ($234.33 + $13.20), scratch gp3
// $8.80, old IPv4 gone, the NLB $0.0252 × 730 = $18.40, the claim 20 GiB × $0.088 = $1.76, the Ingress `web`
// (class alb) an ALB $0.0252 × 730 = $18.40 (its public addresses not known: no tagged subnet), the bastion in
// ap-northeast-1 t3.micro $0.0136 × 730 = $9.93, the PostgreSQL db.t3.micro in eu-west-1 $0.02 × 730 = $14.60
// and its 20 GB of gp2 × $0.127 = $2.54 (AWS's pricing-page data): $481.25, +$142.29 (142.29 ÷ 338.96 = 41.98%,
// shown as 42%). Still "at least": the ALB's public addresses are not known.
describe("pulumi-cost installed from its tarball into another project", () => {
  it("installs nothing of this repository but the engine, its bundled price table and the decimal rule", () => {
    const manifest = JSON.parse(
      readFileSync(join(project, "node_modules", "pulumi-cost", "package.json"), "utf8"),
    );
    expect(manifest.bundleDependencies).toEqual([
      "@platform/numbers",
      "@platform/price-facts",
      "@platform/prices",
    ]);
    expect(Object.keys(manifest.exports["."])).toEqual(["types", "default"]);
  });

  it("prices the project's preview with its own settings: totals, regions, hedging, guardrail", async () => {
    const { code, stdout } = await cost(["production.preview.json", "--at", "2026-12-01"]);
    expect(code).toBe(3);
    expect(stdout.split("\n")[0]).toBe("**Monthly cost will rise by $142.29 (+42%), to at least $481.25**");
    expect(stdout).toContain(
      "Stack `production` in ap-northeast-1, eu-central-1, eu-west-1, at on-demand list prices",
    );
    expect(stdout).toContain("28 resources: 12 priced, 3 usage-based only, 13 free.");
    expect(stdout).toContain(
      "❌ Over stack `production`'s cost guardrail: the monthly increase of +$142.29 is above the stack's guardrail of $75.00. The preview check fails until a maintainer adds the `spend-approved` label.",
    );
    expect(stdout).toContain(
      "⚠️ $481.25 is above the stack's monthly budget of $400.00 (the shop's FinOps plan).",
    );
    expect(stdout).toContain("3 × m6i.large × 730 h × $0.107/h = $234.33");
    // the instance in Tokyo, at Tokyo's price
    expect(stdout).toContain("t3.micro × 730 h × $0.0136/h = $9.93");
    // the database's storage, the function and the table at eu-west-1's prices (AWS's pricing-page data)
    for (const line of [
      "gp2 storage: 20 GB × 1 month × $0.127/month = $2.54",
      "| requests | `thumbnails` | $0.0000002 per request | no usage given |",
      "| write request units | `sessions` | $0.000000705 per write request unit | no usage given |",
    ]) {
      expect(stdout).toContain(line);
    }
    expect(stdout).toContain("| **total** | | | **$338.96** | **≥ $481.25** | **+$142.29** |");
    expect(stdout).toContain("ALB × 730 h × $0.0252/h = $18.40");
    expect(stdout).toContain("internet-facing ALB: its public IPv4 addresses (one per subnet) are not known");
    expect(stdout).toContain("1,000 GB × $0.048/GB = $48.00 (natGateway.dataProcessedGb)");
  });
});

describe("pulumi-cost in another project, with its settings and without them", () => {
  it("reports each resource's region in JSON, and passes once a maintainer approved", async () => {
    const { code, stdout } = await cost([
      "production.preview.json",
      "--at",
      "2026-12-01",
      "--format",
      "json",
      "--approved-by",
      "mona",
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.totals).toEqual({
      before: "338.96",
      after: "481.25",
      change: "142.29",
      changePercent: "42",
      atLeast: true,
    });
    const regionOf = (name: string) =>
      report.resources.find((r: { name: string }) => r.name === name)?.region;
    expect([regionOf("nat-a"), regionOf("archive"), regionOf("bastion"), regionOf("web-lb")]).toEqual([
      "eu-west-1",
      "eu-central-1",
      "ap-northeast-1",
      "eu-west-1",
    ]);
    expect(report.stack).toBe("production");
    expect(report.guardrail).toMatchObject({ over: true, passes: true, approvedBy: "mona" });
  });

  it("without a configuration: no guardrail, no budget, no usage estimate, and nothing of this template", async () => {
    rmSync(join(project, "pulumi-cost.yaml"));
    const { code, stdout } = await cost(["production.preview.json", "--at", "2026-12-01"]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe("**Monthly cost will rise by $142.29 (+42%), to at least $481.25**");
    // the guardrail's and the budget's own words (a cited source's file name may say "budget")
    expect(stdout).not.toMatch(/guardrail|budget of|of budget/i);
    expect(stdout).toContain("Usage-based charges, not in the total (no usage configured: unit prices only)");
    // this repository's settings: its label, stacks, budget, usage file, settings namespace, files
    for (const leak of [
      "cost-approved",
      "Pulumi.dev",
      "platform:",
      "infra/",
      "usage.yaml",
      "$300.00",
      "$50.00",
      "`dev`",
    ]) {
      expect(stdout, leak).not.toContain(leak);
    }
  });

  it("refuses a broken preview with exit 2, naming what is wrong", async () => {
    const { code, stderr } = await cost(["no-such-preview.json"]);
    expect(code).toBe(2);
    expect(stderr).toContain("cannot read the preview file no-such-preview.json");
  });
});

describe("pulumi-cost --live-prices in another project", () => {
  it("asks the AWS Price List API for what its table lacks, with the SDK its tarball installs", async () => {
    const simulator = await startSimulator();
    try {
      // The project's own table, without Tokyo: the bastion's t3.micro is asked of the API.
      const regions = Object.fromEntries(
        Object.entries(AWS_PRICE_TABLE.regions).filter(([region]) => region !== "ap-northeast-1"),
      );
      writeFileSync(join(project, "prices.json"), JSON.stringify({ ...AWS_PRICE_TABLE, regions }));
      const { code, stdout, stderr } = await cost(
        ["production.preview.json", "--at", "2026-12-01", "--prices", "prices.json", "--live-prices"],
        {
          PATH: process.env.PATH,
          AWS_ENDPOINT_URL_PRICING: simulator.running.url,
          AWS_ACCESS_KEY_ID: "AKIDFOREIGNPROJECT",
          AWS_SECRET_ACCESS_KEY: "not-a-secret",
        },
      );
      expect(code).toBe(0);
      expect(stderr).not.toContain("pulumi-cost:");
      // t3.micro in Tokyo, $0.0136 × 730 = $9.93, from the API this time.
      expect(stdout).toContain("t3.micro × 730 h × $0.0136/h = $9.93");
      expect(stdout.split("\n")[0]).toBe("**Monthly cost will rise by $142.29 (+42%), to at least $481.25**");
      expect(simulator.stats.requests.GetProducts).toBeGreaterThan(0);
    } finally {
      await simulator.running.shutdown();
    }
  });
});
