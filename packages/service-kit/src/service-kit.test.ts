import { promtoolCheckMetrics } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { ConfigError, env, loadConfig, parseDuration } from "./config.js";
import { createLogger } from "./logger.js";
import { createServiceMetrics } from "./metrics.js";
import { createServiceKit, serveService } from "./server.js";

const quiet = createLogger({ service: "test", level: "silent" });

function kitWithRoutes() {
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
      expect(message).toContain('PORT must be a whole number ≥ 0 and ≤ 65535 (got "http")');
      expect(message).toContain('RATE must be a number ≥ 0 and ≤ 100 (got "500")');
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
});

describe("createServiceMetrics", () => {
  it("renders cumulative buckets, sum and count per method and route, and counts per status", async () => {
    const metrics = createServiceMetrics({ collectDefaults: false });
    for (const [status, seconds] of [
      [200, 0.004],
      [200, 0.2],
      [500, 0.2],
      [200, 42],
    ] as const) {
      metrics.requestStarted();
      metrics.requestFinished("GET", "/a/:id", status, seconds);
    }
    metrics.requestStarted();
    metrics.requestFinished("POST", "/a/:id", 201, 0.01);
    const text = await metrics.registry.metrics();
    const bucket = (le: string, method = "GET") =>
      `app_request_duration_seconds_bucket{le="${le}",method="${method}",endpoint="/a/:id"}`;
    expect(text).toContain(`${bucket("0.005")} 1\n`);
    expect(text).toContain(`${bucket("0.1")} 1\n`);
    expect(text).toContain(`${bucket("0.2")} 3\n`);
    expect(text).toContain(`${bucket("10")} 3\n`);
    expect(text).toContain(`${bucket("+Inf")} 4\n`);
    expect(text).toContain('app_request_duration_seconds_sum{method="GET",endpoint="/a/:id"} 42.404\n');
    expect(text).toContain('app_request_duration_seconds_count{method="GET",endpoint="/a/:id"} 4\n');
    expect(text).toContain(`${bucket("0.005", "POST")} 0\n`);
    expect(text).toContain(`${bucket("0.01", "POST")} 1\n`);
    expect(text).toContain('app_requests_total{method="GET",endpoint="/a/:id",status="200"} 3\n');
    expect(text).toContain('app_requests_total{method="GET",endpoint="/a/:id",status="500"} 1\n');
    expect(text).toContain('app_requests_total{method="POST",endpoint="/a/:id",status="201"} 1\n');
    expect(text).toContain("app_requests_in_flight 0\n");
    expect(await promtoolCheckMetrics(text)).toBe("");
  });
});

