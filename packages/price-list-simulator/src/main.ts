import { readPriceFacts } from "@platform/price-facts";
import {
  baseServiceEnv,
  createLogger,
  env,
  exitOnStartupError,
  loadConfig,
  serveService,
} from "@platform/service-kit";
import { z } from "zod";
import { createSimulatorApp } from "./app.js";

try {
  const config = loadConfig({
    ...baseServiceEnv,
    PORT: env.port(4567),
    /** Another facts file than the one @platform/price-facts ships (same schema). */
    PRICE_FACTS_FILE: z.string().min(1).optional(),
  });
  const logger = createLogger({ service: "price-list-simulator", level: config.LOG_LEVEL });
  const facts = readPriceFacts(config.PRICE_FACTS_FILE);
  await serveService(createSimulatorApp({ facts, logger }).kit, { config });
} catch (err) {
  exitOnStartupError("price-list-simulator", err);
}
