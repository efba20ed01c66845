import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { createLogger, createServiceMetrics, DEFAULT_PORT, serveService } from "@platform/service-kit";
import { sample, waitFor } from "@platform/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp, MAX_BODY_BYTES, type StorefrontDeps } from "./app.js";
import { CATALOG } from "./catalog.js";
import { loadStorefrontConfig } from "./config.js";
import { escapeHtml, renderProductPage } from "./pages.js";

const silent = createLogger({ service: "storefront", level: "silent" });
const storefront = (deps: StorefrontDeps = {}) =>
  createApp({ logger: silent, metrics: createServiceMetrics({ collectDefaults: false }), ...deps });

const postCheckout = (app: ReturnType<typeof storefront>["app"], body: string, headers = {}) =>
  app.request("/api/checkout", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
  });

const item = (productId: unknown, quantity: unknown) => ({ productId, quantity });

async function counters(app: ReturnType<typeof storefront>["app"]) {
  const text = await (await app.request("/metrics")).text();
  const outcome = (o: string) => sample(text, `app_checkouts_total{outcome="${o}"}`);
  return {
    revenue: sample(text, "app_revenue_total"),
    aborted: sample(text, 'app_requests_total{method="POST",endpoint="/api/checkout",status="499"}') ?? 0,
    accepted: outcome("accepted"),
    invalid: outcome("invalid"),
    outOfStock: outcome("out_of_stock"),
    paymentFailed: outcome("payment_failed"),
    failed: outcome("failed"),
    productViews: sample(text, "app_product_views_total"),
    text,
  };
}

describe("pages", () => {
  it("serves the index with every product, linked, and no external assets", async () => {
    const { app } = storefront();
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    for (const product of CATALOG) {
      expect(html).toContain(escapeHtml(product.name));
      expect(html).toContain(`href="/products/${product.id}"`);
    }
    expect(html).toContain("$1.90");
    expect(html).toContain("$149.50");
    expect(html).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);
  });

  it("serves a product page, and an escaped 404 page for unknown ids", async () => {
    const { app } = storefront();
    const ok = await app.request("/products/notebook");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("$19.99");
    const missing = await app.request("/products/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("escapes catalog text too", () => {
    const html = renderProductPage({
      id: 'x"><b>',
      name: "<img src=x onerror=alert(1)>",
      description: 'Tom & Jerry\'s "best"',
      priceCents: 1,
    })("form-token");
    expect(html).not.toContain("<img");
    expect(html).not.toContain('x"><b>');
    expect(html).toContain("Tom &amp; Jerry&#39;s &quot;best&quot;");
  });
});