describe("createServiceKit", () => {
  it("serves /health, /ready and /metrics and labels requests by route template", async () => {
    const kit = kitWithRoutes();
    expect((await kit.app.request("/health")).status).toBe(200);
    expect((await kit.app.request("/ready")).status).toBe(200);
    await kit.app.request("/items/1");
    await kit.app.request("/items/2");
    await kit.app.request("/no/such/path");
    await kit.app.request("/boom");
    const text = await (await kit.app.request("/metrics")).text();
    expect(text).toContain('app_requests_total{method="GET",endpoint="/items/:id",status="200"} 2');
    expect(text).toContain('app_requests_total{method="GET",endpoint="unmatched",status="404"} 1');
    expect(text).toContain('app_requests_total{method="GET",endpoint="/boom",status="500"} 1');
    expect(text).not.toContain('endpoint="/health"');
  });

  it("exposes default Node.js metrics that pass promtool check metrics", async () => {
    const kit = createServiceKit({ name: "test", logger: quiet });
    await kit.app.request("/nope");
    const text = await (await kit.app.request("/metrics")).text();
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).toContain("nodejs_active_handles{");
    expect(text).not.toContain("nodejs_active_handles_total");
    expect(await promtoolCheckMetrics(text)).toBe("");
  });

  it("answers errors as JSON with a request id", async () => {
    const kit = kitWithRoutes();
    const res = await kit.app.request("/boom", { headers: { "X-Request-Id": "abc-123" } });
    expect(res.status).toBe(500);
    expect(res.headers.get("X-Request-Id")).toBe("abc-123");
    expect(await res.json()).toMatchObject({ error: "internal_error", requestId: "abc-123" });
    const missing = await kit.app.request("/nope");
    const body = await missing.json();
    expect(body).toMatchObject({ error: "not_found" });
    expect(missing.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    const fine = await kit.app.request("/items/1", { headers: { "X-Request-Id": "trace-7" } });
    expect(fine.headers.get("X-Request-Id")).toBe("trace-7");
    const forged = await kit.app.request("/boom", { headers: { "X-Request-Id": "bad id <script>" } });
    expect(forged.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs with the request's id: handler lines, errors and the access log share it", async () => {
    const lines: Record<string, unknown>[] = [];
    const write = (line: string) => lines.push(JSON.parse(line));
    const kit = createServiceKit({
      name: "test",
      logger: createLogger({ service: "test", level: "info", write }),
      metrics: createServiceMetrics({ collectDefaults: false }),
    });
    kit.app.get("/fast", (c) => c.text("ok"));
    kit.app.post("/order", async (c) => {
      await c.req.text();
      c.env.log.info("order taken");
      return c.json({ ok: true }, 201);
    });
    kit.app.get("/boom", async () => {
      throw new Error("kaboom");
    });

    // A fast success is counted in the metrics and not logged at info.
    expect((await kit.app.request("/fast")).status).toBe(200);
    expect(lines).toEqual([]);

    await kit.app.request("/order", { method: "POST", body: "{}", headers: { "X-Request-Id": "ord-1" } });
    expect(lines).toEqual([expect.objectContaining({ msg: "order taken", requestId: "ord-1" })]);

    const failed = await kit.app.request("/boom");
    const id = failed.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.slice(1)).toEqual([
      expect.objectContaining({ level: "error", msg: "unhandled error", requestId: id }),
      expect.objectContaining({
        level: "warn",
        msg: "request",
        endpoint: "/boom",
        status: 500,
        requestId: id,
      }),
    ]);

    const text = await (await kit.app.request("/metrics")).text();
    expect(text).toContain('app_requests_total{method="GET",endpoint="/fast",status="200"} 1');
    expect(text).toContain('app_requests_total{method="POST",endpoint="/order",status="201"} 1');
    expect(text).toContain('app_requests_total{method="GET",endpoint="/boom",status="500"} 1');
    expect(text).toContain("app_requests_in_flight 0");
  });

  it("writes an access line for every request at debug level, and counts HEAD under the GET route", async () => {
    const lines: Record<string, unknown>[] = [];
    const kit = createServiceKit({
      name: "test",
      logger: createLogger({ service: "test", level: "debug", write: (l) => lines.push(JSON.parse(l)) }),
      metrics: createServiceMetrics({ collectDefaults: false }),
    });
    kit.app.get("/items/:id", (c) => c.text("ok"));
    expect((await kit.app.request("/items/1", { method: "HEAD" })).status).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({ level: "debug", method: "HEAD", path: "/items/1", endpoint: "/items/:id" }),
    ]);
    expect(lines[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const text = await (await kit.app.request("/metrics")).text();
    expect(text).toContain('app_requests_total{method="HEAD",endpoint="/items/:id",status="200"} 1');
  });

  it("counts requests in flight while they are being handled", async () => {
    const kit = kitWithRoutes();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    kit.app.get("/wait", async (c) => {
      await gate;
      return c.text("done");
    });
    const waiting = [kit.app.request("/wait"), kit.app.request("/wait")];
    expect(await (await kit.app.request("/metrics")).text()).toContain("app_requests_in_flight 2");
    release();
    await Promise.all(waiting);
    expect(await (await kit.app.request("/metrics")).text()).toContain("app_requests_in_flight 0");
  });

  it("rejects oversized bodies with 413 JSON", async () => {
    const kit = createServiceKit({ name: "t", logger: quiet, maxBodyBytes: 100 });
    kit.app.post("/echo", async (c) => c.json(await c.req.json()));
    const res = await kit.app.request("/echo", {
      method: "POST",
      body: JSON.stringify({ pad: "x".repeat(500) }),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("echoes a client's request id over a real socket", async () => {
    const kit = kitWithRoutes();
    const running = await serveService(kit, {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1000 },
      handleSignals: false,
    });
    try {
      const traced = await fetch(`${running.url}/items/9`, { headers: { "X-Request-Id": "trace-42" } });
      expect(traced.headers.get("X-Request-Id")).toBe("trace-42");
      const plain = await fetch(`${running.url}/items/9`);
      expect(plain.headers.get("X-Request-Id")).toBeNull();
      const failed = await fetch(`${running.url}/boom`);
      const body = (await failed.json()) as { requestId: string };
      expect(body.requestId).toBe(failed.headers.get("X-Request-Id"));
    } finally {
      await running.shutdown();
    }
  });

  it("exits within the shutdown timeout when a request or the cleanup takes longer", async () => {
    const kit = createServiceKit({ name: "t", logger: quiet });
    kit.app.get("/stuck", async (c) => {
      await new Promise((r) => setTimeout(r, 5_000));
      return c.json({ late: true });
    });
    const running = await serveService(kit, {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 300 },
      handleSignals: false,
      onShutdown: () => new Promise<void>(() => {}), // a cleanup that never finishes
    });
    const stuck = fetch(`${running.url}/stuck`).then(
      (r) => r.status,
      () => "connection closed",
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await running.shutdown("test");
    const took = Date.now() - started;
    expect(await stuck).toBe("connection closed");
    // 300 ms to drain, then at most the 1 s grace the cleanup gets: far below the 5 s the request wanted.
    expect(took).toBeLessThan(2_500);
  });

  it("drains: readiness fails, in-flight requests finish, shutdown resolves", async () => {
    const kit = createServiceKit({ name: "t", logger: quiet });
    kit.app.get("/slow", async (c) => {
      await new Promise((r) => setTimeout(r, 300));
      return c.json({ ok: true });
    });
    let cleanedUp = false;
    const running = await serveService(kit, {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 5000 },
      handleSignals: false,
      onShutdown: () => {
        cleanedUp = true;
      },
    });
    const inFlight = Array.from({ length: 5 }, () => fetch(`${running.url}/slow`).then((r) => r.status));
    await new Promise((r) => setTimeout(r, 50));
    const stopped = running.shutdown("test");
    expect(kit.lifecycle.draining).toBe(true);
    expect(await Promise.all(inFlight)).toEqual([200, 200, 200, 200, 200]);
    await stopped;
    expect(cleanedUp).toBe(true);
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });
});
