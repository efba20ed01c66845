// The cost diff: CPU time to price a generated 2,000-resource `pulumi preview --json` (goal: under one second
// beyond start-up), against parsing and re-serialising the same document in the same run; and the whole-stack
// estimate of the dev stack under Pulumi's mocks, cold (first run in the process) and warm.
import { AWS_PRICE_TABLE, loadPriceTable } from "@platform/prices";
import { classify, estimateChanges, estimateStack } from "../infra/cost/estimate.js";
import { largePreview } from "../infra/cost/fixtures.js";
import { renderMarkdown } from "../infra/cost/markdown.js";
import { changesFromPreview, type PreviewDigest } from "../infra/cost/preview.js";
import { costReportSchema, toReport } from "../infra/cost/report.js";
import { resourcesUnderMocks } from "../infra/cost/run-program.js";
import { loadUsage } from "../infra/cost/usage-file.js";

const RESOURCES = 2_000;
const ROUNDS = 7;
const GOAL_MS = 1_000;
const monthStart = new Date("2026-12-01T00:00:00Z");
const table = loadPriceTable(AWS_PRICE_TABLE);
const usage = loadUsage("dev");

const cpuMs = (run: () => void): number => {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function costDiff(text: string): void {
  const digest = JSON.parse(text) as PreviewDigest;
  const estimate = estimateChanges(changesFromPreview(digest), table, {
    stack: "dev",
    region: "us-east-1",
    usage,
    monthStart,
  });
  renderMarkdown(estimate);
  JSON.stringify(
    costReportSchema.parse(toReport(estimate, { classOf: (r) => classify(r.after ?? r.before) })),
  );
}

function baseline(text: string): void {
  JSON.stringify(JSON.parse(text));
}

async function main(): Promise<void> {
  const text = JSON.stringify(largePreview(RESOURCES));
  costDiff(text); // warm-up: JIT and module state, as a long CLI run would have
  const diff: number[] = [];
  const parse: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    parse.push(cpuMs(() => baseline(text)));
    diff.push(cpuMs(() => costDiff(text)));
  }
  const diffMs = median(diff);
  const parseMs = median(parse);
  console.log(
    `cost diff of a ${RESOURCES.toLocaleString("en-US")}-resource preview (${(text.length / 1e6).toFixed(1)} MB), median of ${ROUNDS} rounds`,
  );
  console.log("| step | CPU ms | × JSON parse + stringify |");
  console.log("| --- | ---: | ---: |");
  console.log(`| JSON.parse + JSON.stringify of the preview (baseline) | ${parseMs.toFixed(1)} | 1.0 |`);
  console.log(
    `| parse, price, capacity, markdown and JSON report | ${diffMs.toFixed(1)} | ${(diffMs / parseMs).toFixed(1)} |`,
  );
  console.log(`goal: under ${GOAL_MS} ms of CPU beyond start-up: ${diffMs < GOAL_MS ? "met" : "MISSED"}`);

  const whole: { label: string; cpu: number; wall: number }[] = [];
  for (const label of ["cold (loads the program and the Pulumi SDK)", "warm (second run in the process)"]) {
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const { resources } = await resourcesUnderMocks("dev");
    const estimate = estimateStack(resources, table, {
      stack: "dev",
      region: "us-east-1",
      usage,
      monthStart,
    });
    renderMarkdown(estimate);
    const cpu = process.cpuUsage(cpuStart);
    whole.push({ label, cpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - wallStart });
  }
  console.log("\nwhole-stack estimate of dev under mocks (runProgramUnderMocks + estimateStack + markdown)");
  console.log("| run | CPU ms | wall ms |");
  console.log("| --- | ---: | ---: |");
  for (const w of whole) console.log(`| ${w.label} | ${w.cpu.toFixed(0)} | ${w.wall.toFixed(0)} |`);
  if (diffMs >= GOAL_MS) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
