import { createLogger } from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { createSimulatorApp, type SimulatorStats } from "./app.js";

const quiet = createLogger({ service: "cost-explorer-simulator", level: "silent" });
const call = (app: ReturnType<typeof createSimulatorApp>["kit"]["app"], target: string) =>
  app.request("/", {
    method: "POST",
    body: "{}",
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target },
  });
const statsOf = async (app: ReturnType<typeof createSimulatorApp>["kit"]["app"]) =>
  (await (await app.request("/_simulator/stats")).json()) as SimulatorStats;

describe("the simulator's record of the X-Amz-Target values it saw", () => {
  it("keeps each distinct target once, within a count, the oldest dropped first", async () => {
    const { kit } = createSimulatorApp({ logger: quiet, keepTargets: { maxEntries: 3, maxBytes: 10_000 } });
    for (const name of ["A", "B", "A", "C", "D", "E", "E"])
      await call(kit.app, `AWSInsightsIndexService.${name}`);
    const stats = await statsOf(kit.app);
    expect(stats.targets).toEqual(["C", "D", "E"].map((n) => `AWSInsightsIndexService.${n}`));
    expect(stats.targetsDropped).toBe(2);
    expect(stats.total).toBe(7);
  });

  it("keeps them within a byte budget, so 4 KB targets by the thousand cannot grow it", async () => {
    const { kit } = createSimulatorApp({ logger: quiet });
    for (let i = 0; i < 2_000; i++) {
      const res = await call(
        kit.app,
        `AWSInsightsIndexService.${String(i).padStart(6, "0")}${"x".repeat(4_066)}`,
      );
      expect(res.status).toBe(400);
    }
    const res = await kit.app.request("/_simulator/stats");
    const text = await res.text();
    expect(text.length).toBeLessThan(70_000);
    const stats = JSON.parse(text) as SimulatorStats;
    expect(stats.total).toBe(2_000);
    expect(stats.targets.length).toBeLessThan(20);
    expect(stats.targets.at(-1)).toContain("001999");
    expect(stats.targetsDropped).toBe(2_000 - stats.targets.length);
  });
});
