import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "@platform/service-kit";
import { sample, waitFor } from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { parseCliArgs, UsageError } from "./cli-options.js";
import { loadTrafficConfig } from "./config.js";
import { startTraffic } from "./engine.js";
import type { Mix } from "./mix.js";
import { pausedTrafficDeps } from "./paused.js";
import { createPace, NIGHT_MULTIPLIER, shapeMultiplier } from "./shape.js";

const HOUR = 3_600_000;
const MIDNIGHT = Date.parse("2026-12-01T00:00:00Z");

describe("shapes", () => {
  it("diurnal follows the UTC clock: night at a tenth, noon at the full rate", () => {
    const at = (hours: number) => shapeMultiplier("diurnal", 24 * HOUR, 0, MIDNIGHT + hours * HOUR);
    expect(at(0)).toBe(NIGHT_MULTIPLIER);
    expect(at(12)).toBeCloseTo(1, 12);
    expect(at(6)).toBeCloseTo(0.55, 12);
    expect(at(18)).toBeCloseTo(0.55, 12);
    expect(at(24)).toBeCloseTo(NIGHT_MULTIPLIER, 12);
  });

  it("dip halves and surge doubles the rate in the middle third of each period", () => {
    const period = 9 * 60_000;
    for (const [minute, dip, surge] of [
      [0, 1, 1],
      [2.9, 1, 1],
      [3, 0.5, 2],
      [5.9, 0.5, 2],
      [6, 1, 1],
      [9, 1, 1],
      [12.5, 0.5, 2],
    ] as const) {
      expect(shapeMultiplier("dip", period, minute * 60_000, 0), `dip at ${minute}m`).toBe(dip);
      expect(shapeMultiplier("surge", period, minute * 60_000, 0), `surge at ${minute}m`).toBe(surge);
    }
    expect(shapeMultiplier("steady", 0, 12345, 0)).toBe(1);
  });

  it("a pace changes rate and shape while it runs; a new shape starts its cycle then", () => {
    let now = MIDNIGHT;
    const pace = createPace({ rate: 5, shape: "steady", periodMs: 0 }, () => now);
    expect(pace.rateNow()).toBe(5);
    now += 10 * 60_000;
    expect(pace.change({ shape: "surge" })).toEqual({ rate: 5, shape: "surge", periodMs: 10 * 60_000 });
    expect(pace.rateNow()).toBe(5);
    now += 4 * 60_000;
    expect(pace.rateNow()).toBe(10);
    pace.change({ rate: 0 });
    expect(pace.rateNow()).toBe(0);
    // The rate alone does not restart the cycle.
    pace.change({ rate: 2 });
    expect(pace.rateNow()).toBe(4);
  });
});

/** A storefront stand-in that counts what it is sent, and the checkouts among it. */
function countingTarget(): Promise<{
  server: Server;
  url: string;
  hits: () => number;
  checkouts: () => number;
}> {
  let hits = 0;
  let checkouts = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits++;
    if (req.method === "POST" && req.url === "/api/checkout") checkouts++;
    res.setHeader("Content-Type", "application/json");
    res.end(req.url === "/api/products" ? JSON.stringify([{ id: "notebook", price: 19.99 }]) : "{}");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        hits: () => hits,
        checkouts: () => checkouts,
      }),
    ),
  );
}

describe("rate 0 and changes while running", () => {
  let target: Awaited<ReturnType<typeof countingTarget>>;
  beforeAll(async () => {
    target = await countingTarget();
  });
  afterAll(() => new Promise<void>((done) => target.server.close(() => done())));

  it("rate 0 sends nothing; raising it starts traffic at once; 0 stops it again", async () => {
    let rate = 0;
    const run = startTraffic(
      {
        target: target.url,
        rate: () => rate,
        concurrency: 2,
        mix: { page: 1, product: 0, checkout: 0 },
        seed: 1,
        badCheckoutRate: 0,
        durationMs: 20_000,
      },
      () => {},
    );
    const start = target.hits();
    await new Promise((done) => setTimeout(done, 1_500));
    expect(target.hits()).toBe(start);
    rate = 50;
    run.retune();
    await waitFor(() => target.hits() >= start + 20, {
      what: "20 requests after the rate rose",
      timeoutMs: 5_000,
    });
    rate = 0;
    run.retune();
    // What was in flight finishes; then nothing more is started.
    await new Promise((done) => setTimeout(done, 300));
    const stopped = target.hits();
    await new Promise((done) => setTimeout(done, 1_500));
    expect(target.hits()).toBe(stopped);
    await run.stop();
  }, 15_000);

  it("reads the mix before every request: a changed mix takes effect at once", async () => {
    let mix: Mix = { page: 1, product: 0, checkout: 0 };
    const hits = target.hits();
    const checkouts = target.checkouts();
    const run = startTraffic(
      {
        target: target.url,
        rate: 100,
        concurrency: 2,
        mix: () => mix,
        seed: 2,
        badCheckoutRate: 0,
        durationMs: 20_000,
      },
      () => {},
    );
    try {
      await waitFor(() => target.hits() >= hits + 30, { what: "30 page requests", timeoutMs: 5_000 });
      expect(target.checkouts()).toBe(checkouts);
      mix = { page: 0, product: 0, checkout: 1 };
      await waitFor(() => target.checkouts() >= checkouts + 20, {
        what: "20 checkouts once the mix asks only for them",
        timeoutMs: 5_000,
      });
    } finally {
      await run.stop();
    }
  }, 15_000);
});

