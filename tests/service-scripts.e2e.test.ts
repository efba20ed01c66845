/**
 * `npm run start -w services/<name>` hands signals through: SIGTERM to npm stops the service (once npm's
 * shell and tsx's relay stayed in between and the service lived on, holding its port).
 */
import { join } from "node:path";
import {
  descendantsOf,
  freePort,
  portIsFree,
  type StartedProcess,
  startProcess,
  stillRunning,
  waitFor,
} from "@platform/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { catalogue, servicesIn } from "../catalogue/services.js";

const repoRoot = join(import.meta.dirname, "..");
const started: StartedProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop("SIGKILL")));
});

describe("npm run start -w services/<name>", () => {
  it.each(servicesIn("local", catalogue).map((s) => s.name))(
    "stops %s on SIGTERM to npm",
    async (name) => {
      const port = await freePort();
      const npm = startProcess("npm", ["run", "start", "-w", `services/${name}`], {
        cwd: repoRoot,
        // Nothing paid, nothing sent anywhere: the exporter on demo data, traffic to a closed port.
        env: {
          PORT: String(port),
          LOG_LEVEL: "warn",
          COST_EXPORTER_MODE: "demo",
          TARGET_URL: "http://127.0.0.1:9",
        },
        // npm as a terminal starts it: no guard that would stop the service for it.
        parentDeath: "child-watches-ipc",
      });
      started.push(npm);
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, {
        what: `${name} to answer`,
        timeoutMs: 30_000,
        failIf: () => (npm.status() ? `npm exited:\n${npm.output()}` : undefined),
      });
      const everything = await descendantsOf(npm.child.pid as number);
      npm.child.kill("SIGTERM");
      await waitFor(async () => (await portIsFree(port)) && (await stillRunning(everything)).length === 0, {
        what: `${name} to stop and free port ${port}`,
        timeoutMs: 15_000,
      });
      expect(await npm.exited).not.toBeUndefined();
    },
    60_000,
  );
});
