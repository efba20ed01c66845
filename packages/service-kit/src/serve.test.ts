import { connect } from "node:net";
import { waitFor } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { type ServeOptions, serveService } from "./serve.js";
import { createServiceKit } from "./server.js";
import { kitWithRoutes, quiet } from "./test-support.js";

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
