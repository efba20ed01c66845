import { DEFAULT_PORT } from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { DEFAULT_DAILY_REQUEST_CAP, loadCostExporterConfig } from "./config.js";

describe("cost exporter settings", () => {
  it("defaults to the kit's port and a non-zero daily cap", () => {
    const config = loadCostExporterConfig({});
    expect(config.PORT).toBe(DEFAULT_PORT);
    expect(config.DAILY_REQUEST_CAP).toBe(DEFAULT_DAILY_REQUEST_CAP);
    expect(DEFAULT_DAILY_REQUEST_CAP).toBeGreaterThan(0);
  });

  // A longer wait than a timer holds fires after 1 ms: a paid request as fast as the loop turns (README.md).
  it.each(["REFRESH_INTERVAL", "REFRESH_RETRY_INTERVAL", "API_TIMEOUT", "SHUTDOWN_TIMEOUT"])(
    "refuses a %s no timer can hold",
    (name) => {
      expect(() => loadCostExporterConfig({ [name]: "30d" })).toThrow(
        new RegExp(`${name} must be a duration`),
      );
    },
  );

  it.each(["DAILY_REQUEST_CAP", "HISTORY_DAYS", "TOP_SERVICES", "API_MAX_ATTEMPTS"])(
    "reads %s in decimal digits only",
    (name) => {
      expect(() => loadCostExporterConfig({ [name]: "0x5" })).toThrow(
        new RegExp(`${name} must be a whole number`),
      );
      expect(() => loadCostExporterConfig({ [name]: "1e1" })).toThrow(new RegExp(name));
    },
  );

  // A bad endpoint was accepted, and every refresh then failed, each one counted as paid.
  it.each(["AWS_ENDPOINT_URL_COST_EXPLORER", "AWS_ENDPOINT_URL"])(
    "refuses a %s that is not a URL",
    (name) => {
      expect(() => loadCostExporterConfig({ [name]: "not-a-url" })).toThrow(
        new RegExp(`${name} must be an absolute http\\(s\\) URL`),
      );
      const config: Record<string, unknown> = loadCostExporterConfig({ [name]: "http://127.0.0.1:4566" });
      expect(config[name]).toBe("http://127.0.0.1:4566");
    },
  );
});
