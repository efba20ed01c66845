// What this repository's rules cost as the cluster grows. Per size (nodes/pods), a synthetic cluster
// (local/synthetic-cluster.ts: kube-state-metrics, every node's cAdvisor, the cost exporter's prices, with
// churn) is scraped by the real Prometheus with the committed rule files, in the cluster's configuration (30 s
// scrapes and evaluations). Printed per size: each rule group's evaluation time
// (prometheus_rule_group_last_duration_seconds, the median and the largest of the samples taken) as a share of
// its interval, the series each group's recording rules write, Prometheus's memory and head series and the
// scrape times, beside a baseline group evaluated in the same Prometheus on the same data: one plain
// `sum by (namespace) (kube_pod_container_resource_requests)`, the floor any allocation pays.
// Goals: every group of ours under 10% of its interval at 10,000 pods; recorded series grow with workloads,
// never pods × nodes. SCALE_SIZES picks sizes (e.g. `SCALE_SIZES=10/300,500/10000`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { serveService } from "@platform/service-kit";
import { freePort, requireTool, startProcess, waitFor } from "@platform/supervisor";
import { parse, stringify } from "yaml";
import { promDurationMs } from "../alerts/retention.js";
import { createSyntheticClusterServer, SYNTHETIC_PATHS } from "../local/components/synthetic-cluster.js";
import { ruleFiles } from "../local/configs.js";
import { type ClusterSize, syntheticCluster } from "../local/synthetic-cluster.js";

const INTERVAL_SECONDS = 30;
const GOAL_SHARE = 0.1;
const GOAL_PODS = 10_000;
/** Evaluations sampled per size, after the warm-up. */
const SAMPLES = Number(process.env.SCALE_SAMPLES ?? 6);
/** Share of the Deployments' pods replaced every minute, and one Deployment rolled out. */
const CHURN_PER_MINUTE = 0.02;
const BASELINE = {
  group: "baseline",
  record: "bench:kube_pod_container_resource_requests:sum_by_namespace",
  expr: "sum by (namespace) (kube_pod_container_resource_requests)",
};

const SIZES: (ClusterSize & { label: string })[] = [
  { label: "10/300", nodes: 10, pods: 300, workloads: 60, namespaces: 10 },
  { label: "100/3,000", nodes: 100, pods: 3_000, workloads: 600, namespaces: 30 },
  { label: "500/10,000", nodes: 500, pods: 10_000, workloads: 2_000, namespaces: 100 },
  { label: "1,000/30,000", nodes: 1_000, pods: 30_000, workloads: 6_000, namespaces: 200 },
];

interface GroupFigures {
  group: string;
  /** how often Prometheus evaluates it: the group's own `interval`, else the global evaluation interval */
  intervalSeconds: number;
  medianSeconds: number;
  maxSeconds: number;
  records: string[];
  series: number;
  /** Samples one evaluation of its expressions reads (Prometheus's query stats): work that no other load changes. */
  samples: number;
  /** Its expressions' quickest evaluation times through the query API, added up. */
  querySeconds: number;
}
interface SizeFigures {
  size: (typeof SIZES)[number];
  groups: GroupFigures[];
  baseline: GroupFigures;
  rssBytes: number;
  headSeries: number;
  scrapes: { job: string; targets: number; seconds: number; samples: number }[];
  renderMs: number;
  /** The machine's 1-minute load average at the end (2 cores, shared): how much the timings can be trusted. */
  load: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
type Vector = { metric: Record<string, string>; value: [number, string] }[];
/** Evaluations of each expression through the query API; the quickest one counts (the least disturbed). */
const QUERY_ROUNDS = 3;
/** A Prometheus holding 30,000 pods' series on a busy 2-core machine takes over a minute for the slowest rules. */
const QUERY_PATIENCE_MS = 5 * 60_000;

/**
 * What one expression costs now (`stats=all`): the samples it reads (totalQueryableSamples), which no other
 * load changes, and the quickest of QUERY_ROUNDS evaluations (evalTotalTime), the least disturbed by it.
 */
async function exprCost(url: string, expr: string): Promise<{ samples: number; seconds: number }> {
  let seconds = Number.POSITIVE_INFINITY;
  let samples = Number.NaN;
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    const res = await fetch(`${url}/api/v1/query?stats=all&query=${encodeURIComponent(expr)}`, {
      signal: AbortSignal.timeout(QUERY_PATIENCE_MS),
    });
    const body = (await res.json()) as {
      data?: {
        stats?: { samples?: { totalQueryableSamples?: number }; timings?: { evalTotalTime?: number } };
      };
    };
    samples = body.data?.stats?.samples?.totalQueryableSamples ?? Number.NaN;
    seconds = Math.min(seconds, body.data?.stats?.timings?.evalTotalTime ?? Number.NaN);
  }
  if (process.env.SCALE_RULE_STATS) console.log(`  ${seconds.toFixed(3)} s  ${expr.split("\n")[0]}`);
  return { samples, seconds };
}

