// @ts-check
/**
 * Runs one program and ends it when the process that started this guard dies, however it dies (SIGKILL
 * included). Started only by `startProcess` (process.ts) as `node guard.js <command> [args…]`, for
 * programs that cannot watch their parent themselves (Prometheus, Alertmanager, Grafana, npm).
 *
 * The lifeline is the IPC channel to the supervisor: the kernel closes it when the supervisor's process
 * ends, and Node reports that as `disconnect`. The program runs in a process group of its own, so a
 * signal reaches whatever it started too, and a Ctrl-C in the terminal reaches the supervisor only,
 * which then stops its children in order.
 *
 * Plain JavaScript, type-checked by tsc (checkJs): it runs once per guarded program and must start
 * without a TypeScript loader (half the memory, no esbuild child of its own).
 */
import { spawn } from "node:child_process";

/** After the parent died nobody waits for a graceful stop: SIGTERM, then SIGKILL after this long. */
const ORPHAN_GRACE_MS = 3_000;

const [command, ...args] = process.argv.slice(2);
const graceMs = Number(process.env.SUPERVISOR_GRACE_MS) || 10_000;
const env = { ...process.env };
delete env.SUPERVISOR_GRACE_MS;

if (!command || !process.send) {
  process.stderr.write("guard.js is started by @platform/supervisor's startProcess, with an IPC channel\n");
  process.exit(2);
}

const program = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env, detached: true });

/** @param {NodeJS.Signals} signal */
function signalGroup(signal) {
  if (program.pid === undefined) return;
  try {
    process.kill(-program.pid, signal);
  } catch {
    // the group is gone already
  }
}

/** @type {NodeJS.Timeout | undefined} */
let escalation;
/**
 * @param {NodeJS.Signals} signal
 * @param {number} grace
 */
function end(signal, grace) {
  signalGroup(signal);
  if (signal !== "SIGKILL" && escalation === undefined) {
    escalation = setTimeout(() => signalGroup("SIGKILL"), grace);
  }
}

program.once("spawn", () => process.send?.({ type: "started", pid: program.pid }));
program.once("error", (err) => {
  process.stderr.write(`cannot start ${command}: ${err.message}\n`);
  process.exit(127);
});
/** Whether any process of the program's group is still there. */
function groupAlive() {
  if (program.pid === undefined) return false;
  try {
    process.kill(-program.pid, 0);
    return true;
  } catch {
    return false;
  }
}

program.once("exit", async (code, signal) => {
  clearTimeout(escalation);
  // Whatever the program left behind in its group goes with it: asked first, since it may be a
  // supervisor of its own that needs a moment to stop its children (the local runner under npm).
  if (groupAlive()) {
    signalGroup("SIGTERM");
    const deadline = Date.now() + graceMs;
    while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    signalGroup("SIGKILL");
  }
  if (signal) {
    // End the same way, so the supervisor sees what happened to the program.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    setTimeout(() => process.exit(128), 1_000).unref();
  } else {
    process.exit(code ?? 1);
  }
});

for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT", "SIGHUP"])) {
  process.on(signal, () => end(signal, graceMs));
}
process.on("message", (/** @type {{ type?: string; signal?: NodeJS.Signals }} */ message) => {
  if (message?.type === "signal" && message.signal) end(message.signal, graceMs);
});
process.once("disconnect", () => end("SIGTERM", Math.min(graceMs, ORPHAN_GRACE_MS)));
