import { connect } from "node:net";
import { createLogger, serveService } from "@platform/service-kit";
import { sample, waitFor } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "./app.js";
import { CATALOG } from "./catalog.js";
import { counters, item, postCheckout, storefront } from "./test-support.js";

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