describe("product API", () => {
  it("lists the catalog with prices in dollars", async () => {
    const { app } = storefront();
    const res = await app.request("/api/products");
    expect(res.status).toBe(200);
    const products = (await res.json()) as { id: string; name: string; price: number }[];
    expect(products.map((p) => [p.id, p.price])).toEqual(CATALOG.map((p) => [p.id, p.priceCents / 100]));
    expect(products.every((p) => typeof p.name === "string" && p.name.length > 0)).toBe(true);
  });

  it("answers one product, or 404 JSON", async () => {
    const { app } = storefront();
    const res = await app.request("/api/products/postcard");
    expect(await res.json()).toMatchObject({ id: "postcard", price: 1.9 });
    const missing = await app.request("/api/products/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "unknown_product" });
  });

  it("serves health, readiness and metrics with the contract's names", async () => {
    const { app } = createApp({ logger: silent });
    expect((await app.request("/health")).status).toBe(200);
    expect((await app.request("/ready")).status).toBe(200);
    await app.request("/api/products");
    const { text } = await counters(app);
    expect(text).toContain("# TYPE app_revenue_total counter");
    expect(text).toContain("app_revenue_total 0");
    for (const outcome of ["accepted", "invalid", "out_of_stock", "payment_failed", "failed"]) {
      expect(text).toContain(`app_checkouts_total{outcome="${outcome}"} 0`);
    }
    expect(text).toContain('app_requests_total{method="GET",endpoint="/api/products",status="200"} 1');
    expect(text).toContain(
      'app_request_duration_seconds_bucket{le="0.3",method="GET",endpoint="/api/products"} 1',
    );
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });
});

describe("checkout", () => {
  it("prices an order from the catalog, exactly, and counts its revenue", async () => {
    const { app } = storefront();
    const res = await postCheckout(
      app,
      JSON.stringify({
        items: [
          { productId: "postcard", quantity: 3 },
          { productId: "notebook", quantity: 1 },
          { productId: "sticker-pack", quantity: 7 },
        ],
      }),
    );
    expect(res.status).toBe(201);
    const order = (await res.json()) as {
      orderId: string;
      total: number;
      currency: string;
      items: unknown[];
    };
    expect(order.orderId).toMatch(/^ord_[0-9a-f-]{36}$/);
    // 3 × 1.90 + 19.99 + 7 × 6.90 = 73.99; in dollar floats 1.9 * 3 + 19.99 + 6.9 * 7 is 73.99000000000001
    expect(order.total).toBe(73.99);
    expect(order.currency).toBe("USD");
    expect(order.items).toEqual([
      { productId: "postcard", name: "Postcard", quantity: 3, unitPrice: 1.9, lineTotal: 5.7 },
      { productId: "notebook", name: "Sketch notebook", quantity: 1, unitPrice: 19.99, lineTotal: 19.99 },
      { productId: "sticker-pack", name: "Sticker pack", quantity: 7, unitPrice: 6.9, lineTotal: 48.3 },
    ]);
    const after = await counters(app);
    expect(after.revenue).toBe(73.99);
    expect(after.accepted).toBe(1);
    expect(after.text).toContain('app_requests_total{method="POST",endpoint="/api/checkout",status="201"} 1');
  });

  const badBodies: [string, string, number, string][] = [
    ["malformed JSON", '{"items":[', 400, "malformed_json"],
    ["an empty body", "", 400, "malformed_json"],
    ["a JSON array", "[]", 400, "invalid_checkout"],
    ["null", "null", 400, "invalid_checkout"],
    ["missing items", "{}", 400, "invalid_checkout"],
    ["items not a list", JSON.stringify({ items: "notebook" }), 400, "invalid_checkout"],
    ["empty items", JSON.stringify({ items: [] }), 400, "invalid_checkout"],
    ["an unknown product", JSON.stringify({ items: [item("no-such", 1)] }), 422, "unknown_product"],
    ["a numeric product id", JSON.stringify({ items: [item(1, 1)] }), 400, "invalid_checkout"],
    ["an empty product id", JSON.stringify({ items: [item("", 1)] }), 400, "invalid_checkout"],
    ["a missing quantity", JSON.stringify({ items: [{ productId: "notebook" }] }), 400, "invalid_checkout"],
    ["quantity zero", JSON.stringify({ items: [item("notebook", 0)] }), 400, "invalid_checkout"],
    ["a negative quantity", JSON.stringify({ items: [item("notebook", -2)] }), 400, "invalid_checkout"],
    ["a fractional quantity", JSON.stringify({ items: [item("notebook", 1.5)] }), 400, "invalid_checkout"],
    ["a string quantity", JSON.stringify({ items: [item("notebook", "2")] }), 400, "invalid_checkout"],
    ["an absurd quantity", JSON.stringify({ items: [item("notebook", 101)] }), 400, "invalid_checkout"],
    ["a huge quantity", '{"items":[{"productId":"notebook","quantity":1e308}]}', 400, "invalid_checkout"],
    [
      "too many lines",
      JSON.stringify({ items: Array.from({ length: 51 }, () => item("postcard", 1)) }),
      400,
      "invalid_checkout",
    ],
    [
      "one unknown product among known ones",
      JSON.stringify({ items: [item("notebook", 1), item("ghost", 1)] }),
      422,
      "unknown_product",
    ],
  ];

  it.each(badBodies)("rejects %s with a JSON 4xx and counts no revenue", async (_, body, status, error) => {
    const { app } = storefront();
    const res = await postCheckout(app, body);
    expect(res.status).toBe(status);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ error });
    const after = await counters(app);
    expect(after).toMatchObject({ revenue: 0, accepted: 0, invalid: 1, outOfStock: 0, failed: 0 });
  });

  // A plain HTML form on any site can post these in a visitor's browser without a CORS preflight.
  it.each([
    ["text/plain"],
    ["application/x-www-form-urlencoded"],
    ["multipart/form-data; boundary=x"],
    ["text/json"],
    ["(no Content-Type)"],
  ])("refuses a body sent as %s with 415, changing no checkout or revenue counter", async (contentType) => {
    const { app } = storefront();
    // Every series of the shop's own counters: only app_requests_total may move (every request counts).
    const shopCounters = async () =>
      (await counters(app)).text
        .split("\n")
        .filter((line) => /^app_(checkouts|revenue|product_views)_total\b/.test(line));
    const before = await shopCounters();
    expect(before.length).toBeGreaterThan(5);
    const res = await app.request("/api/checkout", {
      method: "POST",
      body: JSON.stringify({ items: [item("notebook", 1)] }),
      headers: contentType.startsWith("(") ? {} : { "Content-Type": contentType },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: "unsupported_media_type" });
    expect(await shopCounters()).toEqual(before);
    const text = (await counters(app)).text;
    expect(sample(text, 'app_requests_total{method="POST",endpoint="/api/checkout",status="415"}')).toBe(1);
  });

  it.each(["application/json; charset=utf-8", "Application/JSON"])("accepts %s", async (contentType) => {
    const { app } = storefront();
    const res = await postCheckout(app, JSON.stringify({ items: [item("notebook", 1)] }), {
      "Content-Type": contentType,
    });
    expect(res.status).toBe(201);
  });

  it("places orders through one checkout that every route can call", async () => {
    const front = storefront();
    const log = createLogger({ service: "t", level: "silent" });
    const placed = await front.checkout.place({ items: [item("postcard", 2)] }, log);
    expect(placed).toMatchObject({ outcome: "accepted", status: 201, order: { totalCents: 380 } });
    expect(await front.checkout.place({ items: [] }, log)).toMatchObject({ outcome: "invalid", status: 400 });
    expect(await counters(front.app)).toMatchObject({ revenue: 3.8, accepted: 1, invalid: 1 });
  });

  // A client that goes away mid-upload placed nothing: counted, it would look like a refused checkout.
  it("does not count uploads the client aborted as checkouts", async () => {
    const front = storefront();
    const running = await serveService(front, {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1_000 },
      handleSignals: false,
    });
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((done) => {
          const socket = connect(running.port, "127.0.0.1", () => {
            socket.write(
              'POST /api/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"items":[',
            );
            setTimeout(() => socket.destroy(), 20);
          });
          socket.on("close", () => done());
          socket.on("error", () => {});
        });
      }
      await waitFor(async () => (await counters(front.app)).aborted === 5, { what: "five aborted uploads" });
      expect(await counters(front.app)).toMatchObject({ invalid: 0, accepted: 0, revenue: 0 });
    } finally {
      await running.shutdown();
    }
  });

  it("accepts the largest plausible order (50 lines of 100)", async () => {
    const { app } = storefront();
    const items = Array.from({ length: 50 }, (_, i) => item(CATALOG[i % CATALOG.length]?.id, 100));
    const res = await postCheckout(app, JSON.stringify({ items }));
    expect(res.status).toBe(201);
    const expectedCents = items.reduce(
      (sum, line) => sum + (CATALOG.find((p) => p.id === line.productId)?.priceCents ?? 0) * 100,
      0,
    );
    expect(((await res.json()) as { total: number }).total).toBe(expectedCents / 100);
  });

  it("rejects oversized bodies with 413 JSON before reading them", async () => {
    const { app } = storefront();
    const body = JSON.stringify({ items: [item("notebook", 1)], padding: "x".repeat(MAX_BODY_BYTES) });
    for (const headers of [{ "Content-Length": String(body.length) }, {}]) {
      const res = await postCheckout(app, body, headers);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: "payload_too_large" });
    }
    const after = await counters(app);
    expect(after).toMatchObject({ revenue: 0, accepted: 0 });
    expect(after.text).toContain('app_requests_total{method="POST",endpoint="/api/checkout",status="413"} 2');
  });
});

