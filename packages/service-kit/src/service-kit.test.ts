import { connect } from "node:net";
import { waitFor } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { baseServiceEnv, ConfigError, env, loadConfig, parseDuration } from "./config.js";
import { createLogger } from "./logger.js";
import { createServiceMetrics } from "./metrics.js";
import { type ServeOptions, serveService } from "./serve.js";
import { createServiceKit } from "./server.js";

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
      expect(message).toContain('PORT must be a whole number in decimal digits ≥ 0 and ≤ 65535 (got "http")');
      expect(message).toContain('RATE must be a decimal number ≥ 0 and ≤ 100 (got "500")');
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

  // JavaScript's Number() reads all of these; PORT=0x50 bound port 80 and PORT=1e3 port 1000.
  it.each(["0x50", "1e3", "0o17", "0b101", "8080.0", "+8080", " 80", "80 ", "Infinity", "1_000"])(
    "accepts whole numbers in decimal digits only, refusing %j",
    (text) => {
      expect(() => loadConfig({ PORT: env.port(8080) }, { PORT: text })).toThrow(
        /PORT must be a whole number/,
      );
      expect(() => loadConfig({ N: env.number(1, { int: true }) }, { N: text })).toThrow(/N must be/);
    },
  );

  it("reads decimal numbers, and no other notation", () => {
    const shape = { RATE: env.number(1), DELTA: env.number(0, { min: -10 }) };
    expect(loadConfig(shape, { RATE: "0.25", DELTA: "-3" })).toEqual({ RATE: 0.25, DELTA: -3 });
    for (const text of ["1e3", "0x10", ".5", "5.", "Infinity", "NaN"]) {
      expect(() => loadConfig(shape, { RATE: text }), text).toThrow(/RATE must be a decimal number/);
    }
  });

  // A duration of 2^31 ms or more overflows Node's timers to 1 ms: a refresh would repeat at once, a shutdown
  // timeout would cut requests in flight at once.
  it.each(["30d", "25d", "2147483648ms", "600h"])("refuses a duration %s that no timer can hold", (text) => {
    expect(() => loadConfig({ T: env.duration("1s") }, { T: text })).toThrow(/T must be a duration/);
    expect(() => loadConfig(baseServiceEnv, { SHUTDOWN_TIMEOUT: text })).toThrow(/SHUTDOWN_TIMEOUT/);
  });

  it("accepts the longest duration a timer holds", () => {
    expect(loadConfig({ T: env.duration("1s") }, { T: "24d" })).toEqual({ T: 24 * 86_400_000 });
    expect(loadConfig({ T: env.duration("1s") }, { T: "2147483647ms" })).toEqual({ T: 2 ** 31 - 1 });
  });

  it("takes an IP address or localhost as HOST, naming HOST otherwise", () => {
    for (const host of ["127.0.0.1", "0.0.0.0", "::", "::1", "localhost"]) {
      expect(loadConfig(baseServiceEnv, { HOST: host }).HOST).toBe(host);
    }
    for (const host of ["not-a-host", "999.1.1.1", "http://127.0.0.1", "127.0.0.1:8080"]) {
      expect(() => loadConfig(baseServiceEnv, { HOST: host }), host).toThrow(/HOST must be an IP address/);
    }
  });

  it("has server limits that fit a small service, and checks them against each other", () => {
    expect(loadConfig(baseServiceEnv, {})).toMatchObject({
      REQUEST_TIMEOUT: 10_000,
      HEADERS_TIMEOUT: 5_000,
      KEEP_ALIVE_TIMEOUT: 5_000,
      MAX_CONNECTIONS: 256,
    });
    expect(() => loadConfig(baseServiceEnv, { HEADERS_TIMEOUT: "20s" })).toThrow(
      /HEADERS_TIMEOUT \(20s\) must not be longer than REQUEST_TIMEOUT \(10s\)/,
    );
    expect(() => loadConfig(baseServiceEnv, { MAX_CONNECTIONS: "0" })).toThrow(/MAX_CONNECTIONS/);
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

describe("serveService limits", () => {
  const limits: ServeOptions["config"] = {
    PORT: 0,
    HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT: 1_000,
    REQUEST_TIMEOUT: 600,
    HEADERS_TIMEOUT: 300,
    KEEP_ALIVE_TIMEOUT: 300,
    MAX_CONNECTIONS: 4,
  };

  /** A raw connection that records when the server closed it. */
  function rawClient(port: number) {
    const socket = connect(port, "127.0.0.1");
    const state = { closed: false, received: "" };
    socket.on("data", (chunk) => {
      state.received += chunk;
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      state.closed = true;
    });
    return { socket, state };
  }

  async function serving(config = limits) {
    const kit = kitWithRoutes();
    return serveService(kit, { config, handleSignals: false });
  }

  // Node's defaults let a body trickle in for five minutes (checked every 30 s).
  it("cuts off a client that trickles its body past REQUEST_TIMEOUT", async () => {
    const running = await serving();
    const { socket, state } = rawClient(running.port);
    socket.write(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    const drip = setInterval(() => socket.writable && socket.write(" "), 100);
    try {
      await waitFor(() => state.closed, { timeoutMs: 5_000, what: "the server to close the connection" });
      expect(state.received).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      socket.destroy();
      await running.shutdown();
    }
  });

  it("cuts off a client that trickles its headers past HEADERS_TIMEOUT", async () => {
    const running = await serving();
    const { socket, state } = rawClient(running.port);
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 50);
    try {
      await waitFor(() => state.closed, { timeoutMs: 5_000, what: "the server to close the connection" });
    } finally {
      clearInterval(drip);
      socket.destroy();
      await running.shutdown();
    }
  });

  it("closes idle keep-alive connections after KEEP_ALIVE_TIMEOUT", async () => {
    const running = await serving();
    const { socket, state } = rawClient(running.port);
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    try {
      await waitFor(() => state.received.includes('"status":"ok"'), { what: "the answer" });
      await waitFor(() => state.closed, { timeoutMs: 5_000, what: "the idle connection to close" });
    } finally {
      socket.destroy();
      await running.shutdown();
    }
  });

  it("refuses connections beyond MAX_CONNECTIONS and serves again once they are gone", async () => {
    const running = await serving();
    const clients = Array.from({ length: 10 }, () => rawClient(running.port));
    try {
      await waitFor(() => clients.filter((c) => c.state.closed).length >= 6, {
        timeoutMs: 5_000,
        what: "six of ten connections refused",
      });
      expect(clients.filter((c) => !c.state.closed)).toHaveLength(4);
      for (const c of clients) c.socket.destroy();
      await waitFor(async () => (await fetch(`${running.url}/health`)).ok, { what: "a new connection" });
    } finally {
      for (const c of clients) c.socket.destroy();
      await running.shutdown();
    }
  });

  it("names HOST when it is not an address of this machine", async () => {
    const kit = kitWithRoutes();
    // 192.0.2.0/24 is reserved for documentation: never an address of this machine.
    await expect(
      serveService(kit, { config: { ...limits, HOST: "192.0.2.1" }, handleSignals: false }),
    ).rejects.toThrow("HOST 192.0.2.1 is not an address of this machine");
  });

  it("says in /ready what the instance does, when the service tells", async () => {
    const kit = createServiceKit({ name: "t", logger: quiet, summary: () => "demo data" });
    expect(await (await kit.app.request("/ready")).json()).toEqual({
      status: "ready",
      service: "t",
      detail: "demo data",
    });
  });
});
