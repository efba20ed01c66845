/**
 * The kit's expositions pass `promtool check metrics` (the real promtool, a child process), and a service
 * process follows its parent even when the parent dies before the service listens.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  promtoolCheckMetrics,
  type StartedProcess,
  startProcess,
  stillRunning,
  typescriptCommand,
  waitFor,
} from "@platform/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { createServiceMetrics } from "./metrics.js";
import { createServiceKit } from "./server.js";

describe("metrics under promtool", () => {
  it("renders HTTP metrics that pass promtool check metrics", async () => {
    const metrics = createServiceMetrics({ collectDefaults: false });
    for (const [status, seconds] of [
      [200, 0.004],
      [500, 0.2],
      [200, 42],
    ] as const) {
      metrics.requestStarted();
      metrics.requestFinished("GET", "/a/:id", status, seconds);
    }
    expect(await promtoolCheckMetrics(await metrics.registry.metrics())).toBe("");
  });

  it("exposes default Node.js metrics that pass promtool check metrics", async () => {
    const kit = createServiceKit({ name: "test", logger: createLogger({ service: "t", level: "silent" }) });
    await kit.app.request("/nope");
    expect(await promtoolCheckMetrics(await (await kit.app.request("/metrics")).text())).toBe("");
  });
});

describe("a service whose parent dies while it starts", () => {
  const dir = mkdtempSync(join(tmpdir(), "service-kit-"));
  const orphans: number[] = [];
  afterAll(async () => {
    for (const pid of await stillRunning(orphans)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("shuts down as soon as it listens, instead of running on under init", async () => {
    const logFile = join(dir, "slow-start.log");
    const [node, args] = typescriptCommand(join(import.meta.dirname, "../test/dies-early.ts"));
    // Without a guard: a guard would end the parent's whole process group, the service included.
    const parent: StartedProcess = startProcess(node, args, {
      env: { LOG_FILE: logFile },
      parentDeath: "child-watches-ipc",
    });
    expect(await parent.exited).toBeNull();
    const { service } = JSON.parse(parent.output().split("\n")[0] ?? "") as { service: number };
    orphans.push(service);
    const log = () => readFileSync(logFile, "utf8");
    // The parent was gone 100 ms after it started the service; the service listened a second later.
    await waitFor(() => log().includes('"listening"'), { what: "the service to listen", timeoutMs: 30_000 });
    await waitFor(async () => (await stillRunning([service])).length === 0, {
      what: "the orphaned service to stop",
      timeoutMs: 5_000,
    });
    expect(log()).toContain("parent process exited");
  }, 60_000);
});
