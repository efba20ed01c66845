import { createLogger, createServiceMetrics, pageHeaders } from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { FORM_TOKEN_COOKIE } from "./shop-form.js";

const storefront = () =>
  createApp({
    logger: createLogger({ service: "storefront", level: "silent" }),
    metrics: createServiceMetrics({ collectDefaults: false }),
    random: () => 0.99,
  });

const HOST = "127.0.0.1:8080";
const TOKEN = "c".repeat(32);
const post = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  body,
  headers: {
    Host: HOST,
    "Sec-Fetch-Site": "same-origin",
    Cookie: `${FORM_TOKEN_COOKIE}=${TOKEN}`,
    "Content-Type": "application/x-www-form-urlencoded",
    ...headers,
  },
});

/** Every kind of HTML answer the shop gives: its pages, a product it does not have, each order outcome. */
const HTML_ANSWERS: [string, string, RequestInit?][] = [
  ["the index", "/"],
  ["a product page", "/products/notebook"],
  ["an unknown product (404)", "/products/ghost"],
  ["a product named like a prototype property (404)", "/products/__proto__"],
  ["an order placed (201)", "/checkout", post(`token=${TOKEN}&productId=notebook&quantity=1`)],
  ["an invalid order (400)", "/checkout", post(`token=${TOKEN}&productId=notebook&quantity=0`)],
  ["an unknown product ordered (422)", "/checkout", post(`token=${TOKEN}&productId=ghost&quantity=1`)],
  ["a cross-site post (403)", "/checkout", post("", { "Sec-Fetch-Site": "cross-site" })],
  ["a post without the token (403)", "/checkout", post("productId=notebook&quantity=1")],
  ["a post that is not a form (415)", "/checkout", post("", { "Content-Type": "text/plain" })],
];

describe("every HTML answer of the shop, errors included", () => {
  it.each(HTML_ANSWERS)("carries the same security headers: %s", async (_what, path, init) => {
    const res = await storefront().app.request(path, init ?? { headers: { Host: HOST } });
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    for (const [name, value] of Object.entries(pageHeaders())) {
      expect(res.headers.get(name), `${name} on ${res.status}`).toBe(value);
    }
  });
});
