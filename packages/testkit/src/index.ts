import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** A port that was free a moment ago on 127.0.0.1 (for servers that cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const INSTALL_HINTS: Record<string, string> = {
  promtool: "install the Debian package `prometheus` (apt-get install prometheus), or run `npm run setup`",
  prometheus: "install the Debian package `prometheus` (apt-get install prometheus), or run `npm run setup`",
  alertmanager:
    "install the Debian package `prometheus-alertmanager` (apt-get install prometheus-alertmanager), or run `npm run setup`",
  amtool:
    "install the Debian package `prometheus-alertmanager` (apt-get install prometheus-alertmanager), or run `npm run setup`",
};

/** Alternative binary names: Debian ships Alertmanager as `prometheus-alertmanager`. */
const ALIASES: Record<string, string[]> = {
  alertmanager: ["alertmanager", "prometheus-alertmanager"],
};

/**
 * The absolute path of a tool on PATH. A missing tool is a test failure with an install hint,
 * never a skipped test.
 */
export async function requireTool(name: string): Promise<string> {
  for (const candidate of ALIASES[name] ?? [name]) {
    try {
      const { stdout } = await execFileAsync("sh", ["-c", `command -v ${candidate}`]);
      const path = stdout.trim();
      if (path) return path;
    } catch {
      // try the next name
    }
  }
  throw new Error(`Required tool '${name}' is not on PATH: ${INSTALL_HINTS[name] ?? `install ${name}`}.`);
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 100, what = "condition" } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
  );
}

export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  /** Sends a signal and resolves with the exit code once the process ended. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts a child process, capturing its output; `stop()` never leaves it running. */
export function startProcess(
  command: string,
  args: string[],
  { env = {}, cwd }: { env?: Record<string, string>; cwd?: string } = {},
): StartedProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let captured = "";
  child.stdout?.on("data", (chunk) => {
    captured += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    captured += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => captured,
    exited,
    async stop(signal = "SIGTERM", timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs `promtool check metrics` on an exposition; resolves with its complaints (empty when clean). */
export async function promtoolCheckMetrics(exposition: string): Promise<string> {
  const promtool = await requireTool("promtool");
  return new Promise((resolve, reject) => {
    const child = spawn(promtool, ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code === 0 ? out.trim() : `exit ${code}: ${out.trim()}`));
    child.stdin.end(exposition);
  });
}

/** Counts the series (sample lines) of one metric family in an exposition. */
export function countSeries(exposition: string, metric?: string): number {
  return exposition
    .split("\n")
    .filter((line) => line && !line.startsWith("#") && (!metric || line.startsWith(metric))).length;
}

/** Reads one sample's value from an exposition, e.g. sample(text, 'app_revenue_total'). */
export function sample(exposition: string, series: string): number | undefined {
  for (const line of exposition.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1).split(" ")[0]);
  }
  return undefined;
}
