import { request as httpRequest } from "node:http";
import { serveService } from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { item, postCheckout, storefront } from "./test-support.js";

describe("admin endpoints", () => {
  const revenueDrop = JSON.stringify({ checkout: { outOfStockRate: 1 } });
  const put = (app: ReturnType<typeof storefront>["app"], body: string, headers = {}) =>
    app.request("/admin/simulation", { method: "PUT", body, headers });

  it("do not exist unless enabled", async () => {
    const { app } = storefront();
    expect((await app.request("/admin/simulation")).status).toBe(404);
    expect((await put(app, revenueDrop)).status).toBe(404);
  });

  it("replace the whole simulation while running", async () => {
    const { app } = storefront({ admin: { enabled: true }, simulation: { products: { errorRate: 1 } } });
    expect(await (await app.request("/admin/simulation")).json()).toEqual({ products: { errorRate: 1 } });
    const res = await put(app, revenueDrop);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ checkout: { outOfStockRate: 1 } });
    expect((await app.request("/api/products")).status).toBe(200);
    expect((await postCheckout(app, JSON.stringify({ items: [item("notebook", 1)] }))).status).toBe(409);
    expect((await put(app, "{}")).status).toBe(200);
    expect((await postCheckout(app, JSON.stringify({ items: [item("notebook", 1)] }))).status).toBe(201);
  });

  it.each([
    ["malformed JSON", "{", "malformed_json"],
    ["an unknown endpoint", '{"basket":{"errorRate":1}}', "invalid_simulation"],
    ["a rate above 1", '{"checkout":{"errorRate":1.5}}', "invalid_simulation"],
    ["min above max", '{"index":{"delayMs":{"min":500,"max":100}}}', "invalid_simulation"],
    ["outOfStockRate off checkout", '{"products":{"outOfStockRate":1}}', "invalid_simulation"],
  ])("reject %s and keep the simulation", async (_, body, error) => {
    const { app } = storefront({ admin: { enabled: true } });
    const res = await put(app, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error });
    expect(await (await app.request("/admin/simulation")).json()).toEqual({});
  });

  // Without a token the admin endpoints listen on loopback only (the settings insist), and a page on
  // another site that re-points its name at 127.0.0.1 (DNS rebinding) would reach them from a browser.
  it("without a token, answer only requests addressed to this machine", async () => {
    const { app } = storefront({ admin: { enabled: true } });
    for (const Host of ["rebound.example:8080", "localhost.rebound.example:8080"]) {
      const res = await put(app, revenueDrop, { Host });
      expect(res.status, Host).toBe(421);
      expect(await res.json()).toMatchObject({ error: "not_this_machine" });
      expect((await app.request("/admin/simulation", { headers: { Host } })).status, Host).toBe(421);
    }
    expect(await (await app.request("/admin/simulation")).json()).toEqual({});
    expect((await put(app, revenueDrop, { Host: "127.0.0.1:8080" })).status).toBe(200);
    expect((await put(app, "{}", { Host: "localhost:8080" })).status).toBe(200);
    // The shop itself answers whatever name it is reached by.
    expect((await app.request("/api/products", { headers: { Host: "shop.example" } })).status).toBe(200);
  });

  it("without a token, over a socket, refuse another port in Host", async () => {
    const front = storefront({ admin: { enabled: true } });
    const running = await serveService(front, {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1_000 },
      handleSignals: false,
    });
    try {
      const status = (host: string) =>
        new Promise<number>((done, fail) => {
          const req = httpRequest(
            { host: "127.0.0.1", port: running.port, path: "/admin/simulation", headers: { Host: host } },
            (res) => {
              res.resume();
              done(res.statusCode ?? 0);
            },
          );
          req.on("error", fail);
          req.end();
        });
      expect(await status(`127.0.0.1:${running.port}`)).toBe(200);
      expect(await status(`127.0.0.1:${running.port + 1}`)).toBe(421);
    } finally {
      await running.shutdown();
    }
  });

  it("with a token, answer whatever name the cluster reaches them by", async () => {
    const { app } = storefront({ admin: { enabled: true, token: "s3cret" } });
    const res = await put(app, revenueDrop, {
      Host: "storefront.platform.svc.cluster.local:8080",
      Authorization: "Bearer s3cret",
    });
    expect(res.status).toBe(200);
  });

  it("require the bearer token when one is set", async () => {
    const { app } = storefront({ admin: { enabled: true, token: "s3cret" } });
    expect((await app.request("/admin/simulation")).status).toBe(401);
    const wrong = await put(app, revenueDrop, { Authorization: "Bearer guess" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "unauthorized" });
    expect((await put(app, revenueDrop, { Authorization: "Bearer s3cret" })).status).toBe(200);
    expect((await postCheckout(app, JSON.stringify({ items: [item("notebook", 1)] }))).status).toBe(409);
  });
});
