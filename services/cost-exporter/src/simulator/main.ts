import {
  baseServiceEnv,
  createLogger,
  env,
  exitOnStartupError,
  loadConfig,
  serveService,
} from "@platform/service-kit";
import { createSimulatorApp } from "./app.js";

try {
  const config = loadConfig({
    ...baseServiceEnv,
    // LocalStack's port, the one AWS tooling expects a local stand-in on.
    PORT: env.port(4566),
    SIMULATOR_PAGE_SIZE: env.number(200, { min: 1, max: 100_000, int: true }),
  });
  const logger = createLogger({ service: "cost-explorer-simulator", level: config.LOG_LEVEL });
  const simulator = createSimulatorApp({ pageSize: config.SIMULATOR_PAGE_SIZE, logger });
  await serveService(simulator.kit, { config });
} catch (err) {
  exitOnStartupError("cost-explorer-simulator", err);
}
