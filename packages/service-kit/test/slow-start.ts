/**
 * A service that takes a while before it listens (as loading, settings or a first refresh can), for the
 * parent-death tests: `START_DELAY_MS` (default 1 s), then an empty kit on `PORT` (default: a free one).
 */
import { createServiceKit, serveService } from "../src/index.js";

await new Promise((resolve) => setTimeout(resolve, Number(process.env.START_DELAY_MS ?? 1_000)));
await serveService(createServiceKit({ name: "slow-start" }), {
  config: { PORT: Number(process.env.PORT ?? 0), HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 2_000 },
});
