/** The kit's expositions pass `promtool check metrics` (the real promtool, a child process). */
import { promtoolCheckMetrics } from "@platform/testkit";
import { describe, expect, it } from "vitest";
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
