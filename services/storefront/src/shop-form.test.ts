import { createLogger, createServiceMetrics } from "@platform/service-kit";
import { sample } from "@platform/testkit";
import { describe, expect, it } from "vitest";
import { createApp, type StorefrontDeps } from "./app.js";
import { CATALOG, findProduct, type Product } from "./catalog.js";
import { FORM_TOKEN_COOKIE, orderFromForm } from "./shop-form.js";

const silent = createLogger({ service: "storefront", level: "silent" });
const storefront = (deps: StorefrontDeps = {}) =>
  createApp({ logger: silent, metrics: createServiceMetrics({ collectDefaults: false }), ...deps });
type App = ReturnType<typeof storefront>["app"];

const HOST = "127.0.0.1:8080";
const NOTEBOOK = findProduct("notebook") as Product;
const POSTCARD = findProduct("postcard") as Product;
const usd = (cents: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);
/** What a browser sends with a form posted from the shop's own page. */
const SAME_ORIGIN = { Host: HOST, Origin: `http://${HOST}`, "Sec-Fetch-Site": "same-origin" };

/** Opens the shop as a browser does: the page, the cookie it sets, the token in its forms. */
async function visit(app: App) {
  const res = await app.request("/", { headers: { Host: HOST } });
  const cookie = res.headers.get("Set-Cookie") ?? "";
  const html = await res.text();
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? "";
  return { res, html, cookie, token, cookieHeader: cookie.split(";")[0] ?? "" };
}

async function counters(app: App) {
  const text = await (await app.request("/metrics")).text();
  const outcome = (o: string) => sample(text, `app_checkouts_total{outcome="${o}"}`);
  return {
    revenue: sample(text, "app_revenue_total"),
    accepted: outcome("accepted"),
    invalid: outcome("invalid"),
    outOfStock: outcome("out_of_stock"),
    paymentFailed: outcome("payment_failed"),
    failed: outcome("failed"),
  };
}
const NOTHING_COUNTED = { revenue: 0, accepted: 0, invalid: 0, outOfStock: 0, paymentFailed: 0, failed: 0 };

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const postForm = (app: App, body: string, headers: Record<string, string>) =>
  app.request("/checkout", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });

