import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { createServiceMetrics } from "./metrics.js";
import { serveService } from "./serve.js";
import { createServiceKit } from "./server.js";
import { kitWithRoutes, quiet } from "./test-support.js";

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
    const outcome = await running.shutdown("test");
    const took = Date.now() - started;
    expect(outcome).toBe("timeout");
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
    expect(await stopped).toBe("drained");
    expect(cleanedUp).toBe(true);
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });
});
