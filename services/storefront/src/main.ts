import { createLogger, exitOnStartupError, serveService } from "@platform/service-kit";
import { createApp } from "./app.js";
import { loadStorefrontConfig, type StorefrontConfig } from "./config.js";

let config: StorefrontConfig;
try {
  config = loadStorefrontConfig();
} catch (err) {
  exitOnStartupError("storefront", err);
}

const storefront = createApp({
  logger: createLogger({ service: "storefront", level: config.LOG_LEVEL }),
  simulation: config.SIMULATION,
  admin: { enabled: config.ADMIN_ENABLED, token: config.ADMIN_TOKEN },
});
await serveService(storefront, { config }).catch((err) => exitOnStartupError("storefront", err));