/** An instant query, with the bench's patience. */
async function query(url: string, q: string): Promise<Vector> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`, {
    signal: AbortSignal.timeout(QUERY_PATIENCE_MS),
  });
  const body = (await res.json()) as { status: string; data: { result: Vector }; error?: string };
  if (body.status !== "success") throw new Error(`${q}: ${body.error ?? res.status}`);
  return body.data.result;
}

function prometheusConfig(inventoryAddress: string, nodes: string[], self: string, rulesDir: string): string {
  const at = (path: string) => ({ targets: [inventoryAddress], labels: { __metrics_path__: path } });
  return stringify({
    global: {
      scrape_interval: `${INTERVAL_SECONDS}s`,
      evaluation_interval: `${INTERVAL_SECONDS}s`,
      scrape_timeout: `${INTERVAL_SECONDS - 5}s`,
    },
    rule_files: [join(rulesDir, "*.rules.yml")],
    scrape_configs: [
      { job_name: "kube-state-metrics", static_configs: [at(SYNTHETIC_PATHS.kubeStateMetrics)] },
      {
        job_name: "kubelet",
        static_configs: nodes.map((node) => ({
          targets: [inventoryAddress],
          labels: { __metrics_path__: `${SYNTHETIC_PATHS.cadvisor}${node}`, instance: node, node },
        })),
      },
      { job_name: "cost-exporter", static_configs: [at(SYNTHETIC_PATHS.prices)] },
      { job_name: "apps", honor_labels: true, static_configs: [at(SYNTHETIC_PATHS.apps)] },
      { job_name: "prometheus", static_configs: [{ targets: [self] }] },
    ],
  });
}

interface Rule {
  expr: string;
  record?: string;
  alert?: string;
}

/** The committed rule files and the baseline group, written where Prometheus loads them; our groups, parsed. */
interface Group {
  name: string;
  interval?: string;
  rules: Rule[];
}

function writeRules(rulesDir: string): Group[] {
  const files = ruleFiles();
  mkdirSync(rulesDir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(rulesDir, file), text);
  const baseline = { name: BASELINE.group, rules: [{ record: BASELINE.record, expr: BASELINE.expr }] };
  writeFileSync(join(rulesDir, "baseline.rules.yml"), stringify({ groups: [baseline] }));
  return Object.values(files).flatMap((text) => (parse(text) as { groups: Group[] }).groups);
}

/** Each group's last evaluation time, sampled once an interval. */
async function sampleDurations(url: string): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  for (let i = 0; i < SAMPLES; i++) {
    for (const row of await query(url, "prometheus_rule_group_last_duration_seconds")) {
      const group = row.metric.rule_group?.split(";").pop() ?? "";
      samples.set(group, [...(samples.get(group) ?? []), Number(row.value[1])]);
    }
    await new Promise((r) => setTimeout(r, INTERVAL_SECONDS * 1000));
  }
  return samples;
}

/** A group's figures: sampled durations, its expressions' cost through the query API, the series it wrote. */
async function groupFigures(
  url: string,
  group: Group,
  durations: Map<string, number[]>,
  counts: Map<string, number>,
): Promise<GroupFigures> {
  const records = [...new Set(group.rules.flatMap((r) => (r.record ? [r.record] : [])))];
  let samples = 0;
  let querySeconds = 0;
  for (const rule of group.rules) {
    const cost = await exprCost(url, rule.expr);
    if (process.env.SCALE_RULE_STATS)
      console.log(`    ${rule.record ?? rule.alert}: ${cost.samples} samples`);
    samples += cost.samples;
    querySeconds += cost.seconds;
  }
  return {
    group: group.name,
    intervalSeconds: group.interval ? promDurationMs(group.interval) / 1000 : INTERVAL_SECONDS,
    medianSeconds: median(durations.get(group.name) ?? []),
    maxSeconds: Math.max(0, ...(durations.get(group.name) ?? [])),
    records,
    series: records.reduce((sum, name) => sum + (counts.get(name) ?? 0), 0),
    samples,
    querySeconds,
  };
}

/** What Prometheus itself reports after the run: memory, head series, and each job's scrapes. */
async function prometheusFigures(url: string) {
  const one = async (q: string) => Number((await query(url, q))[0]?.value[1] ?? Number.NaN);
  const scrapes = [];
  for (const job of ["kube-state-metrics", "kubelet", "apps", "cost-exporter"]) {
    scrapes.push({
      job,
      targets: await one(`count(up{job="${job}"})`),
      seconds: await one(`max(scrape_duration_seconds{job="${job}"})`),
      samples: await one(`sum(scrape_samples_scraped{job="${job}"})`),
    });
  }
  return {
    rssBytes: await one('process_resident_memory_bytes{job="prometheus"}'),
    headSeries: await one("prometheus_tsdb_head_series"),
    scrapes,
  };
}

async function measure(size: (typeof SIZES)[number], prometheus: string): Promise<SizeFigures> {
  const log = (text: string) => console.log(`[${size.label}] ${text}`);
  const cluster = syntheticCluster(size, 1);
  const dir = mkdtempSync(join(tmpdir(), "scale-bench-"));
  const server = createSyntheticClusterServer(cluster);
  const renderMs = await server.refresh();
  const running = await serveService(server, {
    config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 2000 },
    handleSignals: false,
  });
  const ours = writeRules(join(dir, "rules"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodes = cluster.inventory.nodes.map((n) => n.name);
  const config = prometheusConfig(new URL(running.url).host, nodes, `127.0.0.1:${port}`, join(dir, "rules"));
  writeFileSync(join(dir, "prometheus.yml"), config);
  const child = startProcess(prometheus, [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=warn",
  ]);
  const churn = setInterval(() => {
    cluster.churn(CHURN_PER_MINUTE, Date.now());
    void server.refresh();
  }, 60_000);
  try {
    await waitFor(() => fetch(`${url}/-/ready`).then((r) => r.ok), {
      timeoutMs: 60_000,
      what: "Prometheus ready",
    });
    log(
      `${cluster.inventory.pods.length} pods of ${size.workloads} workloads on ${size.nodes} nodes; kube-state-metrics rendered in ${renderMs.toFixed(0)} ms; warming up…`,
    );
    // Two evaluations with every series present: the first scrape of each target, then the rules on it.
    await new Promise((r) => setTimeout(r, (INTERVAL_SECONDS * 2 + 5) * 1000));
    const durations = await sampleDurations(url);
    const counts = new Map(
      (await query(url, 'count by (__name__) ({__name__=~"(platform|job|bench):.+"})')).map((row) => [
        row.metric.__name__ ?? "",
        Number(row.value[1]),
      ]),
    );
    const groups: GroupFigures[] = [];
    for (const g of ours) groups.push(await groupFigures(url, g, durations, counts));
    const baselineGroup = { name: BASELINE.group, rules: [{ record: BASELINE.record, expr: BASELINE.expr }] };
    return {
      size,
      groups,
      baseline: await groupFigures(url, baselineGroup, durations, counts),
      ...(await prometheusFigures(url)),
      renderMs,
      load: loadavg()[0] ?? Number.NaN,
    };
  } finally {
    clearInterval(churn);
    await child.stop();
    await running.shutdown("bench done");
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (seconds: number) => (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1);

function report(f: SizeFigures): boolean {
  const { size } = f;
  console.log(
    `\n### ${size.label} nodes/pods (${size.workloads.toLocaleString("en-US")} workloads, ${size.namespaces} namespaces)`,
  );
  console.log(
    "| rule group | interval | median ms | max ms | max share of interval | × baseline (median) | quickest query ms | × baseline | samples read | × baseline | series written | per workload |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  let met = true;
  for (const g of [...f.groups, f.baseline]) {
    const share = g.maxSeconds / g.intervalSeconds;
    if (g !== f.baseline && size.pods >= GOAL_PODS && share >= GOAL_SHARE) met = false;
    console.log(
      `| ${g === f.baseline ? `baseline: \`${BASELINE.expr}\`` : g.group} | ${g.intervalSeconds} s | ${ms(g.medianSeconds)} | ${ms(g.maxSeconds)} | ${(share * 100).toFixed(2)}% | ${(g.medianSeconds / (f.baseline.medianSeconds || Number.NaN)).toFixed(1)} | ${ms(g.querySeconds)} | ${(g.querySeconds / (f.baseline.querySeconds || Number.NaN)).toFixed(1)} | ${g.samples.toLocaleString("en-US")} | ${(g.samples / (f.baseline.samples || Number.NaN)).toFixed(1)} | ${g.series.toLocaleString("en-US")} | ${(g.series / size.workloads).toFixed(2)} |`,
    );
  }
  console.log(
    `load average ${f.load.toFixed(1)} on ${availableParallelism()} cores; Prometheus: ${(f.rssBytes / 2 ** 20).toFixed(0)} MiB resident, ${f.headSeries.toLocaleString("en-US")} head series; ` +
      f.scrapes
        .map(
          (s) =>
            `${s.job} ${s.targets} target(s), ${s.samples.toLocaleString("en-US")} samples, slowest scrape ${ms(s.seconds)} ms`,
        )
        .join("; "),
  );
  return met;
}

async function main(): Promise<void> {
  const prometheus = await requireTool("prometheus");
  const wanted = process.env.SCALE_SIZES?.split(",").map((s) => s.trim().replace(/,/g, ""));
  const sizes = SIZES.filter((s) => !wanted || wanted.includes(`${s.nodes}/${s.pods}`));
  console.log(
    `rule groups on a synthetic cluster, ${INTERVAL_SECONDS} s scrapes and evaluations, ${SAMPLES} evaluations sampled per size`,
  );
  let met = true;
  for (const size of sizes) {
    const figures = await measure(size, prometheus);
    met = report(figures) && met;
  }
  console.log(
    `\ngoal: every group of ours under ${GOAL_SHARE * 100}% of its interval at ${GOAL_PODS.toLocaleString("en-US")} pods and more: ${met ? "met" : "MISSED"}`,
  );
  if (!met) process.exitCode = 1;
}

await main();