describe("the control endpoint", () => {
  let target: Awaited<ReturnType<typeof countingTarget>>;
  let traffic: ReturnType<typeof createApp>;
  beforeAll(async () => {
    target = await countingTarget();
    traffic = createApp(
      pausedTrafficDeps({
        logger: createLogger({ service: "traffic", level: "silent" }),
        traffic: { target: target.url, concurrency: 2, seed: 3 },
      }),
    );
  });
  afterAll(async () => {
    await traffic.stop();
    await new Promise<void>((done) => target.server.close(() => done()));
  });

  const put = (body: string) =>
    traffic.app.request("/control", { method: "PUT", body, headers: { "Content-Type": "application/json" } });

  it("shows the pace, and RATE=0 means off", async () => {
    const res = await traffic.app.request("/control");
    expect(await res.json()).toEqual({
      rate: 0,
      shape: "steady",
      period: "0ms",
      rateNow: 0,
      mix: "page=1,product=0,checkout=0",
    });
    const metrics = await (await traffic.app.request("/metrics")).text();
    expect(sample(metrics, "traffic_target_requests_per_second")).toBe(0);
    expect(sample(metrics, 'traffic_shape_info{shape="steady"}')).toBe(1);
  });

  it("changes rate and shape while traffic runs", async () => {
    traffic.start();
    const before = target.hits();
    await new Promise((done) => setTimeout(done, 1_000));
    expect(target.hits()).toBe(before);
    const res = await put(JSON.stringify({ rate: 10, shape: "dip", period: "90s" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rate: 10, shape: "dip", period: "90s", rateNow: 10 });
    await waitFor(() => target.hits() >= before + 5, {
      what: "traffic after PUT /control",
      timeoutMs: 5_000,
    });
    const metrics = await (await traffic.app.request("/metrics")).text();
    expect(sample(metrics, "traffic_target_requests_per_second")).toBe(10);
    expect(sample(metrics, 'traffic_shape_info{shape="dip"}')).toBe(1);
    expect((await put(JSON.stringify({ rate: 0 }))).status).toBe(200);
  });

  it("changes the mix while traffic runs, at once, and shows it", async () => {
    traffic.start();
    const res = await put(JSON.stringify({ rate: 20, shape: "steady", mix: "page=1,checkout=3" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rate: 20, mix: "page=0.25,product=0,checkout=0.75" });
    expect(await (await traffic.app.request("/control")).json()).toMatchObject({
      mix: "page=0.25,product=0,checkout=0.75",
    });
    const checkouts = target.checkouts();
    await waitFor(() => target.checkouts() >= checkouts + 10, {
      what: "checkouts once the mix asks for them",
      timeoutMs: 5_000,
    });
    // Back to listings only: what is in flight finishes (at most `concurrency` checkouts), then no checkout.
    expect((await put(JSON.stringify({ mix: "page=1" }))).status).toBe(200);
    const hits = target.hits();
    await waitFor(() => target.hits() >= hits + 10, {
      what: "10 requests after the change",
      timeoutMs: 5_000,
    });
    const settled = target.checkouts();
    await waitFor(() => target.hits() >= hits + 40, { what: "30 requests more", timeoutMs: 5_000 });
    expect(target.checkouts()).toBe(settled);
    expect((await put(JSON.stringify({ rate: 0 }))).status).toBe(200);
  });

  it("refuses a bad body with a 400 naming the field, and changes nothing", async () => {
    await put(JSON.stringify({ rate: 3, shape: "steady", mix: "page=1" }));
    const before = await (await traffic.app.request("/control")).json();
    for (const [body, field] of [
      ["{not json", "malformed_json"],
      [JSON.stringify({ rate: 21 }), "rate"],
      [JSON.stringify({ rate: -1 }), "rate"],
      [JSON.stringify({ rate: "5" }), "rate"],
      [JSON.stringify({ shape: "sawtooth" }), "shape"],
      [JSON.stringify({ period: "0s" }), "period"],
      [JSON.stringify({ period: "soon" }), "period"],
      [JSON.stringify({ burst: true }), "burst"],
      [JSON.stringify({}), "at least one"],
      [JSON.stringify({ mix: "browse=1" }), "mix"],
      [JSON.stringify({ mix: "page=0,checkout=0" }), "mix"],
      [JSON.stringify({ mix: "page=-1,checkout=2" }), "mix"],
      [JSON.stringify({ mix: { page: 1 } }), "mix"],
      // A good rate and shape beside a bad mix: nothing of it is applied.
      [JSON.stringify({ rate: 7, shape: "surge", mix: "checkout" }), "mix"],
      [JSON.stringify({ mix: "checkout=1", rate: 99 }), "rate"],
    ] as const) {
      const res = await put(body);
      expect(res.status, body).toBe(400);
      const answer = (await res.json()) as { error?: string; problems?: string[] };
      expect(JSON.stringify(answer), body).toContain(field);
      if (field === "mix") {
        expect(answer.error, body).toBe("invalid_control");
        expect(
          answer.problems?.some((p) => p.startsWith("mix: ")),
          body,
        ).toBe(true);
      }
    }
    expect(traffic.pace.settings()).toEqual({ rate: 3, shape: "steady", periodMs: 0 });
    expect(await (await traffic.app.request("/control")).json()).toEqual(before);
    await put(JSON.stringify({ rate: 0 }));
  });

  it("answers only requests addressed to this machine: a rebound name gets a 421 and changes nothing", async () => {
    const before = await (await traffic.app.request("/control")).json();
    const rebound = { Host: "rebound.example:8082", "Content-Type": "application/json" };
    const res = await traffic.app.request("/control", {
      method: "PUT",
      body: JSON.stringify({ rate: 20, mix: "checkout=1" }),
      headers: rebound,
    });
    expect(res.status).toBe(421);
    expect(await res.json()).toMatchObject({ error: "not_this_machine" });
    expect((await traffic.app.request("/control", { headers: rebound })).status).toBe(421);
    expect(await (await traffic.app.request("/control")).json()).toEqual(before);
    // Prometheus scrapes by the pod's address in a cluster: the kit's /metrics answers any Host.
    expect((await traffic.app.request("/metrics", { headers: rebound })).status).toBe(200);
  });
});

describe("settings", () => {
  it("RATE=0 is off; a rate above MAX_RATE, a shape or period it cannot follow are refused", () => {
    expect(loadTrafficConfig({ RATE: "0" }).RATE).toBe(0);
    expect(loadTrafficConfig({ SHAPE: "diurnal" }).SHAPE_PERIOD).toBe(24 * HOUR);
    expect(loadTrafficConfig({ SHAPE: "surge", SHAPE_PERIOD: "2m" }).SHAPE_PERIOD).toBe(120_000);
    expect(() => loadTrafficConfig({ RATE: "60" })).toThrow(/RATE \(60\) must not be above MAX_RATE \(50\)/);
    expect(loadTrafficConfig({ RATE: "60", MAX_RATE: "100" }).RATE).toBe(60);
    expect(() => loadTrafficConfig({ SHAPE: "sawtooth" })).toThrow(
      /SHAPE must be one of steady, diurnal, dip, surge/,
    );
    expect(() => loadTrafficConfig({ SHAPE: "dip", SHAPE_PERIOD: "10ms" })).toThrow(
      /SHAPE_PERIOD must be at least/,
    );
  });

  it("the CLI takes a shape and a period", () => {
    const cli = parseCliArgs(["--shape", "surge", "--period", "90s", "--rate", "4"]);
    expect(typeof cli.traffic.rate).toBe("function");
    expect((cli.traffic.rate as () => number)()).toBe(4);
    expect(() => parseCliArgs(["--shape", "sawtooth"])).toThrow(UsageError);
    expect(() => parseCliArgs(["--shape", "dip", "--period", "0s"])).toThrow(/--period must be/);
    expect(parseCliArgs([]).traffic.rate).toBe(10);
  });
});