describe("simulation", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fails each endpoint on purpose with 503 simulated_failure", async () => {
    const everything = { errorRate: 1 };
    const { app } = storefront({
      simulation: { index: everything, product: everything, products: everything, checkout: everything },
    });
    for (const path of ["/", "/products/notebook", "/api/products", "/api/products/notebook"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(503);
      expect(await res.json()).toMatchObject({ error: "simulated_failure" });
    }
    const res = await postCheckout(app, JSON.stringify({ items: [item("notebook", 1)] }));
    expect(res.status).toBe(503);
    expect(await counters(app)).toMatchObject({ revenue: 0, accepted: 0, failed: 1 });
  });

  it("answers bad input 4xx even while checkout is failing on purpose", async () => {
    const { app } = storefront({ simulation: { checkout: { errorRate: 1, outOfStockRate: 1 } } });
    expect((await postCheckout(app, "{not json")).status).toBe(400);
    expect((await postCheckout(app, JSON.stringify({ items: [item("ghost", 1)] }))).status).toBe(422);
    expect(await counters(app)).toMatchObject({ revenue: 0, invalid: 2, failed: 0, outOfStock: 0 });
  });

  it("turns checkouts away as out of stock: 409, no revenue, health still green", async () => {
    const { app } = storefront({ simulation: { checkout: { outOfStockRate: 1 } } });
    const res = await postCheckout(app, JSON.stringify({ items: [item("notebook", 1)] }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "out_of_stock" });
    expect((await app.request("/health")).status).toBe(200);
    expect((await app.request("/ready")).status).toBe(200);
    expect(await counters(app)).toMatchObject({ revenue: 0, accepted: 0, outOfStock: 1 });
  });

  it("declines payments: 402, no revenue, counted as payment_failed, health still green", async () => {
    const { app } = storefront({ simulation: { checkout: { paymentFailureRate: 1 } } });
    const res = await postCheckout(app, JSON.stringify({ items: [item("notebook", 1)] }));
    expect(res.status).toBe(402);
    expect(await res.json()).toMatchObject({ error: "payment_declined" });
    expect((await app.request("/health")).status).toBe(200);
    expect(await counters(app)).toMatchObject({ revenue: 0, accepted: 0, paymentFailed: 1, outOfStock: 0 });
    // Bad input is still the client's fault, whatever the payment provider says.
    expect((await postCheckout(app, JSON.stringify({ items: [] }))).status).toBe(400);
    expect(await counters(app)).toMatchObject({ invalid: 1, paymentFailed: 1 });
  });

  it("counts product views served, the denominator of conversion", async () => {
    const { app } = storefront({
      simulation: { product: { errorRate: 0.5 } },
      random: (() => {
        const rolls = [0.9, 0.9, 0.1];
        return () => rolls.shift() ?? 0.9;
      })(),
    });
    expect((await app.request("/products/notebook")).status).toBe(200);
    expect((await app.request("/api/products/postcard")).status).toBe(200);
    // A simulated failure is no view, nor is an unknown product or the listing.
    expect((await app.request("/api/products/notebook")).status).toBe(503);
    expect((await app.request("/products/nope")).status).toBe(404);
    expect((await app.request("/api/products")).status).toBe(200);
    expect((await counters(app)).productViews).toBe(2);
  });

  it("applies error rates as probabilities", async () => {
    const rolls = [0.05, 0.5];
    const { app } = storefront({
      simulation: { products: { errorRate: 0.1 } },
      random: () => rolls.shift() ?? 0.99,
    });
    expect((await app.request("/api/products")).status).toBe(503);
    expect((await app.request("/api/products")).status).toBe(200);
  });

  it("delays an endpoint by the simulated time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const { app } = storefront({
      simulation: { checkout: { delayMs: { min: 1000, max: 2000 } } },
      random: () => 0.5,
    });
    let answered = false;
    const pending = Promise.resolve(postCheckout(app, JSON.stringify({ items: [item("postcard", 1)] }))).then(
      (res) => {
        answered = true;
        return res;
      },
    );
    await vi.advanceTimersByTimeAsync(1499);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(201);
  });
});

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

