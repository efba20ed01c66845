/**
 * The local runner under faults, as a user runs it (`npm start`): its command line, SIGKILL of the runner,
 * SIGTERM and SIGKILL of npm, once the platform runs and while it is still starting. After each, within
 * 5 s no process it started is left and every port is free, and the next `npm start` comes up on the
 * same ports.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ParentDeath } from "@platform/supervisor";
import {
  descendantsOf,
  freePort,
  portIsFree,
  type StartedProcess,
  startProcess,
  stillRunning,
  waitFor,
} from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue, servicesIn } from "../catalogue/services.js";
import { localComponents, portSettingName } from "../local/settings.js";

const repoRoot = join(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "runner-faults-"));
const started: StartedProcess[] = [];
const npm = (args: string[], env: Record<string, string> = {}, parentDeath: ParentDeath = "guard") => {
  const proc = startProcess("npm", args, { cwd: repoRoot, env: { LOG_LEVEL: "warn", ...env }, parentDeath });
  started.push(proc);
  return proc;
};
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop("SIGKILL")));
  rmSync(dataDir, { recursive: true, force: true });
});

const noStackTrace = (text: string) => !/^\s+at .+[(:]/m.test(text) && !text.includes("node:internal");

describe("npm start's command line", () => {
  it("prints the usage on --help and exits 0", async () => {
    const help = npm(["start", "--", "--help"]);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain("Usage: npm start [-- options]");
    expect(help.output()).toContain("STOREFRONT_PORT (8080)");
  });

  it.each(["--nope", "--check=yes", "--incident flood", "extra"])(
    "prints the usage on %s and exits 2, without a stack trace",
    async (line) => {
      const bad = npm(["start", "--", ...line.split(" ")]);
      expect(await bad.exited).toBe(2);
      expect(bad.output()).toContain("Usage: npm start [-- options]");
      expect(noStackTrace(bad.output()), bad.output()).toBe(true);
    },
  );

  it("prints no escape or invisible character of a bad argument back to the terminal", async () => {
    const bad = npm(["start", "--", "--incident", "\u001b[2J\u001b]0;owned\u0007\u3164flood"]);
    expect(await bad.exited).toBe(2);
    // npm echoes the command line itself (its "> node local/start.ts …" line); the runner's own line is safe.
    const ours = bad
      .output()
      .split("\n")
      .filter((line) => line.startsWith("npm start:"));
    expect(ours).toEqual([expect.stringContaining('Unknown incident "[2J]0;ownedflood"')]);
    for (const line of ours) expect(line).not.toMatch(/[\p{Cc}\u3164]/u);
  });
});

describe("the runner under faults", () => {
  const env: Record<string, string> = {
    LOCAL_DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: "",
    TELEGRAM_CHAT_ID: "",
  };
  const ports: number[] = [];
  beforeAll(async () => {
    // Fixed ports, so the second start must find exactly these free again.
    for (const { name } of localComponents(catalogue)) {
      const port = await freePort();
      env[portSettingName(name)] = String(port);
      ports.push(port);
    }
  });

  /** Starts `npm start` and waits for "Running."; resolves with npm's pid and the runner's. */
  async function running(parentDeath: ParentDeath = "guard") {
    const proc = npm(["start"], env, parentDeath);
    await waitFor(() => proc.output().includes("Running."), {
      what: "npm start to come up",
      timeoutMs: 120_000,
      intervalMs: 250,
      failIf: () => exitedEarly(proc),
    });
    return processesOf(proc);
  }

  const exitedEarly = (proc: StartedProcess) =>
    proc.status() ? `npm start exited:\n${proc.output()}` : undefined;

  /** npm's pid, the runner's, and every process below npm now. */
  async function processesOf(proc: StartedProcess) {
    const npmPid = proc.pid() ?? (proc.child.pid as number);
    const runner = await runnerOf(npmPid);
    return { proc, npmPid, runner, everything: [npmPid, ...(await descendantsOf(npmPid))] };
  }

  /**
   * Starts `npm start` and waits until its first service is ready, while the runner is still starting the
   * rest (before "Running."); resolves with npm's pid and the runner's.
   */
  async function startingUp(parentDeath: ParentDeath = "guard") {
    // A ready answer must come from this start, not from what an earlier test left behind.
    await nothingLeft([], "every port to be free before npm start");
    const proc = npm(["start"], env, parentDeath);
    const probes = servicesIn("local", catalogue).map(
      (s) => `http://127.0.0.1:${env[portSettingName(s.name)]}${s.probes.readiness}`,
    );
    await waitFor(
      async () => {
        for (const probe of probes) {
          const res = await fetch(probe, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
          if (res?.ok) return true;
        }
        return false;
      },
      {
        what: "the first service of npm start to be ready",
        timeoutMs: 120_000,
        intervalMs: 50,
        failIf: () => exitedEarly(proc),
      },
    );
    const processes = await processesOf(proc);
    expect(proc.output(), "still starting").not.toContain("Running.");
    return processes;
  }

  /** The pid of the node process running local/start.ts below npm. */
  async function runnerOf(npmPid: number): Promise<number> {
    for (const pid of await descendantsOf(npmPid)) {
      const { stdout } = await promisify(execFile)("ps", ["-o", "args=", "-p", String(pid)]).catch(() => ({
        stdout: "",
      }));
      if (stdout.includes("local/start.ts")) return pid;
    }
    throw new Error("no runner process below npm");
  }

  async function nothingLeft(pids: number[], what: string) {
    await waitFor(
      async () => {
        if ((await stillRunning(pids)).length > 0) return false;
        for (const port of ports) if (!(await portIsFree(port))) return false;
        return true;
      },
      { what, timeoutMs: 5_000, intervalMs: 100 },
    ).catch(async (err) => {
      const left = await stillRunning(pids);
      const busy = [];
      for (const port of ports) if (!(await portIsFree(port))) busy.push(port);
      throw new Error(`${(err as Error).message}; left: ${left.join(", ")}; busy ports: ${busy.join(", ")}`);
    });
  }

  it("SIGKILL of the runner: within 5 s no child is left and every port is free", async () => {
    const { npmPid, runner, everything } = await running();
    const children = everything.filter((pid) => pid !== runner && pid !== npmPid);
    // The services, Prometheus, Alertmanager and their guards at least.
    expect(children.length).toBeGreaterThanOrEqual(5);
    process.kill(runner, "SIGKILL");
    await nothingLeft(children, "every child of the killed runner to end");
  }, 180_000);

  it("then a second npm start comes up on the same ports, and SIGTERM to npm stops everything", async () => {
    const { proc, npmPid, everything } = await running();
    expect(proc.output()).toMatch(/storefront\s+running/);
    process.kill(npmPid, "SIGTERM");
    await nothingLeft(everything, "npm and everything it started to end after SIGTERM");
    expect(proc.output()).toContain("Stopped.");
  }, 180_000);

  it("SIGKILL of npm: the runner notices it is orphaned and stops everything", async () => {
    // npm as a terminal starts it, without a guard: nobody but the runner itself can clean up.
    const { npmPid, everything } = await running("child-watches-ipc");
    process.kill(npmPid, "SIGKILL");
    await waitFor(async () => (await stillRunning(everything)).length === 0, {
      what: "the orphaned runner to stop the platform",
      timeoutMs: 15_000,
    }).catch(async (err) => {
      const left = await stillRunning(everything);
      const { stdout } = await promisify(execFile)("ps", ["-o", "pid,ppid,stat,args", "-p", left.join(",")]);
      throw new Error(`${(err as Error).message}\n${stdout}`);
    });
    await nothingLeft(everything, "every port free");
  }, 180_000);

  it("SIGKILL of the runner while it starts: within 5 s no child is left and every port is free", async () => {
    const { npmPid, runner, everything } = await startingUp();
    process.kill(runner, "SIGKILL");
    await nothingLeft(
      everything.filter((pid) => pid !== npmPid),
      "every child of the runner killed during start-up to end",
    );
  }, 180_000);

  it("SIGKILL of npm while the runner starts: within 5 s the runner stopped everything", async () => {
    const { npmPid, everything } = await startingUp("child-watches-ipc");
    process.kill(npmPid, "SIGKILL");
    await nothingLeft(everything, "the runner orphaned during start-up to stop everything");
  }, 180_000);

  it("SIGTERM to npm while the runner starts: within 5 s everything has stopped", async () => {
    const { proc, npmPid, everything } = await startingUp();
    process.kill(npmPid, "SIGTERM");
    await nothingLeft(everything, "npm and everything it started to end after SIGTERM during start-up");
    expect(proc.output()).toContain("Stopped.");
    expect(proc.output()).not.toContain("Running.");
  }, 180_000);
});
