import { DEFAULT_PORT } from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { loadStorefrontConfig } from "./config.js";
import { storefront } from "./test-support.js";

describe("settings", () => {
  it("defaults to the kit's port, no simulation, admin off", () => {
    expect(DEFAULT_PORT).toBe(8080);
    expect(loadStorefrontConfig({})).toMatchObject({
      PORT: DEFAULT_PORT,
      SIMULATION: {},
      ADMIN_ENABLED: false,
    });
  });

  // The image listens on 0.0.0.0: an admin endpoint without a token there is open to anyone.
  it.each([
    { HOST: "0.0.0.0" },
    { HOST: "0.0.0.0", ADMIN_TOKEN: "" },
    { HOST: "0.0.0.0", ADMIN_TOKEN: "   " },
    { HOST: "::" },
    { HOST: "10.0.0.5" },
  ])("refuses admin without a token on %j", (env) => {
    expect(() => loadStorefrontConfig({ ADMIN_ENABLED: "true", ...env })).toThrow(
      /ADMIN_TOKEN must be set when ADMIN_ENABLED is true and HOST/,
    );
  });

  it("allows admin without a token on loopback only, and with a token anywhere", () => {
    for (const HOST of ["127.0.0.1", "::1", "localhost"]) {
      expect(loadStorefrontConfig({ ADMIN_ENABLED: "true", HOST }).ADMIN_ENABLED).toBe(true);
    }
    expect(loadStorefrontConfig({ ADMIN_ENABLED: "true", HOST: "0.0.0.0", ADMIN_TOKEN: "t" })).toMatchObject({
      ADMIN_ENABLED: true,
    });
    expect(loadStorefrontConfig({ HOST: "0.0.0.0" }).ADMIN_ENABLED).toBe(false);
  });

  it("says in /ready whether the incident switch is on", async () => {
    const detail = async (enabled: boolean) =>
      ((await (await storefront({ admin: { enabled } }).app.request("/ready")).json()) as { detail: string })
        .detail;
    expect(await detail(true)).toBe("shop; /admin/simulation enabled");
    expect(await detail(false)).toBe("shop");
  });

  it("reads the simulation and admin settings", () => {
    const config = loadStorefrontConfig({
      SIMULATION: '{"checkout":{"delayMs":{"min":1200,"max":2000}}}',
      ADMIN_ENABLED: "true",
      ADMIN_TOKEN: "t",
    });
    expect(config.SIMULATION).toEqual({ checkout: { delayMs: { min: 1200, max: 2000 } } });
    expect(config).toMatchObject({ ADMIN_ENABLED: true, ADMIN_TOKEN: "t" });
  });

  it("names the bad field of a bad simulation", () => {
    expect(() => loadStorefrontConfig({ SIMULATION: '{"checkout":{"errorRate":2}}' })).toThrow(
      /SIMULATION must be JSON .*checkout\.errorRate/,
    );
    expect(() => loadStorefrontConfig({ ADMIN_ENABLED: "maybe" })).toThrow(/ADMIN_ENABLED must be one of/);
  });
});
