import { afterEach, describe, expect, it, vi } from "vitest";
import { counters, item, postCheckout, storefront } from "./test-support.js";

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
