import { ConfigError, createLogger } from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { parseCliArgs, UsageError } from "./cli-options.js";
import { loadTrafficConfig } from "./config.js";
import { formatMix, MAX_WEIGHT, parseMix } from "./mix.js";
import { pausedTrafficDeps } from "./paused.js";

/**
 * Mix texts every place that takes a mix refuses: weights that are not plain decimal digits, weights so
 * large that their sum is no longer finite (it would normalise every weight to 0, and every request
 * would become a checkout), and mixes with no positive weight.
 */
const REFUSED = [
  "page=1e308,product=1e308",
  `page=${"9".repeat(309)}`,
  "page=0x10",
  "page=0b11",
  "page=0o7",
  "page=1e3",
  "page=1E3",
  "page=Infinity",
  "page=NaN",
  "page=1_000",
  "page=+1",
  "page=.5",
  "page=5.",
  "page=1,product=-0",
  `page=${MAX_WEIGHT + 1}`,
  "page=0.0000001",
  "page=0,product=0,checkout=0",
  "page=0.000000",
  "page=٣",
];

describe("a mix's weights: decimal digits, bounded so that their sum stays finite", () => {
  it.each(REFUSED)("parseMix refuses %s", (text) => {
    expect(parseMix(text)).toBeUndefined();
  });

  it("takes plain decimal weights up to the bound, and normalises them", () => {
    expect(parseMix(`page=${MAX_WEIGHT},product=${MAX_WEIGHT},checkout=${MAX_WEIGHT}`)).toEqual({
      page: 1 / 3,
      product: 1 / 3,
      checkout: 1 / 3,
    });
    expect(parseMix("page=0.000001,checkout=0")).toEqual({ page: 1, product: 0, checkout: 0 });
    expect(parseMix(" page = 3 , checkout = 1 ")).toEqual({ page: 0.75, product: 0, checkout: 0.25 });
  });

  it("shows every mix it takes in a form it takes back (no exponent, however small a share)", () => {
    for (const text of [
      `page=${MAX_WEIGHT},checkout=0.000001`,
      "page=0.37,product=0.6,checkout=0.03",
      "page=1,product=1,checkout=1",
      `page=0.000001,product=${MAX_WEIGHT}`,
    ]) {
      const shown = formatMix(parseMix(text) as NonNullable<ReturnType<typeof parseMix>>);
      expect(shown, text).not.toMatch(/\d[eE]/);
      expect(parseMix(shown), `${text} shown as ${shown}`).toBeDefined();
    }
  });

  it.each(REFUSED)("MIX=%s is refused at start, naming MIX", (text) => {
    expect(() => loadTrafficConfig({ MIX: text })).toThrow(ConfigError);
    expect(() => loadTrafficConfig({ MIX: text })).toThrow(/MIX/);
  });

  it.each(REFUSED)("--mix %s is a usage error", (text) => {
    expect(() => parseCliArgs(["--mix", text])).toThrow(UsageError);
    expect(() => parseCliArgs(["--mix", text])).toThrow(/--mix/);
  });

  it("PUT /control refuses each with a 400 naming mix, and the mix it shows stays one PUT takes", async () => {
    const traffic = createApp(
      pausedTrafficDeps({ logger: createLogger({ service: "traffic", level: "silent" }) }),
    );
    const put = (body: unknown) =>
      traffic.app.request("/control", {
        method: "PUT",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
    for (const mix of REFUSED) {
      const res = await put({ rate: 5, mix });
      expect(res.status, mix).toBe(400);
      expect(((await res.json()) as { problems: string[] }).problems.join(" "), mix).toMatch(/^mix: /);
    }
    expect(traffic.mix()).toEqual({ page: 1, product: 0, checkout: 0 });
    expect(traffic.pace.settings().rate).toBe(0);

    expect((await put({ mix: `page=${MAX_WEIGHT},checkout=0.000001` })).status).toBe(200);
    const shown = ((await (await traffic.app.request("/control")).json()) as { mix: string }).mix;
    expect(shown).toBe("page=1,product=0,checkout=0");
    expect((await put({ mix: shown })).status).toBe(200);
    await traffic.stop();
  });
});
