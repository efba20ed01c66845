/** The exporter and its simulator as processes, and their exposition under the real promtool. */
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import {
  promtoolCheckMetrics,
  type StartedProcess,
  startProcess,
  typescriptCommand,
} from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestbed } from "../test/support.js";

const repoRoot = join(import.meta.dirname, "../../..");
const started: StartedProcess[] = [];
const run = (script: string, env: Record<string, string>) => {
  const [node, args] = typescriptCommand(join(import.meta.dirname, script));
  const proc = startProcess(node, args, { cwd: repoRoot, env, parentDeath: "child-watches-ipc" });
  started.push(proc);
  return proc;
};
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop("SIGKILL")));
});

describe("cost exporter exposition", () => {
  it("passes promtool check metrics", async () => {
    const bed = await startTestbed({
      now: Date.parse("2024-02-29T15:30:00Z"),
      env: {
        COST_TAG_KEY: "team",
        // The prices and stack series too (price-metrics.ts).
        PRICE_INSTANCE_TYPES: "t3.large,m7i.large",
        STACK_NAME: "dev",
        STACK_RESOURCES: "eks_cluster=1,nat_gateway=1,public_ipv4_address=1,kms_key=1",
        NODE_ROOT_VOLUME: "gp3:50",
        EKS_EXTENDED_SUPPORT_FROM: "2027-08-02",
      },
    });
    try {
      await bed.exporter.collector.refresh();
      const exposition = await bed.scrape();
      expect(exposition).toContain("aws_cost_tag_month_to_date_amount");
      expect(exposition).toContain("aws_price_ec2_instance_vcpu_usd_per_hour");
      expect(exposition).toContain("aws_stack_resources");
      expect(await promtoolCheckMetrics(exposition)).toBe("");
    } finally {
      await bed.close();
    }
  });
});

describe("start-up errors", () => {
  let busy: Server;
  let port: string;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done));
    port = String((busy.address() as { port: number }).port);
  });
  afterAll(() => {
    busy?.close();
  });

  // Both printed an uncaught stack trace on a port in use.
  it.each([
    ["the exporter", "main.ts", "cost-exporter"],
    ["the simulator", "simulator/main.ts", "cost-explorer-simulator"],
  ])("%s on a port in use says so in one line naming PORT, without a stack", async (_, script, name) => {
    const proc = run(script, { PORT: port, COST_EXPORTER_MODE: "demo", LOG_LEVEL: "warn" });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain(
      `${name}: cannot start.\nPort ${port} on 127.0.0.1 is already in use; set PORT to a free port.\n`,
    );
    expect(proc.output()).not.toMatch(/^\s+at /m);
  });

  it("refuses a Cost Explorer endpoint that is not a URL, naming it", async () => {
    const proc = run("main.ts", {
      PORT: "0",
      AWS_ENDPOINT_URL_COST_EXPLORER: "not-a-url",
      LOG_LEVEL: "warn",
    });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toContain("AWS_ENDPOINT_URL_COST_EXPLORER must be an absolute http(s) URL");
  });
});
