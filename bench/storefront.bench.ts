// Storefront performance: what full instrumentation costs on GET / against a bare Hono app serving the
// same page, how long /metrics takes to render at realistic cardinality, and whether unknown paths add
// series. Each server and each load generator runs in its own process.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createLogger } from "@platform/service-kit";
import { countSeries, freePort, waitFor } from "@platform/testkit";
import { createApp } from "../services/storefront/src/app.js";
import { CATALOG } from "../services/storefront/src/catalog.js";

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..");
const autocannon = join(repoRoot, "node_modules/.bin/autocannon");
const DURATION_S = Number(process.env.BENCH_DURATION ?? 4);
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GOAL = 0.85;
const scratch = mkdtempSync(join(tmpdir(), "storefront-bench-"));
const children: ChildProcess[] = [];

/** Starts a server on a free port and waits until it answers GET /; its stdout goes to a file. */
async function startServer(name: string, script: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // A file, like a container runtime's log driver would take it; a pipe the bench had to drain would
  // put the bench process on the servers' cores.
  const out = openSync(join(scratch, `${name}.log`), "w");
  // node itself (not the tsx wrapper, which forks) so the pid is the server's and its CPU time readable.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=development", script], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", out, "inherit"],
  });
  children.push(child);
  await waitFor(async () => (await fetch(`${url}/`)).ok, { what: `${name} to listen`, timeoutMs: 20_000 });
  return { url, child, stop: () => stop(child) };
}

function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where there is none. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
// Linux's USER_HZ, 100 on every mainstream architecture.
const CLOCK_TICKS_PER_SECOND = 100;

interface LoadResult {
  requestsPerSecond: number;
  /** Server CPU time per request, in microseconds: unlike throughput, untouched by time stolen from the VM. */
  cpuMicrosPerRequest: number | undefined;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, seconds: number, pid?: number): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(pid);
  const { stdout } = await execFileAsync(
    autocannon,
    ["-j", "-c", String(CONNECTIONS), "-d", String(seconds), url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const r = JSON.parse(stdout);
  const cpuAfter = cpuSeconds(pid);
  return {
    requestsPerSecond: r.requests.average,
    cpuMicrosPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? undefined
        : ((cpuAfter - cpuBefore) * 1e6) / r.requests.total,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The round with the median throughput (its latencies come with it). */
function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error("no load results");
  return middle;
}

/** Drives every route to every answer it gives, so /metrics holds the label sets a busy shop has. */
async function warmLabelCombinations(url: string) {
  const requests: [string, RequestInit?][] = [];
  const checkout = (body: string): RequestInit => ({
    method: "POST",
    body,
    headers: { "Content-Type": "application/json" },
  });
  for (let round = 0; round < 40; round++) {
    const id = CATALOG[round % CATALOG.length]?.id ?? "notebook";
    requests.push(
      ["/"],
      ["/", { method: "HEAD" }],
      [`/products/${id}`],
      ["/products/missing"],
      ["/api/products"],
      [`/api/products/${id}`],
      ["/api/products/missing"],
      ["/api/checkout", checkout(JSON.stringify({ items: [{ productId: id, quantity: 1 + (round % 3) }] }))],
      ["/api/checkout", checkout("{")],
      ["/api/checkout", checkout('{"items":[{"productId":"ghost","quantity":1}]}')],
      ["/api/checkout", checkout("x".repeat(20_000))],
      [`/unknown/${round}`],
      [`/unknown/${round}`, { method: "DELETE" }],
    );
  }
  for (const [path, init] of requests) await (await fetch(url + path, init)).arrayBuffer();
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: at(50), p99: at(99) };
}

async function timeScrapes(url: string, count: number) {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const body = await (await fetch(`${url}/metrics`)).text();
    samples.push(performance.now() - started);
    bytes = body.length;
  }
  return { ...percentiles(samples), bytes };
}

/** Render time alone, in this process: the registry's work without HTTP. */
async function timeInProcessRender(count: number) {
  const storefront = createApp({
    logger: createLogger({ service: "storefront", level: "silent" }),
    simulation: { checkout: { outOfStockRate: 0.1, errorRate: 0.05 }, products: { errorRate: 0.05 } },
  });
  const request = storefront.app.request;
  const requests = [
    "/",
    "/products/notebook",
    "/products/missing",
    "/api/products",
    "/api/products/postcard",
    "/api/products/missing",
    "/unknown",
  ];
  for (let round = 0; round < 40; round++) {
    for (const path of requests) await request(path);
    await request("/api/checkout", {
      method: "POST",
      body: JSON.stringify({ items: [{ productId: "notebook", quantity: 1 }] }),
    });
    await request("/api/checkout", { method: "POST", body: "{" });
  }
  const samples: number[] = [];
  let text = "";
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    text = await storefront.metrics.registry.metrics();
    samples.push(performance.now() - started);
  }
  return { ...percentiles(samples), series: countSeries(text) };
}

const row = (cells: (string | number)[], widths: number[]) =>
  `| ${cells.map((c, i) => String(c).padEnd(widths[i] ?? 10)).join(" | ")} |`;

