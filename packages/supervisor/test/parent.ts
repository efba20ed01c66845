/**
 * A parent for the parent-death tests: starts one child of each kind, prints their pids as one JSON line
 * and waits to be killed. Started as `child-watches-ipc`, it keeps that promise too: when its own channel
 * closes (the test's worker died) it exits, and its children follow it.
 *   guarded:      `sleep`, under a guard
 *   stubborn:     a shell that ignores SIGTERM and waits on a `sleep` of its own, under a guard
 *   ipc:          a Node program that exits when its IPC channel closes
 */
import { startProcess, waitFor } from "../src/index.js";

process.once("disconnect", () => process.exit(0));
process.channel?.unref();

const watcher = `
  process.once("disconnect", () => process.exit(0));
  process.channel.unref();
  setInterval(() => {}, 1000);
`;
const children = {
  guarded: startProcess("sleep", ["600"]),
  stubborn: startProcess("sh", ["-c", 'trap "" TERM; sleep 600 & wait'], { stopTimeoutMs: 1_000 }),
  ipc: startProcess(process.execPath, ["-e", watcher], { parentDeath: "child-watches-ipc" }),
};
const pids = await waitFor(
  () => {
    const entries = Object.entries(children).map(([name, child]) => [name, child.pid()]);
    return entries.every(([, pid]) => pid !== undefined) ? Object.fromEntries(entries) : undefined;
  },
  { what: "every child to start" },
);
process.stdout.write(`${JSON.stringify(pids)}\n`);
setInterval(() => {}, 1000);
