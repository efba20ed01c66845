import { createLogger, createServiceMetrics, type RunningService, serveService } from "@platform/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp as createStorefront } from "../services/storefront/src/app.js";
import { createApp as createTraffic } from "../services/traffic/src/app.js";
import { DEFAULT_MIX_TEXT, parseMix } from "../services/traffic/src/mix.js";
import { pausedTrafficDeps } from "../services/traffic/src/paused.js";
import { causeIncident, INCIDENTS } from "./incidents.js";

const silent = () => ({
  logger: createLogger({ service: "test", level: "silent" }),
  metrics: createServiceMetrics({ collectDefaults: false }),
});

// The real storefront and traffic generator apps, in process on 127.0.0.1 sockets, as `npm start` reaches them.
const storefront = createStorefront({ ...silent(), admin: { enabled: true } });
const traffic = createTraffic(
  pausedTrafficDeps({
    ...silent(),
    // Not the default, so undoing is seen to put back what ran before, not the default.
    traffic: { mix: { page: 0.5, product: 0.25, checkout: 0.25 } },
    maxRate: 10,
  }),
);
const running: Record<string, RunningService> = {};
const config = { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1_000 };
const urlOf = (component: string) => {
  const service = running[component];
  if (!service) throw new Error(`${component} is not served`);
  return service.url;
};

beforeAll(async () => {
  running.storefront = await serveService(storefront, { config, handleSignals: false });
  running.traffic = await serveService(traffic, { config, handleSignals: false });
});
afterAll(async () => {
  await Promise.all(Object.values(running).map((service) => service.shutdown()));
});

describe("incidents", () => {
  it("checkout-unreachable takes checkouts out of the traffic generator's mix and keeps the rest in proportion", async () => {
    const defaults = parseMix(DEFAULT_MIX_TEXT);
    if (!defaults) throw new Error("the default mix must parse");
    const incident = await causeIncident("checkout-unreachable", urlOf);
    const mix = traffic.mix();
    expect(mix.checkout).toBe(0);
    expect(mix.page + mix.product).toBeCloseTo(1, 12);
    expect(mix.page / mix.product).toBeCloseTo(defaults.page / defaults.product, 3);
    expect(incident.request).toBe(
      `PUT ${urlOf("traffic")}/control ${JSON.stringify(INCIDENTS["checkout-unreachable"].settings)}`,
    );
    // Only the mix was set; undoing puts back the mix that ran before, and nothing else changed.
    expect(traffic.pace.settings()).toEqual({ rate: 0, shape: "steady", periodMs: 0 });
    expect(incident.undoCommand).toBe(
      `curl -X PUT -H 'Content-Type: application/json' -d '{"mix":"page=0.5,product=0.25,checkout=0.25"}' ${urlOf("traffic")}/control`,
    );
    await incident.undo();
    expect(traffic.mix()).toEqual({ page: 0.5, product: 0.25, checkout: 0.25 });
  });

  it("a storefront incident sets its simulation, and undoing puts back the one before", async () => {
    storefront.simulation.replace({ products: { errorRate: 0.01 } });
    const incident = await causeIncident("payment-failure", urlOf);
    expect(storefront.simulation.settings).toEqual(INCIDENTS["payment-failure"].settings);
    expect(incident.undoCommand).toContain(
      `-d '{"products":{"errorRate":0.01}}' ${urlOf("storefront")}/admin/simulation`,
    );
    await incident.undo();
    expect(storefront.simulation.settings).toEqual({ products: { errorRate: 0.01 } });
    storefront.simulation.replace({});
  });

  it("a control that refuses is an error naming the component and its answer", async () => {
    // A storefront started without ADMIN_ENABLED has no /admin/simulation.
    const closed = await serveService(createStorefront(silent()), { config, handleSignals: false });
    try {
      await expect(causeIncident("revenue-drop", () => closed.url)).rejects.toThrow(
        /GET \/admin\/simulation on storefront answered 404/,
      );
    } finally {
      await closed.shutdown();
    }
  });
});
