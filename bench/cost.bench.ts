// The cost diff on generated previews of 2,000 and 20,000 resources and of 100,000 pods: CPU time and peak
// memory of reading, parsing, pricing, the capacity fit and the comment (and the JSON report as well), against
// reading, parsing and re-serialising the same file (the baseline), each in a process of its own so each peak
// is its own (goal: under 10 × the baseline's CPU time with the report; the 100,000 pods, a small file, under
// one second); and the dev stack's whole estimate under Pulumi's mocks, cold and warm.
//
// Steady state against steady state: the baseline is native code, fast from its first round, while the engine's
// JavaScript is still being compiled for a few seconds of running (at 2,000 resources its rounds fell from 220
// to 50 ms over the first thirty). Each process therefore warms up for WARM_UP_CPU_MS of CPU before its measured
// rounds; the first run of each process, what the command line pays running once, is printed beside.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadShippedPriceTable } from "@platform/prices";
import {
  type CostConfig,
  costConfig,
  costOfPreview,
  type PreviewDigest,
  parsePreview,
  renderEstimate,
  renderMarkdown,
} from "pulumi-cost";
import { resourcesUnderMocks } from "../infra/cost/run-program.js";
import { estimateOfStack } from "../infra/cost/stack-estimate.js";
import { loadUsage } from "../infra/cost/template-config.js";
import {
  DEPLOYMENT,
  deployment,
  largePreview,
  NODE_GROUP,
  nodeGroup,
  preview,
  step,
} from "../packages/pulumi-cost/test/fixtures.js";

const ROUNDS = 15;
const MIN_WARM_UPS = 2;
const WARM_UP_CPU_MS = 3_000;
const GOAL_RATIO = 10;
const monthStart = new Date("2026-12-01T00:00:00Z");

/** 100 Deployments of 1,000 pods on one node group that may grow to 6,000 m6i.large nodes. */
function hundredThousandPods(): PreviewDigest {
  const steps = [
    step("same", NODE_GROUP, "nodes", nodeGroup("m6i.large", 10, 6000), nodeGroup("m6i.large", 10, 6000)),
  ];
  for (let i = 0; i < 100; i++) {
    const app = deployment(`app-${i}`, 1000, { cpu: "100m", memory: "128Mi" });
    steps.push(step("same", DEPLOYMENT, `app-${i}`, app, app));
  }
  return preview(steps);
}

/** The goal of a case: a ratio to the baseline, or, for a small file of many pods, CPU time. */
const CASES: { name: string; make: () => PreviewDigest; goal: { ratio: number } | { ms: number } }[] = [
  { name: "2,000 resources", make: () => largePreview(2_000), goal: { ratio: GOAL_RATIO } },
  { name: "20,000 resources", make: () => largePreview(20_000), goal: { ratio: GOAL_RATIO } },
  { name: "100,000 pods", make: hundredThousandPods, goal: { ms: 1_000 } },
];

const cpuMs = (run: () => void): number => {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** What the CLI does with a preview file: read, check, price and write the comment; then the JSON report too. */
function costDiff(file: string, config: CostConfig, report: boolean): void {
  const table = loadShippedPriceTable();
  const preview = parsePreview(readFileSync(file, "utf8"));
  const options = { preview, config, table, monthStart, format: "markdown" as const };
  const { estimate } = costOfPreview(options);
  if (report) renderEstimate(estimate, { format: "json", config });
}

function baseline(file: string): void {
  JSON.stringify(JSON.parse(readFileSync(file, "utf8")));
}

interface Measured {
  /** the median of the measured rounds */
  cpuMs: number;
  /** the process's first run, before anything was compiled for it */
  firstMs: number;
  peakMiB: number;
}

/** In a child process: the first run, warm-ups up to WARM_UP_CPU_MS, then the median of ROUNDS runs. */
function child(mode: string, file: string): void {
  const config = costConfig({ region: "us-east-1", usage: loadUsage("dev").section });
  const run = mode === "baseline" ? () => baseline(file) : () => costDiff(file, config, mode === "report");
  const firstMs = cpuMs(run);
  let warmUps = 1;
  for (let spent = firstMs; warmUps < MIN_WARM_UPS || spent < WARM_UP_CPU_MS; warmUps++) spent += cpuMs(run);
  const rounds = Array.from({ length: ROUNDS }, () => cpuMs(run));
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const measured: Measured = { cpuMs: median(rounds), firstMs, peakMiB };
  process.stdout.write(JSON.stringify(measured));
}

function measure(mode: string, file: string): Measured {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=development", self, "--child", mode, file],
    { encoding: "utf8", maxBuffer: 1 << 20, timeout: 600_000 },
  );
  if (result.status !== 0) throw new Error(`${mode} on ${file} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Measured;
}

async function wholeStack(): Promise<void> {
  console.log("\nwhole-stack estimate of dev under mocks (runProgramUnderMocks + estimateStack + markdown)");
  console.log("| run | CPU ms | wall ms |");
  console.log("| --- | ---: | ---: |");
  for (const label of ["cold (loads the program and the Pulumi SDK)", "warm (second run in the process)"]) {
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const { resources } = await resourcesUnderMocks("dev");
    renderMarkdown(estimateOfStack("dev", resources, { monthStart }));
    const cpu = process.cpuUsage(cpuStart);
    console.log(
      `| ${label} | ${((cpu.user + cpu.system) / 1000).toFixed(0)} | ${(performance.now() - wallStart).toFixed(0)} |`,
    );
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cost-bench-"));
  let missed = 0;
  try {
    console.log(
      `cost diff, median CPU of ${ROUNDS} rounds after ${WARM_UP_CPU_MS / 1000} s of warm-up; peak RSS of each process (MiB)`,
    );
    console.log("comment: read, check, price, capacity, the comment; + report: the JSON report as well");
    console.log(
      "first run: CPU ms of each process's first round (baseline / comment / + report), as a single command pays",
    );
    console.log(
      "| preview | size MB | baseline CPU ms | comment CPU ms | × | + report CPU ms | × | first run | baseline peak | comment peak | + report peak | goal |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const { name, make, goal } of CASES) {
      const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
      const text = JSON.stringify(make());
      writeFileSync(file, text);
      const base = measure("baseline", file);
      const comment = measure("comment", file);
      const report = measure("report", file);
      const ratio = (m: { cpuMs: number }) => m.cpuMs / base.cpuMs;
      const met = "ratio" in goal ? ratio(report) < goal.ratio : report.cpuMs < goal.ms;
      if (!met) missed++;
      const target = "ratio" in goal ? `< ${goal.ratio} ×` : `< ${goal.ms} ms`;
      console.log(
        `| ${name} | ${(text.length / 1e6).toFixed(1)} | ${base.cpuMs.toFixed(0)} | ${comment.cpuMs.toFixed(0)} | ${ratio(comment).toFixed(1)} | ${report.cpuMs.toFixed(0)} | ${ratio(report).toFixed(1)} | ${base.firstMs.toFixed(0)} / ${comment.firstMs.toFixed(0)} / ${report.firstMs.toFixed(0)} | ${base.peakMiB.toFixed(0)} | ${comment.peakMiB.toFixed(0)} | ${report.peakMiB.toFixed(0)} | ${target}: ${met ? "met" : "MISSED"} |`,
      );
    }
    console.log(`goals: ${missed === 0 ? "met" : `MISSED in ${missed} case(s)`}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await wholeStack();
  if (missed > 0) process.exitCode = 1;
}

const childAt = process.argv.indexOf("--child");
if (childAt >= 0) child(process.argv[childAt + 1] ?? "", process.argv[childAt + 2] ?? "");
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
