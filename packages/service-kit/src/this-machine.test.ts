import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { createServiceMetrics } from "./metrics.js";
import { serveService } from "./serve.js";
import { createServiceKit } from "./server.js";
import { addressesThisMachine, thisMachineOnly } from "./this-machine.js";

function guardedKit() {
  const kit = createServiceKit({
    name: "test",
    logger: createLogger({ service: "test", level: "silent" }),
    metrics: createServiceMetrics({ collectDefaults: false }),
  });
  kit.app.use("*", thisMachineOnly());
  kit.app.get("/secret", (c) => c.json({ secret: true }));
  return kit;
}

describe("addressesThisMachine", () => {
  it.each(["127.0.0.1:3000", "localhost:3000", "LOCALHOST:3000", "[::1]:3000"])("takes %s", (host) => {
    expect(addressesThisMachine(host, 3000)).toBe(true);
    expect(addressesThisMachine(host)).toBe(true);
  });

  it.each([
    ["another name", "evil.example:3000"],
    ["a name that only starts like this machine's", "localhost.evil.example:3000"],
    ["a name that ends like it", "evil127.0.0.1:3000"],
    ["another port", "127.0.0.1:3001"],
    ["no port (80)", "localhost"],
    ["another loopback address", "127.0.0.2:3000"],
    ["an IPv6 address that is not ::1", "[::2]:3000"],
    ["user info", "evil.example@127.0.0.1:3000"],
    ["nothing", ""],
    ["no header", undefined],
  ])("refuses %s", (_what, host) => {
    expect(addressesThisMachine(host, 3000)).toBe(false);
  });
});

describe("thisMachineOnly", () => {
  it("answers this machine's names in process and refuses another with a 421 JSON error", async () => {
    const { app } = guardedKit();
    expect((await app.request("/secret")).status).toBe(200);
    expect((await app.request("/secret", { headers: { Host: "[::1]:8083" } })).status).toBe(200);
    const refused = await app.request("/secret", { headers: { Host: "rebound.example:8083" } });
    expect(refused.status).toBe(421);
    expect(await refused.json()).toMatchObject({ error: "not_this_machine" });
  });

  it("over a socket, requires the port the connection came in on", async () => {
    const running = await serveService(guardedKit(), {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1_000 },
      handleSignals: false,
    });
    try {
      const get = (host?: string) =>
        new Promise<number>((done, fail) => {
          const req = request(
            { host: "127.0.0.1", port: running.port, path: "/secret", headers: host ? { Host: host } : {} },
            (res) => {
              res.resume();
              done(res.statusCode ?? 0);
            },
          );
          req.on("error", fail);
          req.end();
        });
      expect(await get()).toBe(200); // Node sends 127.0.0.1:<port>
      expect(await get(`localhost:${running.port}`)).toBe(200);
      expect(await get(`localhost:${running.port + 1}`)).toBe(421);
      expect(await get(`rebound.example:${running.port}`)).toBe(421);
    } finally {
      await running.shutdown();
    }
  });
});
