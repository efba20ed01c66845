import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { CATALOG } from "./catalog.js";
import { counters, silent, storefront } from "./test-support.js";

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
