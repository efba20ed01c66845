import { createServer, type Server } from "node:net";
import { DEFAULT_PORT } from "@platform/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DURATION_MS, parseCliArgs, UsageError } from "./cli-options.js";
import { DEFAULT_RATE, loadTrafficConfig } from "./config.js";
import { type RequestResult, startTraffic } from "./engine.js";
import { parseMix, pickKind } from "./mix.js";
import { mulberry32 } from "./random.js";
import { percentile } from "./summary.js";

describe("building blocks", () => {
  it("mulberry32 repeats a sequence for a seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(first[0]);
    expect(new Set(first).size).toBeGreaterThan(990);
  });

  it("parses and normalises mixes, rejecting nonsense", () => {
    expect(parseMix("page=2,checkout=2")).toEqual({ page: 0.5, product: 0, checkout: 0.5 });
    for (const bad of ["", "page", "page=-1", "page=0", "browse=1", "page=1=2", "page=x"]) {
      expect(parseMix(bad), bad).toBeUndefined();
    }
    const mix = parseMix("page=0.4,product=0.35,checkout=0.25");
    if (!mix) throw new Error("default mix must parse");
    const random = mulberry32(1);
    const counts = { page: 0, product: 0, checkout: 0 };
    for (let i = 0; i < 10_000; i++) counts[pickKind(mix, random)]++;
    expect(counts.page).toBeGreaterThan(3_700);
    expect(counts.checkout).toBeLessThan(2_800);
  });

  it("computes nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99)]).toEqual([50, 90, 99]);
    expect(percentile([], 50)).toBe(0);
  });

  it("validates CLI arguments and always bounds a run", () => {
    const defaults = parseCliArgs([]).traffic;
    expect(defaults).toMatchObject({
      target: "http://127.0.0.1:8080",
      rate: 10,
      concurrency: 4,
      durationMs: 30_000,
    });
    expect(parseCliArgs(["--requests", "5"]).traffic).toMatchObject({
      maxRequests: 5,
      durationMs: MAX_DURATION_MS,
    });
    expect(parseCliArgs(["--seed", "9", "--json"])).toMatchObject({ json: true, traffic: { seed: 9 } });
    for (const [args, option] of [
      [["--rate", "0"], "--rate"],
      [["--duration", "2h"], "--duration"],
      [["--duration", "soon"], "--duration"],
      [["--requests", "1.5"], "--requests"],
      [["--requests", "2000000"], "--requests"],
      [["--concurrency", "0"], "--concurrency"],
      [["--mix", "page=0"], "--mix"],
      [["--target", "localhost:8080"], "--target"],
      [["--bad-checkouts", "2"], "--bad-checkouts"],
      [["--nope"], "--nope"],
      [["--rate", "0x10"], "--rate"],
      [["--requests", "1e3"], "--requests"],
      [["--concurrency", "0x4"], "--concurrency"],
      [["--seed", "1e3"], "--seed"],
    ] as const) {
      expect(() => parseCliArgs([...args]), args.join(" ")).toThrow(UsageError);
      expect(() => parseCliArgs([...args])).toThrow(option);
    }
  });

  it("validates the service's settings", () => {
    expect(loadTrafficConfig({})).toMatchObject({
      PORT: DEFAULT_PORT,
      TARGET_URL: `http://127.0.0.1:${DEFAULT_PORT}`,
      RATE: DEFAULT_RATE,
      CONCURRENCY: 4,
    });
    expect(() => loadTrafficConfig({ MIX: "everything" })).toThrow(/MIX must be kind=weight pairs/);
    expect(() => loadTrafficConfig({ RATE: "fast" })).toThrow(/RATE must be a decimal number/);
    for (const [name, text] of [
      ["RATE", "0x10"],
      ["CONCURRENCY", "0x4"],
      ["SEED", "1e3"],
    ]) {
      expect(() => loadTrafficConfig({ [name as string]: text }), name).toThrow(
        new RegExp(`${name} must be`),
      );
    }
  });

  it("stops by itself against a target that does not answer", async () => {
    const results: (number | string)[] = [];
    const run = startTraffic(
      {
        target: "http://127.0.0.1:9",
        rate: 100,
        concurrency: 2,
        mix: { page: 0.4, product: 0.35, checkout: 0.25 },
        seed: 1,
        badCheckoutRate: 0,
        maxRequests: 5,
      },
      (r) => results.push(r.status),
    );
    await run.done;
    expect(results).toEqual(Array(5).fill("error"));
  });
});

describe("a target that accepts connections and never answers", () => {
  let silent: Server;
  let target: string;
  beforeAll(async () => {
    silent = createServer(() => {});
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    target = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  });
  afterAll(() => {
    silent?.close();
  });

  // --duration 2s against such a target once ran 30 s: every slot waited out the 15 s request timeout.
  it("ends the run at its deadline, aborting the requests in flight", async () => {
    const results: RequestResult[] = [];
    let ended = false;
    const run = startTraffic(
      {
        target,
        rate: 50,
        concurrency: 2,
        mix: { page: 1, product: 0, checkout: 0 },
        seed: 1,
        badCheckoutRate: 0,
        durationMs: 300,
        requestTimeoutMs: 60_000,
      },
      (r) => results.push(r),
    );
    void run.done.then(() => {
      ended = true;
    });
    // Well before any request could time out by itself.
    const waited = await Promise.race([
      run.done.then(() => "ended"),
      new Promise((r) => setTimeout(() => r("still running"), 10_000)),
    ]);
    expect(waited).toBe("ended");
    expect(ended).toBe(true);
    expect(results.length).toBe(2);
    expect(results.every((r) => r.status === "error")).toBe(true);
  });
});
