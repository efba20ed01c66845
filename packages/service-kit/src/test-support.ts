import { createLogger } from "./logger.js";
import { createServiceMetrics } from "./metrics.js";
import { createServiceKit } from "./server.js";

/** Shared by the service-kit unit tests: a silent logger and a kit with a few sample routes. */
export const quiet = createLogger({ service: "test", level: "silent" });

export function kitWithRoutes() {
  const kit = createServiceKit({
    name: "test",
    logger: quiet,
    metrics: createServiceMetrics({ collectDefaults: false }),
  });
  kit.app.get("/items/:id", (c) => c.json({ id: c.req.param("id") }));
  kit.app.get("/boom", () => {
    throw new Error("kaboom");
  });
  kit.app.post("/echo", async (c) => c.json(await c.req.json()));
  return kit;
}
