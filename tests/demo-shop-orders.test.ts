import { describe, expect, it } from "vitest";
import { CATALOG } from "../services/storefront/src/catalog.js";
import { LINES_PER_ORDER, pickBasket, popularity } from "../services/traffic/src/basket.js";
import { DEFAULT_MIX_TEXT, parseMix } from "../services/traffic/src/mix.js";
import { mulberry32 } from "../services/traffic/src/random.js";

// The traffic generator's baskets against the storefront's catalogue: two services, so a test of the whole.
describe("the demo shop's orders", () => {
  const products = CATALOG.map((p) => ({ id: p.id, price: p.priceCents / 100 }));

  it("hold one to three distinct products, cheap ones more often", () => {
    const random = mulberry32(5);
    const counts = new Map<string, number>();
    const lines = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const basket = pickBasket(random, products);
      lines[basket.length] = (lines[basket.length] ?? 0) + 1;
      expect(new Set(basket.map((l) => l.productId)).size).toBe(basket.length);
      for (const line of basket) counts.set(line.productId, (counts.get(line.productId) ?? 0) + 1);
    }
    expect((lines[1] ?? 0) / 20_000).toBeCloseTo(LINES_PER_ORDER[0][1], 1);
    // ∝ 1/√price: the postcard sells about √(149.50 / 1.90) ≈ 8.9 times as often as a workshop seat.
    const ratio = (counts.get("postcard") ?? 0) / (counts.get("workshop-seat") ?? 1);
    expect(ratio).toBeGreaterThan(6);
    expect(ratio).toBeLessThan(11);
    expect(popularity({ id: "x", price: 4 })).toBe(0.5);
  });

  it("average about $42 with the storefront's catalogue, and the demo mix converts about 5% of product views", () => {
    const random = mulberry32(9);
    const price = new Map(products.map((p) => [p.id, p.price]));
    let total = 0;
    const orders = 50_000;
    for (let i = 0; i < orders; i++) {
      for (const line of pickBasket(random, products))
        total += (price.get(line.productId) ?? 0) * line.quantity;
    }
    const average = total / orders;
    expect(average).toBeGreaterThan(40);
    expect(average).toBeLessThan(44);
    const mix = parseMix(DEFAULT_MIX_TEXT);
    if (!mix) throw new Error("the default mix must parse");
    // 3% checkouts, 3% of them deliberately bad, over 60% product views.
    expect((mix.checkout * 0.97) / mix.product).toBeCloseTo(0.0485, 4);
  });
});
