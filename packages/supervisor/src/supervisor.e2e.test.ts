import { join } from "node:path";
import { descendantsOf, stillRunning } from "@platform/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { requireTool, type StartedProcess, startProcess, typescriptCommand, waitFor } from "./index.js";

const started: StartedProcess[] = [];
const start = (...args: Parameters<typeof startProcess>) => {
  const proc = startProcess(...args);
  started.push(proc);
  return proc;
};
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop("SIGKILL")));
});

describe("startProcess", () => {
  it("passes the exit code through a guard, and ends by the same signal", async () => {
    expect(await start("sh", ["-c", "echo out; echo err >&2; exit 3"]).exited).toBe(3);
    const killed = start("sh", ["-c", "kill -TERM $$"]);
    expect(await killed.exited).toBeNull();
    expect(killed.status()).toEqual({ code: null, signal: "SIGTERM" });
    const printing = start("sh", ["-c", "echo out; echo err >&2"]);
    await printing.exited;
    expect(printing.output()).toContain("out\n");
    expect(printing.output()).toContain("err\n");
  });

  it("keeps the last keepOutput characters of what a program prints, however much it prints", async () => {
    // 4 MB of numbered lines through a guard: the capture keeps the end, within its bound.
    const chatty = start("sh", ["-c", "seq 1 500000; echo last line"], { keepOutput: 100_000 });
    expect(await chatty.exited).toBe(0);
    const output = chatty.output();
    expect(output.length).toBeLessThanOrEqual(100_000);
    expect(output.length).toBeGreaterThan(50_000);
    expect(output.endsWith("500000\nlast line\n")).toBe(true);
  });

  it("reports a program that does not exist as exit 127, with its name", async () => {
    const missing = start("no-such-program-anywhere", []);
    expect(await missing.exited).toBe(127);
    expect(missing.output()).toContain("cannot start no-such-program-anywhere");
  });

  it("stop() ends a guarded program, and kills one that ignores SIGTERM (its own children too)", async () => {
    const polite = start("sleep", ["600"]);
    await waitFor(() => polite.pid(), { what: "sleep to start" });
    expect(await polite.stop()).toBeNull();
    expect(await stillRunning([polite.pid() as number])).toEqual([]);

    const stubborn = start("sh", ["-c", 'trap "" TERM; sleep 600 & wait'], { stopTimeoutMs: 500 });
    const pid = await waitFor(() => stubborn.pid(), { what: "the shell to start" });
    const inner = await waitFor(async () => (await descendantsOf(pid))[0], { what: "its sleep" });
    await stubborn.stop();
    expect(await stillRunning([pid, inner])).toEqual([]);
  });

  it("stop('SIGKILL') kills the guarded program itself, not only its guard", async () => {
    const sleeper = start("sleep", ["600"]);
    const pid = await waitFor(() => sleeper.pid(), { what: "sleep to start" });
    await sleeper.stop("SIGKILL");
    await waitFor(async () => (await stillRunning([pid])).length === 0, { what: "sleep to end" });
  });

  it("children of every kind end within 5 s when their parent is killed with SIGKILL", async () => {
    const [node, args] = typescriptCommand(join(import.meta.dirname, "../test/parent.ts"));
    const parent = start(node, args, { parentDeath: "child-watches-ipc" });
    const line = await waitFor(
      () =>
        parent
          .output()
          .split("\n")
          .find((l) => l.startsWith("{")),
      {
        what: "the parent to report its children",
        timeoutMs: 30_000,
        failIf: () => (parent.status() ? `parent exited: ${parent.output()}` : undefined),
      },
    );
    const programs = Object.values(JSON.parse(line) as Record<string, number>);
    const parentPid = parent.child.pid as number;
    // Every process below the parent: guards, programs, and the shell's own sleep.
    const everything = await descendantsOf(parentPid);
    expect(everything).toEqual(expect.arrayContaining(programs));
    expect(everything.length).toBeGreaterThanOrEqual(6);

    parent.child.kill("SIGKILL");
    await waitFor(async () => (await stillRunning(everything)).length === 0, {
      what: "every child to end after the parent's SIGKILL",
      timeoutMs: 5_000,
    });
  });

  it("the test parent itself exits when its own channel closes, and its children with it", async () => {
    // As a vitest worker that dies leaves it: nothing of the parent-death test may stay behind.
    const [node, args] = typescriptCommand(join(import.meta.dirname, "../test/parent.ts"));
    const parent = start(node, args, { parentDeath: "child-watches-ipc" });
    await waitFor(() => parent.output().includes("{"), {
      what: "the parent to report its children",
      timeoutMs: 30_000,
      failIf: () => (parent.status() ? `parent exited: ${parent.output()}` : undefined),
    });
    const parentPid = parent.child.pid as number;
    const everything = [parentPid, ...(await descendantsOf(parentPid))];
    parent.child.disconnect();
    await waitFor(async () => (await stillRunning(everything)).length === 0, {
      what: "the parent and its children to end once its channel closed",
      timeoutMs: 5_000,
    });
  });
});

describe("requireTool", () => {
  it("finds a tool on PATH and names the install step of a missing one", async () => {
    expect(await requireTool("sh")).toMatch(/\/sh$/);
    await expect(requireTool("no-such-tool")).rejects.toThrow("Required tool 'no-such-tool' is not on PATH");
    expect(await requireTool("alertmanager")).toMatch(/alertmanager$/);
  });
});
