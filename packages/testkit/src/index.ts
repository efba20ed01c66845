import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { requireTool } from "@platform/supervisor";

const execFileAsync = promisify(execFile);

// Tests start processes, wait and look for tools with the same supervisor as the local runner.
export {
  freePort,
  portIsFree,
  requireTool,
  type StartedProcess,
  startProcess,
  typescriptCommand,
  waitFor,
} from "@platform/supervisor";

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

interface ProcessRow {
  pid: number;
  ppid: number;
  /** `ps` state; Z is a zombie (ended, not yet reaped). */
  state: string;
}

async function processTable(): Promise<ProcessRow[]> {
  const { stdout } = await execFileAsync("ps", ["-A", "-o", "pid=,ppid=,stat="]);
  return stdout
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid, state]) => ({ pid: Number(pid), ppid: Number(ppid), state: state ?? "" }));
}

/** Every process below `pid` (children, their children, …), from `ps` (Linux and macOS). */
export async function descendantsOf(pid: number): Promise<number[]> {
  const rows = await processTable();
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const row of rows) {
      if (row.ppid === parent && !found.includes(row.pid)) {
        found.push(row.pid);
        walk(row.pid);
      }
    }
  };
  walk(pid);
  return found;
}

/** Those of `pids` that still run (zombies count as ended). */
export async function stillRunning(pids: number[]): Promise<number[]> {
  const rows = await processTable();
  return pids.filter((pid) => rows.some((row) => row.pid === pid && !row.state.startsWith("Z")));
}
