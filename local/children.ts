/**
 * The local platform's child processes, by component name: each started with @platform/supervisor (so it
 * dies with the runner, however the runner dies), logging to `<data>/logs/<name>.log`, watched for exits
 * nobody asked for, and stopped in reverse start order.
 */
import { join } from "node:path";
import { type ParentDeath, type StartedProcess, startProcess, waitFor } from "@platform/supervisor";
import { REPO_ROOT } from "./configs.js";

export interface ChildOptions {
  env?: Record<string, string | undefined>;
  parentDeath?: ParentDeath;
}

export class Children {
  private readonly running = new Map<string, StartedProcess>();
  private stopping = false;
  private reportCrash: (message: string) => void = () => {};
  /** Resolves with a message when a child exits on its own (the platform is then broken). */
  readonly crashed = new Promise<string>((resolve) => {
    this.reportCrash = resolve;
  });

  /** `signal`: the start-up was called off; no child starts after it, and every wait for one gives up. */
  constructor(
    private readonly logDir: string,
    private readonly signal?: AbortSignal,
  ) {}

  logOf(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  start(name: string, command: string, args: string[], { env, parentDeath }: ChildOptions = {}) {
    this.signal?.throwIfAborted();
    const child = startProcess(command, args, {
      cwd: REPO_ROOT,
      logFile: this.logOf(name),
      ...(env ? { env } : {}),
      ...(parentDeath ? { parentDeath } : {}),
    });
    this.running.set(name, child);
    void child.exited.then(() => {
      if (!this.stopping && this.running.get(name) === child) {
        this.reportCrash(`${name} exited (${describeExit(child)}); see ${this.logOf(name)}`);
      }
    });
    return child;
  }

  /** Why `name` is not running, when it exited; for waits that should give up at once. */
  exitOf(name: string): string | undefined {
    const child = this.running.get(name);
    return child?.status() ? `exited (${describeExit(child)}); see ${this.logOf(name)}` : undefined;
  }

  /**
   * Waits until `url` answers 2xx; gives up at once when the child exits or the start-up is called off
   * (then with the signal's reason). Resolves with the answer.
   */
  async waitReady(name: string, url: string, timeoutMs: number): Promise<Response> {
    const { signal } = this;
    return waitFor(
      async () => {
        const timeout = AbortSignal.timeout(2_000);
        const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        return res.ok ? res : undefined;
      },
      {
        what: `${name} to answer ${url}`,
        timeoutMs,
        intervalMs: 250,
        failIf: () => (signal?.aborted ? "the start-up was called off" : this.exitOf(name)),
      },
    ).finally(() => signal?.throwIfAborted());
  }

  /** Stops one child on purpose (not a crash). */
  async stop(name: string): Promise<void> {
    const child = this.running.get(name);
    this.running.delete(name);
    await child?.stop();
  }

  /** Stops every child, the last started first: nothing scrapes or alerts about what is already gone. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const name of [...this.running.keys()].reverse()) await this.stop(name);
  }
}

function describeExit(child: StartedProcess): string {
  const status = child.status();
  if (!status) return "running";
  return status.signal ? `signal ${status.signal}` : `code ${status.code}`;
}
