/**
 * Right-sizing end to end on the real local platform: after a few minutes of demo traffic, `npm run
 * rightsize` reads what the services' processes used from the real Prometheus, recommends a lower CPU
 * request for the storefront (50m against a few millicores used), `--write` changes the catalogue by exactly
 * the reported edits, and `npm run cost` on the result shows the node-level effect. The tools run in a copy
 * of this checkout (its own git commit, the same node_modules), so the real catalogue is never touched.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { waitFor } from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue } from "../catalogue/services.js";
import { seriesCount } from "../local/check.js";
import { type Platform, startPlatform } from "../local/platform.js";
import { loadLocalSettings, localComponents, portSettingName } from "../local/settings.js";
import { editCatalogueRequests } from "../rightsize/catalogue-edit.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const WINDOW = "2m";
const scratch = mkdtempSync(join(tmpdir(), "rightsize-e2e-"));
const copy = join(scratch, "checkout");
let platform: Platform;
let startedAt = 0;

/** This checkout's files (committed and new, as git lists them) in `dest`, committed there, with node_modules linked. */
async function copyCheckout(dest: string) {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(root, file), join(dest, file), { dereference: false });
  }
  for (const modules of ["node_modules", "infra/node_modules"])
    symlinkSync(join(root, modules), join(dest, modules));
  const git = (...args: string[]) => run("git", args, { cwd: dest });
  await git("init", "-q");
  await git("add", "-A");
  await git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "copy");
}

const npm = async (args: string[]) => {
  const { stdout } = await run("npm", ["run", "-s", ...args], {
    cwd: copy,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 120_000,
  });
  return stdout;
};

beforeAll(async () => {
  const copied = copyCheckout(copy);
  const ports = Object.fromEntries(localComponents(catalogue).map((c) => [portSettingName(c.name), "0"]));
  platform = await startPlatform({
    settings: loadLocalSettings({
      ...ports,
      LOCAL_DATA_DIR: join(scratch, "data"),
      RIGHTSIZE_WINDOW: WINDOW,
    }),
    freshData: true,
    print: () => {},
  });
  startedAt = Date.now();
  await copied;
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("right-sizing on the real local platform", () => {
  it("recommends a lower CPU request for the storefront, writes exactly that, and npm run cost shows the nodes' side", async () => {
    const prometheus = platform.url("prometheus");
    // The window must hold demo traffic only, not the services' start-up (tsx compiling): a window and a bit.
    await waitFor(
      async () =>
        Date.now() - startedAt > 150_000 &&
        (await seriesCount(
          prometheus,
          'platform:rightsize_cpu_recommendation:cores{workload="storefront"}',
        )) > 0,
      { what: "a recommendation for the storefront", timeoutMs: 330_000, intervalMs: 5_000 },
    );
    const costBefore = JSON.parse(await npm(["cost", "--", "--format", "json"]));
    const original = readFileSync(join(copy, "catalogue", "services.ts"), "utf8");
    const report = JSON.parse(
      await npm([
        "rightsize",
        "--",
        "--prometheus",
        prometheus,
        "--window",
        WINDOW,
        "--format",
        "json",
        "--write",
      ]),
    );

    const storefront = report.containers.find((c: { workload: string }) => c.workload === "storefront");
    expect(storefront.catalogue).toBe("storefront");
    expect(storefront.coverage).toBeGreaterThanOrEqual(0.8);
    expect(storefront.cpu).toMatchObject({ current: "50m", verdict: "lower" });
    expect(storefront.cpu.recommendedValue).toBeLessThan(50);
    expect(storefront.cpu.recommendedValue).toBeGreaterThanOrEqual(10);
    expect(storefront.freedMonthlyUsd).not.toBe(0);
    expect(report.edits.storefront.cpu).toBe(storefront.cpu.recommended);

    // The file is the original with exactly the reported edits made, and nothing else.
    const written = readFileSync(join(copy, "catalogue", "services.ts"), "utf8");
    expect(report.written).toBe(true);
    expect(written).toBe(editCatalogueRequests(original, new Map(Object.entries(report.edits))));
    const changed = written.split("\n").filter((line, i) => line !== original.split("\n")[i]);
    expect(changed).toHaveLength(Object.keys(report.edits).length);
    expect(changed.join("\n")).toContain(`cpu: "${storefront.cpu.recommended}"`);

    // npm run cost prices the written catalogue: the storefront's pods at the new request, the same nodes.
    const costAfter = JSON.parse(await npm(["cost", "--", "--format", "json"]));
    const pods = (cost: typeof costAfter) =>
      cost.workloads.find((w: { name: string }) => w.name === "storefront").after;
    expect(pods(costBefore).cpuMillicoresPerPod).toBe(50);
    expect(pods(costAfter).cpuMillicoresPerPod).toBe(storefront.cpu.recommendedValue);
    const [before] = costBefore.capacity;
    const [after] = costAfter.capacity;
    const replicas = (name: string) =>
      costBefore.workloads.find((w: { name: string }) => w.name === name).after.pods as number;
    const cpuDelta = Object.entries(report.edits as Record<string, { cpu?: string }>)
      .filter(([, e]) => e.cpu)
      .reduce((sum, [name, e]) => {
        const row = report.containers.find((c: { catalogue: string }) => c.catalogue === name);
        return sum + (Number.parseInt(e.cpu as string, 10) - row.cpu.currentValue) * replicas(name);
      }, 0);
    expect(after.requested.cpuMillicores - before.requested.cpuMillicores).toBe(cpuDelta);
    expect(after.nodes).toBe(before.nodes);
    // The node-level saving the report states is the capacity model's: no node can go at the minimum of 2.
    expect(report.nodes[0]).toMatchObject({
      neededBefore: before.nodes,
      neededAfter: after.nodes,
      savingMonthlyUsd: 0,
    });
  }, 600_000);
});
