/**
 * The shop's HTML order form: a Buy button on every product that places a real order through the same
 * checkout as the JSON API (validation, simulation, metrics, revenue), answered with a confirmation page.
 *
 * A form is what a cross-site request forgery uses: any page on the web can make a visitor's browser post
 * a form here without asking. Two checks keep such posts out, and a refused post counts in no checkout
 * outcome and no revenue (a forged post is nobody's checkout; counting it as `invalid` would let any
 * site push the checkout success ratio, and the alerts built on it, wherever it liked):
 *
 * 1. Where the post comes from, as the browser says in headers no page can set: `Sec-Fetch-Site` must be
 *    `same-origin`, or else `Origin` must name this host, port included (the host compared so a proxy that
 *    ends TLS in front of the shop does not turn every order away). This is the check that stops a
 *    same-site page (another port of this host, a sibling subdomain). It runs for every post, whatever its
 *    Content-Type says: the route takes one media type, read by the kit's `mediaType` (Hono's csrf
 *    middleware made the same check only when its own pattern matched the raw header, so
 *    `\u00a0application/x-www-form-urlencoded` skipped it while a trimming parse read a form).
 * 2. A double-submit form token: the shop's pages set a random token in a `SameSite=Strict`, `HttpOnly`
 *    cookie and put the same token in each form; the post must carry both and they must match. A
 *    cross-site post carries no Strict cookie, so this stops another site on its own. It does not stop a
 *    same-site page that can set cookies (cookies ignore ports; a subdomain can set one for its parent:
 *    cookie tossing): it plants a token of its choosing and posts that same token, since nothing ties
 *    the token to the visitor. Stateless, so it holds across replicas.
 *
 * Neither limits who may order (any HTTP client may, as the JSON API allows) or stops script on the
 * shop's own origin; README, "The order form and cross-site posts", says what holds.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { mediaType, pageHeaders, type ServiceEnv } from "@platform/service-kit";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import { MAX_QUANTITY_PER_LINE } from "./checkout.js";
import { CLIENT_CLOSED_REQUEST } from "./http.js";
import type { Checkout, CheckoutResult } from "./orders.js";
import { renderOrderConfirmation, renderOrderProblem } from "./pages.js";

export const FORM_TOKEN_COOKIE = "shop_form_token";
/**
 * 122 random bits from the CSPRNG, as a UUID's hex digits (Node.js pools the entropy for randomUUID, so a
 * token costs about 60 ns instead of the 2.6 µs of a fresh randomBytes call on the busiest page): what the
 * shop mints, and the only shape it takes back from a cookie.
 */
const TOKEN_SHAPE = /^[0-9a-f]{32}$/;

/**
 * The headers of every HTML answer of the shop, errors included: no script, style or frame from elsewhere,
 * never framed (a page that framed the shop could trick a click on Buy), never cached (the pages carry the
 * visitor's form token).
 */
export const PAGE_HEADERS = pageHeaders();

type ShopContext = Context<ServiceEnv>;

/**
 * The visitor's form token for the page being rendered: the one in their cookie, or a new one set in a
 * cookie with this answer.
 */
export function formTokenFor(c: Context): string {
  const existing = getCookie(c, FORM_TOKEN_COOKIE);
  if (existing !== undefined && TOKEN_SHAPE.test(existing)) return existing;
  const token = randomUUID().replaceAll("-", "");
  setCookie(c, FORM_TOKEN_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c),
  });
  return token;
}

function isHttps(c: Context): boolean {
  return c.req.url.startsWith("https:") || c.req.header("X-Forwarded-Proto") === "https";
}

/** Sec-Fetch-Site, else Origin: where the browser says the post comes from (point 1 above). */
function comesFromThisSite(c: ShopContext): boolean {
  if (c.req.header("Sec-Fetch-Site") === "same-origin") return true;
  const origin = c.req.header("Origin");
  if (origin === undefined) return false;
  try {
    return new URL(origin).host === c.req.header("Host");
  } catch {
    return false; // "null" (a sandboxed frame, a privacy redirect) or garbage
  }
}

function tokensMatch(cookie: string | undefined, field: string | null): boolean {
  if (cookie === undefined || field === null || !TOKEN_SHAPE.test(cookie) || !TOKEN_SHAPE.test(field))
    return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
}

/**
 * The order a form describes, in the JSON API's shape, so the checkout validates it the same way: a
 * quantity of decimal digits becomes a number, anything else stays text and is refused as not a whole
 * number (as `"2"` is in JSON).
 */
export function orderFromForm(form: URLSearchParams): unknown {
  const quantity = form.get("quantity") ?? "";
  return {
    items: [
      {
        productId: form.get("productId") ?? "",
        quantity: /^\d{1,9}$/.test(quantity) ? Number(quantity) : quantity,
      },
    ],
  };
}

/** Every HTML answer of the shop goes out through this, with PAGE_HEADERS. */
export const page = (c: Context, status: ContentfulStatusCode, html: string) =>
  c.html(html, status, PAGE_HEADERS);

/** What the buyer reads for each way a checkout can fail. */
const PROBLEMS: Record<Exclude<CheckoutResult["outcome"], "accepted">, { title: string; message: string }> = {
  invalid: {
    title: "That order is not valid",
    message: `Choose a quantity from 1 to ${MAX_QUANTITY_PER_LINE} of a product in the shop, then press Buy again.`,
  },
  out_of_stock: {
    title: "Out of stock",
    message: "Sorry: some of this order is out of stock right now. Nothing was charged.",
  },
  payment_failed: {
    title: "The payment was declined",
    message: "Your payment did not go through, so the order was not placed and nothing was charged.",
  },
  failed: {
    title: "The shop could not take your order",
    message: "Something went wrong on our side and nothing was charged. Please try again in a moment.",
  },
};

/** `POST /checkout`: the order form's route. */
export function orderFormRoute(checkout: Checkout) {
  return async (c: ShopContext) => {
    if (!comesFromThisSite(c)) {
      return page(
        c,
        403,
        renderOrderProblem(
          "Order refused",
          "This order was sent from a page of another site, so it was not placed. To buy, use the shop's own page.",
        ),
      );
    }
    if (mediaType(c.req.header("Content-Type")) !== "application/x-www-form-urlencoded") {
      return page(
        c,
        415,
        renderOrderProblem("Order refused", "Send the order form as application/x-www-form-urlencoded."),
      );
    }
    let text: string;
    try {
      text = await c.req.text();
    } catch {
      // The client aborted the upload (or took longer than REQUEST_TIMEOUT): no checkout to count.
      return c.body(null, CLIENT_CLOSED_REQUEST as StatusCode);
    }
    const form = new URLSearchParams(text);
    if (!tokensMatch(getCookie(c, FORM_TOKEN_COOKIE), form.get("token"))) {
      return page(
        c,
        403,
        renderOrderProblem(
          "Please reload the shop",
          "This order form has expired or did not come from this shop, so no order was placed. Reload the shop's page and press Buy again.",
        ),
      );
    }
    const result = await checkout.place(orderFromForm(form), c.env.log);
    if (result.outcome === "accepted") return page(c, 201, renderOrderConfirmation(result.order));
    const problem = PROBLEMS[result.outcome];
    return page(c, result.status, renderOrderProblem(problem.title, problem.message));
  };
}
