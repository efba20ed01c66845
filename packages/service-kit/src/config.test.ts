import { describe, expect, it } from "vitest";
import { baseServiceEnv, ConfigError, env, loadConfig, parseDuration } from "./config.js";

describe("loadConfig", () => {
  const shape = {
    PORT: env.port(8080),
    RATE: env.number(1, { min: 0, max: 100 }),
    MODE: env.oneOf(["a", "b"], "a"),
  };

  it("applies defaults for unset and empty variables", () => {
    expect(loadConfig(shape, { PORT: "" })).toEqual({ PORT: 8080, RATE: 1, MODE: "a" });
  });

  it("names every bad variable, what is allowed and what was given", () => {
    try {
      loadConfig(shape, { PORT: "http", RATE: "500", MODE: "c" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain('PORT must be a whole number in decimal digits ≥ 0 and ≤ 65535 (got "http")');
      expect(message).toContain('RATE must be a decimal number ≥ 0 and ≤ 100 (got "500")');
      expect(message).toContain('MODE must be one of a, b (got "c")');
    }
  });

  it("parses durations", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("6h")).toBe(21_600_000);
    expect(parseDuration("2")).toBe(2000);
    expect(parseDuration("soon")).toBeUndefined();
    expect(() => loadConfig({ T: env.duration("1s") }, { T: "soon" })).toThrow(/T must be a duration/);
  });

  // JavaScript's Number() reads all of these; PORT=0x50 bound port 80 and PORT=1e3 port 1000.
  it.each(["0x50", "1e3", "0o17", "0b101", "8080.0", "+8080", " 80", "80 ", "Infinity", "1_000"])(
    "accepts whole numbers in decimal digits only, refusing %j",
    (text) => {
      expect(() => loadConfig({ PORT: env.port(8080) }, { PORT: text })).toThrow(
        /PORT must be a whole number/,
      );
      expect(() => loadConfig({ N: env.number(1, { int: true }) }, { N: text })).toThrow(/N must be/);
    },
  );

  it("reads decimal numbers, and no other notation", () => {
    const shape = { RATE: env.number(1), DELTA: env.number(0, { min: -10 }) };
    expect(loadConfig(shape, { RATE: "0.25", DELTA: "-3" })).toEqual({ RATE: 0.25, DELTA: -3 });
    for (const text of ["1e3", "0x10", ".5", "5.", "Infinity", "NaN"]) {
      expect(() => loadConfig(shape, { RATE: text }), text).toThrow(/RATE must be a decimal number/);
    }
  });

  // A duration of 2^31 ms or more overflows Node's timers to 1 ms: a refresh would repeat at once, a shutdown
  // timeout would cut requests in flight at once.
  it.each(["30d", "25d", "2147483648ms", "600h"])("refuses a duration %s that no timer can hold", (text) => {
    expect(() => loadConfig({ T: env.duration("1s") }, { T: text })).toThrow(/T must be a duration/);
    expect(() => loadConfig(baseServiceEnv, { SHUTDOWN_TIMEOUT: text })).toThrow(/SHUTDOWN_TIMEOUT/);
  });

  it("accepts the longest duration a timer holds", () => {
    expect(loadConfig({ T: env.duration("1s") }, { T: "24d" })).toEqual({ T: 24 * 86_400_000 });
    expect(loadConfig({ T: env.duration("1s") }, { T: "2147483647ms" })).toEqual({ T: 2 ** 31 - 1 });
  });

  it("takes an IP address or localhost as HOST, naming HOST otherwise", () => {
    for (const host of ["127.0.0.1", "0.0.0.0", "::", "::1", "localhost"]) {
      expect(loadConfig(baseServiceEnv, { HOST: host }).HOST).toBe(host);
    }
    for (const host of ["not-a-host", "999.1.1.1", "http://127.0.0.1", "127.0.0.1:8080"]) {
      expect(() => loadConfig(baseServiceEnv, { HOST: host }), host).toThrow(/HOST must be an IP address/);
    }
  });

  it("has server limits that fit a small service, and checks them against each other", () => {
    expect(loadConfig(baseServiceEnv, {})).toMatchObject({
      REQUEST_TIMEOUT: 10_000,
      HEADERS_TIMEOUT: 5_000,
      KEEP_ALIVE_TIMEOUT: 5_000,
      MAX_CONNECTIONS: 256,
    });
    expect(() => loadConfig(baseServiceEnv, { HEADERS_TIMEOUT: "20s" })).toThrow(
      /HEADERS_TIMEOUT \(20s\) must not be longer than REQUEST_TIMEOUT \(10s\)/,
    );
    expect(() => loadConfig(baseServiceEnv, { MAX_CONNECTIONS: "0" })).toThrow(/MAX_CONNECTIONS/);
  });
});