try {
  process.stdout.write(
    `GET / with autocannon -c ${CONNECTIONS} -d ${DURATION_S}, ${ROUNDS} alternating rounds per server, medians\n`,
  );
  const simulation = JSON.stringify({
    checkout: { outOfStockRate: 0.1, errorRate: 0.05 },
    products: { errorRate: 0.05 },
  });
  // Both servers run side by side, idle until their turn; the rounds alternate between them and each
  // server's median round is reported, so a burst of background load hits both sides alike. The storefront
  // runs as deployed (LOG_LEVEL=info: successful fast requests are counted in metrics, not logged).
  const mainScript = join(repoRoot, "services/storefront/src/main.ts");
  const servers = [
    { name: "bare Hono, same page", server: await startServer("bare", join(here, "storefront-bare.ts")) },
    {
      name: "storefront, LOG_LEVEL=info",
      server: await startServer("storefront", mainScript, { LOG_LEVEL: "info", SIMULATION: simulation }),
    },
  ];
  for (const { server } of servers) await load(`${server.url}/`, 5); // JIT warm-up, not reported
  const rounds: LoadResult[][] = servers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with a different server, so no server always runs right after another one.
    const order = servers.map((_, i) => (i + round) % servers.length);
    for (const i of order) {
      const entry = servers[i];
      if (!entry) continue;
      const { name, server } = entry;
      const result = await load(`${server.url}/`, DURATION_S, server.child.pid);
      rounds[i]?.push(result);
      const cpu = result.cpuMicrosPerRequest;
      process.stdout.write(
        `  round ${round + 1}, ${name}: ${result.requestsPerSecond.toFixed(0)} req/s${
          cpu === undefined ? "" : `, ${cpu.toFixed(1)} µs CPU/request`
        }\n`,
      );
    }
  }
  const results = servers.map(({ name }, i) => ({
    name,
    load: median(rounds[i] ?? []),
    // Each round's throughput over the bare app's in the same round, so drift in the machine's speed
    // between rounds cancels out; the median of those ratios is the figure reported.
    ratio: medianOf(
      (rounds[i] ?? []).map((r, round) => r.requestsPerSecond / (rounds[0]?.[round]?.requestsPerSecond ?? 1)),
    ),
    cpuMicros: medianOf((rounds[i] ?? []).map((r) => r.cpuMicrosPerRequest ?? Number.NaN)),
  }));
  // Requests one core can serve per second, bare over instrumented: the same ratio as throughput on a
  // quiet machine, but computed from CPU time the server actually used, so steal and noise cancel.
  const cpuRatio = (results[0]?.cpuMicros ?? Number.NaN) / (results[1]?.cpuMicros ?? Number.NaN);
  const [bare, storefront] = servers;
  if (!bare || !storefront) throw new Error("both servers must have started");
  await bare.server.stop();
  const full = storefront.server;

  await warmLabelCombinations(full.url);
  const scrape = await timeScrapes(full.url, 500);
  const rendered = await timeInProcessRender(1000);

  await (await fetch(`${full.url}/first-unknown-path`)).arrayBuffer();
  const beforeText = await (await fetch(`${full.url}/metrics`)).text();
  for (let i = 0; i < 2_000; i++) {
    await (await fetch(`${full.url}/random/${i}/${Math.random().toString(36).slice(2)}`)).arrayBuffer();
  }
  const afterText = await (await fetch(`${full.url}/metrics`)).text();
  await full.stop();

  const widths = [28, 10, 8, 14, 10, 12, 12, 8];
  const lines = [
    "",
    row(
      [
        "server (GET /)",
        "req/s",
        "ratio",
        "CPU µs/request",
        "CPU ratio",
        "p50 latency",
        "p99 latency",
        "errors",
      ],
      widths,
    ),
    row(
      widths.map((w) => "-".repeat(w)),
      widths,
    ),
    ...results.map(({ name, load: r, ratio, cpuMicros }) =>
      row(
        [
          name,
          r.requestsPerSecond.toFixed(0),
          ratio.toFixed(3),
          cpuMicros.toFixed(1),
          ((results[0]?.cpuMicros ?? Number.NaN) / cpuMicros).toFixed(3),
          `${r.latencyP50} ms`,
          `${r.latencyP99} ms`,
          r.errors + r.non2xx,
        ],
        widths,
      ),
    ),
    "",
    `Goal: fully instrumented (LOG_LEVEL=info) ≥ ${GOAL} × bare. Measured: ${(results[1]?.ratio ?? 0).toFixed(3)} by throughput (median of per-round ratios), ${cpuRatio.toFixed(3)} by server CPU time per request.`,
    "",
    row(["/metrics at realistic cardinality", "p50", "p99", "size"], [34, 10, 10, 12]),
    row(["-".repeat(34), "-".repeat(10), "-".repeat(10), "-".repeat(12)], [34, 10, 10, 12]),
    row(
      [
        "GET /metrics over HTTP (500×)",
        `${scrape.p50.toFixed(2)} ms`,
        `${scrape.p99.toFixed(2)} ms`,
        `${scrape.bytes} B`,
      ],
      [34, 10, 10, 12],
    ),
    row(
      [
        `registry.metrics() in process (1000×)`,
        `${rendered.p50.toFixed(2)} ms`,
        `${rendered.p99.toFixed(2)} ms`,
        `${rendered.series} series`,
      ],
      [34, 10, 10, 12],
    ),
    "",
    row(["series", "before", "after 2,000 unknown paths"], [34, 10, 26]),
    row(["-".repeat(34), "-".repeat(10), "-".repeat(26)], [34, 10, 26]),
    row(
      ["app_* (the service's own)", countSeries(beforeText, "app_"), countSeries(afterText, "app_")],
      [34, 10, 26],
    ),
    row(["all (incl. Node.js runtime)", countSeries(beforeText), countSeries(afterText)], [34, 10, 26]),
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await Promise.all(children.map(stop));
  rmSync(scratch, { recursive: true, force: true });
}
