// Storefront performance: what full instrumentation costs on GET / against a bare Hono app serving the
// same page, how long /metrics takes to render at realistic cardinality, and whether unknown paths add
// series. Each server and each load generator runs in its own process.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, openSync, rmSync } from "node:fs";
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
const tsx = join(repoRoot, "node_modules/.bin/tsx");
const autocannon = join(repoRoot, "node_modules/.bin/autocannon");
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
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
  const child = spawn(tsx, ["--conditions=development", script], {
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

interface LoadResult {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, seconds: number): Promise<LoadResult> {
  const { stdout } = await execFileAsync(
    autocannon,
    ["-j", "-c", String(CONNECTIONS), "-d", String(seconds), url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const r = JSON.parse(stdout);
  return {
    requestsPerSecond: r.requests.average,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function throughput(name: string, url: string) {
  await load(`${url}/`, 3); // JIT warm-up, not reported
  const result = await load(`${url}/`, DURATION_S);
  process.stdout.write(`  ${name}: ${result.requestsPerSecond.toFixed(0)} req/s\n`);
  return result;
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
    `GET / with autocannon -c ${CONNECTIONS} -d ${DURATION_S} (after a 3 s warm-up), one server at a time\n`,
  );
  const simulation = JSON.stringify({
    checkout: { outOfStockRate: 0.1, errorRate: 0.05 },
    products: { errorRate: 0.05 },
  });
  const results: { name: string; load: LoadResult }[] = [];

  const bare = await startServer("bare", join(here, "storefront-bare.ts"));
  results.push({ name: "bare Hono, same page", load: await throughput("bare Hono", bare.url) });
  await bare.stop();

  const mainScript = join(repoRoot, "services/storefront/src/main.ts");
  const quiet = await startServer("storefront-warn", mainScript, {
    LOG_LEVEL: "warn",
    SIMULATION: simulation,
  });
  results.push({
    name: "storefront, LOG_LEVEL=warn",
    load: await throughput("storefront (metrics, no access log)", quiet.url),
  });
  await quiet.stop();

  const full = await startServer("storefront", mainScript, { LOG_LEVEL: "info", SIMULATION: simulation });
  results.push({
    name: "storefront, LOG_LEVEL=info",
    load: await throughput("storefront (metrics and access log)", full.url),
  });

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

  const baseline = results[0]?.load.requestsPerSecond ?? 1;
  const widths = [28, 10, 8, 12, 12, 8];
  const lines = [
    "",
    row(["server (GET /)", "req/s", "ratio", "p50 latency", "p99 latency", "errors"], widths),
    row(
      widths.map((w) => "-".repeat(w)),
      widths,
    ),
    ...results.map(({ name, load: r }) =>
      row(
        [
          name,
          r.requestsPerSecond.toFixed(0),
          (r.requestsPerSecond / baseline).toFixed(3),
          `${r.latencyP50} ms`,
          `${r.latencyP99} ms`,
          r.errors + r.non2xx,
        ],
        widths,
      ),
    ),
    "",
    `Goal: fully instrumented (LOG_LEVEL=info) ≥ ${GOAL} × bare. Measured: ${((results[2]?.load.requestsPerSecond ?? 0) / baseline).toFixed(3)}.`,
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
