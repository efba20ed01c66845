import { describe, expect, it } from "vitest";
import { CATALOG } from "./catalog.js";
import { escapeHtml, renderProductPage } from "./pages.js";
import { storefront } from "./test-support.js";

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