describe("settings", () => {
  it("defaults to the kit's port, no simulation, admin off", () => {
    expect(DEFAULT_PORT).toBe(8080);
    expect(loadStorefrontConfig({})).toMatchObject({
      PORT: DEFAULT_PORT,
      SIMULATION: {},
      ADMIN_ENABLED: false,
    });
  });

  // The image listens on 0.0.0.0: an admin endpoint without a token there is open to anyone.
  it.each([
    { HOST: "0.0.0.0" },
    { HOST: "0.0.0.0", ADMIN_TOKEN: "" },
    { HOST: "0.0.0.0", ADMIN_TOKEN: "   " },
    { HOST: "::" },
    { HOST: "10.0.0.5" },
  ])("refuses admin without a token on %j", (env) => {
    expect(() => loadStorefrontConfig({ ADMIN_ENABLED: "true", ...env })).toThrow(
      /ADMIN_TOKEN must be set when ADMIN_ENABLED is true and HOST/,
    );
  });

  it("allows admin without a token on loopback only, and with a token anywhere", () => {
    for (const HOST of ["127.0.0.1", "::1", "localhost"]) {
      expect(loadStorefrontConfig({ ADMIN_ENABLED: "true", HOST }).ADMIN_ENABLED).toBe(true);
    }
    expect(loadStorefrontConfig({ ADMIN_ENABLED: "true", HOST: "0.0.0.0", ADMIN_TOKEN: "t" })).toMatchObject({
      ADMIN_ENABLED: true,
    });
    expect(loadStorefrontConfig({ HOST: "0.0.0.0" }).ADMIN_ENABLED).toBe(false);
  });

  it("says in /ready whether the incident switch is on", async () => {
    const detail = async (enabled: boolean) =>
      ((await (await storefront({ admin: { enabled } }).app.request("/ready")).json()) as { detail: string })
        .detail;
    expect(await detail(true)).toBe("shop; /admin/simulation enabled");
    expect(await detail(false)).toBe("shop");
  });

  it("reads the simulation and admin settings", () => {
    const config = loadStorefrontConfig({
      SIMULATION: '{"checkout":{"delayMs":{"min":1200,"max":2000}}}',
      ADMIN_ENABLED: "true",
      ADMIN_TOKEN: "t",
    });
    expect(config.SIMULATION).toEqual({ checkout: { delayMs: { min: 1200, max: 2000 } } });
    expect(config).toMatchObject({ ADMIN_ENABLED: true, ADMIN_TOKEN: "t" });
  });

  it("names the bad field of a bad simulation", () => {
    expect(() => loadStorefrontConfig({ SIMULATION: '{"checkout":{"errorRate":2}}' })).toThrow(
      /SIMULATION must be JSON .*checkout\.errorRate/,
    );
    expect(() => loadStorefrontConfig({ ADMIN_ENABLED: "maybe" })).toThrow(/ADMIN_ENABLED must be one of/);
  });
});
