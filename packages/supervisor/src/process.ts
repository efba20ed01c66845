import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { GUARD, TSX_LOADER } from "./paths.js";

/**
 * How a child learns that this process died, whichever way it died (SIGKILL included):
 * - `guard`: a small guard process runs the child and ends it (any program: Prometheus, npm, …);
 * - `child-watches-ipc`: the child watches its IPC channel itself and exits when it closes, as every
 *   service built on the service kit does (`serveService`), so it needs no guard.
 */
export type ParentDeath = "guard" | "child-watches-ipc";

export interface ProcessOptions {
  /** Added to this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Append the child's output to this file instead of capturing it. */
  logFile?: string;
  /** Most characters of captured output kept, the last ones (default 1 MiB): a chatty child grows nothing. */
  keepOutput?: number;
  parentDeath?: ParentDeath;
  /** How long `stop()` waits after its signal before it kills (default 10 s). */
  stopTimeoutMs?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartedProcess {
  child: ChildProcess;
  /** The program's own pid (under a guard: the guarded program's, once it runs). */
  pid(): number | undefined;
  /** Captured output, standard output and error interleaved, its last `keepOutput` characters ("" with a log file). */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it) once the process ended. */
  exited: Promise<number | null>;
  /** How it ended, or undefined while it runs. */
  status(): ExitStatus | undefined;
  /** Sends a signal and resolves with the exit code once the process ended; kills it after the timeout. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

const DEFAULT_KEEP_OUTPUT = 1024 * 1024;

/** A TypeScript entry point run by Node itself with tsx's loader: signals reach the program, not a wrapper. */
export function typescriptCommand(script: string, args: string[] = []): [string, string[]] {
  return [process.execPath, ["--import", TSX_LOADER, "--conditions=development", script, ...args]];
}

/** This process's environment with `env` laid over it (undefined removes a name), and the guard's grace. */
function childEnvironment(
  env: Record<string, string | undefined>,
  graceMs: number | undefined,
): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  if (graceMs !== undefined) childEnv.SUPERVISOR_GRACE_MS = String(graceMs);
  return childEnv;
}

/** The last `keepOutput` characters a child wrote. */
function outputCapture(keepOutput: number): { capture: (text: string) => void; output: () => string } {
  let captured = "";
  return {
    // Trimmed once twice the bound is reached, so each character is copied at most once more.
    capture(text) {
      captured += text;
      if (captured.length > 2 * keepOutput) captured = captured.slice(-keepOutput);
    },
    output: () => captured.slice(-keepOutput),
  };
}

/**
 * Starts a child process that never outlives this one: `stop()` ends it (escalating to SIGKILL), and
 * if this process dies first the child follows (see {@link ParentDeath}).
 */
export function startProcess(command: string, args: string[], options: ProcessOptions = {}): StartedProcess {
  const {
    env = {},
    cwd,
    logFile,
    parentDeath = "guard",
    stopTimeoutMs = 10_000,
    keepOutput = DEFAULT_KEEP_OUTPUT,
  } = options;
  const guarded = parentDeath === "guard";
  const childEnv = childEnvironment(env, guarded ? stopTimeoutMs : undefined);
  const fd = logFile === undefined ? undefined : openSync(logFile, "a");
  const out = fd ?? "pipe";
  const child = spawn(guarded ? process.execPath : command, guarded ? [GUARD, command, ...args] : args, {
    cwd,
    env: childEnv,
    stdio: ["ignore", out, out, "ipc"],
  });
  if (fd !== undefined) closeSync(fd);

  const { capture, output } = outputCapture(keepOutput);
  child.stdout?.on("data", (chunk) => capture(String(chunk)));
  child.stderr?.on("data", (chunk) => capture(String(chunk)));
  let programPid = guarded ? undefined : child.pid;
  child.on("message", (message: { type?: string; pid?: number }) => {
    if (guarded && message?.type === "started") programPid = message.pid;
  });
  // A child that exits while its parent still sends would otherwise crash the parent with EPIPE.
  child.on("error", () => {});

  let status: ExitStatus | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code, signal) => {
      status = { code, signal };
      resolve(code);
    });
    child.once("error", (err) => {
      if (child.pid !== undefined || status) return;
      capture(`cannot start ${command}: ${err.message}\n`);
      status = { code: 127, signal: null };
      resolve(127);
    });
  });

  const killHard = () => {
    if (guarded && programPid !== undefined) {
      try {
        process.kill(-programPid, "SIGKILL");
      } catch {
        // its group is gone already
      }
    }
    child.kill("SIGKILL");
  };

  return {
    child,
    pid: () => programPid,
    output,
    exited,
    status: () => status,
    async stop(signal = "SIGTERM", timeoutMs = stopTimeoutMs) {
      if (status) return status.code;
      if (guarded && child.connected) {
        // The guard passes the signal on to the program's group (SIGKILL too, which it cannot receive).
        child.send({ type: "signal", signal });
      } else if (signal === "SIGKILL") {
        killHard();
      } else {
        child.kill(signal);
      }
      // A guard kills its program itself after the same timeout; the margin lets it do so first.
      const timer = setTimeout(killHard, timeoutMs + (guarded ? 2_000 : 0));
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
