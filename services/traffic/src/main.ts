import { createLogger, exitOnStartupError, serveService } from "@platform/service-kit";
import { createApp } from "./app.js";
import { loadTrafficConfig, type TrafficConfig } from "./config.js";

let config: TrafficConfig;
try {
  config = loadTrafficConfig();
} catch (err) {
  exitOnStartupError("traffic", err);
}

const traffic = createApp({
  logger: createLogger({ service: "traffic", level: config.LOG_LEVEL }),
  traffic: {
    target: config.TARGET_URL,
    concurrency: config.CONCURRENCY,
    mix: config.MIX,
    seed: config.SEED,
    badCheckoutRate: config.BAD_CHECKOUT_RATE,
  },
  pace: { rate: config.RATE, shape: config.SHAPE, periodMs: config.SHAPE_PERIOD },
  maxRate: config.MAX_RATE,
});
await serveService(traffic, { config, onShutdown: () => traffic.stop() }).catch((err) =>
  exitOnStartupError("traffic", err),
);
traffic.start();
