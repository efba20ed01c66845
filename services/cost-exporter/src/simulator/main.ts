import {
  baseServiceEnv,
  createLogger,
  env,
  exitOnStartupError,
  loadConfig,
  serveService,
} from "@platform/service-kit";
import { createSimulatorApp, KEEP_TARGETS } from "./app.js";

try {
  const config = loadConfig({
    ...baseServiceEnv,
    // LocalStack's port, the one AWS tooling expects a local stand-in on.
    PORT: env.port(4566),
    SIMULATOR_PAGE_SIZE: env.number(200, { min: 1, max: 100_000, int: true }),
    SIMULATOR_MAX_TARGETS: env.number(KEEP_TARGETS.maxEntries, { min: 1, max: 100_000, int: true }),
    SIMULATOR_MAX_TARGET_BYTES: env.number(KEEP_TARGETS.maxBytes, {
      min: 1_024,
      max: 1024 * 1024 * 1024,
      int: true,
    }),
  });
  const logger = createLogger({ service: "cost-explorer-simulator", level: config.LOG_LEVEL });
  const simulator = createSimulatorApp({
    pageSize: config.SIMULATOR_PAGE_SIZE,
    keepTargets: { maxEntries: config.SIMULATOR_MAX_TARGETS, maxBytes: config.SIMULATOR_MAX_TARGET_BYTES },
    logger,
  });
  await serveService(simulator.kit, { config });
} catch (err) {
  exitOnStartupError("cost-explorer-simulator", err);
}