describe("the shop's pages", () => {
  it("offer a quantity and a Buy button for every product, as a plain form with the visitor's token", async () => {
    const { res, html, cookie, token } = await visit(storefront().app);
    expect(res.status).toBe(200);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(cookie).toBe(`${FORM_TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    for (const product of CATALOG) {
      expect(html).toContain(`<input type="hidden" name="productId" value="${product.id}">`);
    }
    expect(html.match(/<form class="buy" method="post" action="\/checkout">/g)).toHaveLength(CATALOG.length);
    expect(html.match(/<button type="submit">Buy<\/button>/g)).toHaveLength(CATALOG.length);
    expect(html).toContain('name="quantity" value="1" min="1" max="100" required');
    expect(html).not.toMatch(/<script|<link|<img|src=|https?:\/\//i);
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("keep a visitor's token from page to page, and give each visitor their own", async () => {
    const { app } = storefront();
    const first = await visit(app);
    const again = await app.request("/products/notebook", { headers: { Cookie: first.cookieHeader } });
    expect(again.headers.get("Set-Cookie")).toBeNull();
    expect(await again.text()).toContain(`name="token" value="${first.token}"`);
    expect((await visit(app)).token).not.toBe(first.token);
    // A cookie the shop did not mint is replaced, never echoed into the page.
    const odd = await app.request("/", { headers: { Cookie: `${FORM_TOKEN_COOKIE}="><script>` } });
    expect(odd.headers.get("Set-Cookie")).toMatch(new RegExp(`^${FORM_TOKEN_COOKIE}=[0-9a-f]{32};`));
    expect(await odd.text()).not.toContain("<script>");
  });

  it("mark the cookie Secure behind a proxy that ends TLS", async () => {
    const res = await storefront().app.request("/", { headers: { "X-Forwarded-Proto": "https" } });
    expect(res.headers.get("Set-Cookie")).toMatch(/; Secure; SameSite=Strict$/);
  });
});

describe("the order form", () => {
  it("places a real order from the shop's own page and confirms it with the order id and total", async () => {
    const front = storefront();
    const { token, cookieHeader } = await visit(front.app);
    const res = await postForm(front.app, form({ token, productId: "notebook", quantity: "3" }), {
      ...SAME_ORIGIN,
      Cookie: cookieHeader,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Thank you for your order");
    expect(html).toMatch(/<code id="order-id">ord_[0-9a-f-]{36}<\/code>/);
    expect(html).toContain(`<th class="amount" id="order-total">${usd(3 * NOTEBOOK.priceCents)}</th>`);
    // The same checkout as the JSON API: the same counters, revenue exact to the cent.
    expect(await counters(front.app)).toEqual({
      ...NOTHING_COUNTED,
      revenue: (3 * NOTEBOOK.priceCents) / 100,
      accepted: 1,
    });
    const metrics = await (await front.app.request("/metrics")).text();
    expect(sample(metrics, 'app_requests_total{method="POST",endpoint="/checkout",status="201"}')).toBe(1);
  });

  it("accepts a post whose Origin names this host when the browser sends no Sec-Fetch-Site", async () => {
    const front = storefront();
    const { token, cookieHeader } = await visit(front.app);
    const res = await postForm(front.app, form({ token, productId: "postcard", quantity: "2" }), {
      Host: "shop.example",
      // A proxy in front ends TLS: the shop sees http, the browser's Origin says https.
      Origin: "https://shop.example",
      Cookie: cookieHeader,
    });
    expect(res.status).toBe(201);
    expect((await counters(front.app)).revenue).toBe((2 * POSTCARD.priceCents) / 100);
  });

  it.each([
    ["from another site", { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" }],
    [
      "from a sibling site (another port of this host)",
      { "Sec-Fetch-Site": "same-site", Origin: "http://127.0.0.1:9999" },
    ],
    ["from another site, by an older browser (Origin only)", { Origin: "https://evil.example" }],
    ["from an opaque origin (a sandboxed frame)", { Origin: "null" }],
    ["with neither Origin nor Sec-Fetch-Site", {}],
  ])("refuses a post %s with 403, counting nothing, even with a valid token", async (_what, headers) => {
    const front = storefront();
    const { token, cookieHeader } = await visit(front.app);
    const res = await postForm(front.app, form({ token, productId: "notebook", quantity: "1" }), {
      Host: HOST,
      Cookie: cookieHeader,
      ...headers,
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Order refused");
    expect(await counters(front.app)).toEqual(NOTHING_COUNTED);
  });

  it.each([
    [
      "no cookie",
      (token: string) => ({ body: form({ token, productId: "notebook", quantity: "1" }), cookie: "" }),
    ],
    [
      "no token in the form",
      (_token: string, cookie: string) => ({ body: form({ productId: "notebook", quantity: "1" }), cookie }),
    ],
    [
      "another visitor's token",
      (_token: string, cookie: string) => ({
        body: form({ token: "a".repeat(32), productId: "notebook", quantity: "1" }),
        cookie,
      }),
    ],
  ])("refuses a same-origin post with %s, counting nothing", async (_what, make) => {
    const front = storefront();
    const { token, cookieHeader } = await visit(front.app);
    const { body, cookie } = make(token, cookieHeader);
    const res = await postForm(front.app, body, { ...SAME_ORIGIN, ...(cookie ? { Cookie: cookie } : {}) });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Please reload the shop");
    expect(await counters(front.app)).toEqual(NOTHING_COUNTED);
  });

  // Cookies are not isolated by port, and a subdomain may set one for its parent domain (cookie tossing):
  // a same-site page can plant a token of its choosing. The token alone cannot stop it; the origin can.
  const TOSSED = "b".repeat(32);

  it("takes any matching cookie and form token from this origin: the token is not tied to a visitor", async () => {
    const front = storefront();
    const res = await postForm(front.app, form({ token: TOSSED, productId: "notebook", quantity: "1" }), {
      ...SAME_ORIGIN,
      Cookie: `${FORM_TOKEN_COOKIE}=${TOSSED}`,
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ["another port of this host", { "Sec-Fetch-Site": "same-site", Origin: "http://127.0.0.1:9999" }],
    [
      "a sibling subdomain",
      { Host: "shop.example", "Sec-Fetch-Site": "same-site", Origin: "https://evil.shop.example" },
    ],
    ["a sibling page, by an older browser (Origin only)", { Origin: "http://127.0.0.1:9999" }],
  ])(
    "refuses a post from %s that tossed its own token cookie, by its origin, counting nothing",
    async (_what, headers) => {
      const front = storefront();
      const res = await postForm(front.app, form({ token: TOSSED, productId: "notebook", quantity: "1" }), {
        Host: HOST,
        Cookie: `${FORM_TOKEN_COOKIE}=${TOSSED}`,
        ...headers,
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("Order refused");
      expect(await counters(front.app)).toEqual(NOTHING_COUNTED);
    },
  );

  it.each([
    ["\u00a0application/x-www-form-urlencoded"],
    ["application/json"],
    ["text/plain"],
    ["multipart/form-data; boundary=x"],
    ["nonsense"],
  ])(
    "checks the origin of a post sent as %j too: a sibling page with a tossed token places no order",
    async (contentType) => {
      const front = storefront();
      const res = await front.app.request("/checkout", {
        method: "POST",
        body: form({ token: TOSSED, productId: "notebook", quantity: "1" }),
        headers: {
          Host: HOST,
          "Sec-Fetch-Site": "same-site",
          Origin: "http://127.0.0.1:9999",
          Cookie: `${FORM_TOKEN_COOKIE}=${TOSSED}`,
          "Content-Type": contentType,
        },
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("Order refused");
      expect(await counters(front.app)).toEqual(NOTHING_COUNTED);
    },
  );

  it("refuses a same-origin post whose Content-Type is no media type RFC 9110 writes, with 415", async () => {
    const front = storefront();
    const { token, cookieHeader } = await visit(front.app);
    const res = await postForm(front.app, form({ token, productId: "notebook", quantity: "1" }), {
      ...SAME_ORIGIN,
      Cookie: cookieHeader,
      "Content-Type": "\u00a0application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(415);
    expect(await counters(front.app)).toEqual(NOTHING_COUNTED);
  });

  it("refuses a body that is not a urlencoded form with 415, counting nothing", async () => {
    const front = storefront();
    const { token, cookieHeader } = await visit(front.app);
    const res = await front.app.request("/checkout", {
      method: "POST",
      body: `token=${token}&productId=notebook&quantity=1`,
      headers: { ...SAME_ORIGIN, Cookie: cookieHeader, "Content-Type": "text/plain" },
    });
    expect(res.status).toBe(415);
    expect(await counters(front.app)).toEqual(NOTHING_COUNTED);
  });

  it.each([
    ["0", 400],
    ["101", 400],
    ["2.5", 400],
    ["-1", 400],
    ["", 400],
    ["two", 400],
    ["1e2", 400],
  ])(
    "validates quantity %j as the JSON API does (%i, counted invalid, no revenue)",
    async (quantity, status) => {
      const front = storefront();
      const { token, cookieHeader } = await visit(front.app);
      const res = await postForm(front.app, form({ token, productId: "notebook", quantity }), {
        ...SAME_ORIGIN,
        Cookie: cookieHeader,
      });
      expect(res.status).toBe(status);
      expect(await res.text()).toContain("That order is not valid");
      expect(await counters(front.app)).toEqual({ ...NOTHING_COUNTED, invalid: 1 });
    },
  );

  it("refuses an unknown product with 422 and tells out of stock, a declined payment and failures apart", async () => {
    const front = storefront({ random: () => 0 });
    const { token, cookieHeader } = await visit(front.app);
    const post = (productId: string) =>
      postForm(front.app, form({ token, productId, quantity: "1" }), {
        ...SAME_ORIGIN,
        Cookie: cookieHeader,
      });
    expect((await post("ghost")).status).toBe(422);
    front.simulation.replace({ checkout: { outOfStockRate: 1 } });
    const outOfStock = await post("notebook");
    expect(outOfStock.status).toBe(409);
    expect(await outOfStock.text()).toContain("Out of stock");
    front.simulation.replace({ checkout: { paymentFailureRate: 1 } });
    const declined = await post("notebook");
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("The payment was declined");
    front.simulation.replace({ checkout: { errorRate: 1 } });
    const failed = await post("notebook");
    expect(failed.status).toBe(503);
    expect(await failed.text()).toContain("could not take your order");
    expect(await counters(front.app)).toEqual({
      ...NOTHING_COUNTED,
      invalid: 1,
      outOfStock: 1,
      paymentFailed: 1,
      failed: 1,
    });
  });

  it("reads a form into the JSON API's order shape, numbers from decimal digits only", () => {
    const read = (quantity: string) =>
      orderFromForm(new URLSearchParams({ productId: "notebook", quantity })) as {
        items: { quantity: unknown }[];
      };
    expect(read("7").items[0]?.quantity).toBe(7);
    expect(read("0x10").items[0]?.quantity).toBe("0x10");
    expect(read(" 7").items[0]?.quantity).toBe(" 7");
    expect(orderFromForm(new URLSearchParams())).toEqual({ items: [{ productId: "", quantity: "" }] });
  });
});
