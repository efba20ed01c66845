import { createHash, timingSafeEqual } from "node:crypto";
import {
  createServiceKit,
  jsonError,
  type Logger,
  mediaType,
  type ServiceEnv,
  type ServiceKit,
  type ServiceMetrics,
  thisMachineOnly,
} from "@platform/service-kit";
import type { Context } from "hono";
import type { StatusCode } from "hono/utils/http-status";
import { CATALOG, findProduct, productJson } from "./catalog.js";
import { CLIENT_CLOSED_REQUEST } from "./http.js";
import { type Checkout, type CheckoutResult, createCheckout } from "./orders.js";
import { renderIndex, renderNotFoundPage, renderProductPage } from "./pages.js";
import { createProductViews } from "./product-views.js";
import { formTokenFor, orderFormRoute, page } from "./shop-form.js";
import {
  createSimulation,
  parseSimulation,
  type SimulatedEndpoint,
  type Simulation,
  type SimulationSettings,
} from "./simulation.js";

export { CLIENT_CLOSED_REQUEST } from "./http.js";

/** Checkout bodies are a few hundred bytes; 16 KiB leaves room for the largest valid order (50 lines). */
export const MAX_BODY_BYTES = 16 * 1024;

export interface StorefrontDeps {
  logger?: Logger;
  metrics?: ServiceMetrics;
  /** Simulated delays and failures in effect at start. */
  simulation?: SimulationSettings;
  /** Random source for the simulation (tests force branches with it). */
  random?: () => number;
  /** The admin endpoints exist only when enabled; with a token they require it as a bearer token. */
  admin?: { enabled: boolean; token?: string | undefined };
}

export interface Storefront extends ServiceKit {
  simulation: Simulation;
  /** The checkout logic, for every route that places orders. */
  checkout: Checkout;
}

export function createApp({
  logger,
  metrics,
  simulation: initialSimulation = {},
  random,
  admin = { enabled: false },
}: StorefrontDeps = {}): Storefront {
  const kit = createServiceKit({
    name: "storefront",
    maxBodyBytes: MAX_BODY_BYTES,
    summary: () => `shop${admin.enabled ? "; /admin/simulation enabled" : ""}`,
    ...(logger ? { logger } : {}),
    ...(metrics ? { metrics } : {}),
  });
  const { app } = kit;
  const registry = kit.metrics.registry;
  const simulation = createSimulation(initialSimulation, random);

  const checkout = createCheckout(registry, simulation);
  const viewedProduct = createProductViews(registry);

  /** The endpoint's simulated failure, when this request draws one. */
  const simulatedFailure = (c: Context, endpoint: SimulatedEndpoint) =>
    simulation.fails(endpoint)
      ? jsonError(c, 503, "simulated_failure", `Simulated failure of the ${endpoint} endpoint.`)
      : undefined;

  /**
   * The handler's answer, unless the simulation delays or fails it first. Synchronous, and without a
   * closure per request, when nothing is simulated: the index page is the busiest route.
   */
  const answer = <C extends Context>(c: C, endpoint: SimulatedEndpoint, respond: (c: C) => Response) => {
    const waiting = simulation.delay(endpoint);
    if (waiting) return waiting.then(() => simulatedFailure(c, endpoint) ?? respond(c));
    return simulatedFailure(c, endpoint) ?? respond(c);
  };

  // The catalog is fixed for the life of the process, so the pages are rendered once (with a slot for
  // the visitor's form token).
  const indexPage = renderIndex(CATALOG);
  const productPages = new Map(CATALOG.map((product) => [product.id, renderProductPage(product)]));
  const catalogJson = CATALOG.map(productJson);
  const index = (c: Context<ServiceEnv>) => page(c, 200, indexPage(formTokenFor(c)));
  const catalog = (c: Context) => c.json(catalogJson);
  const productPage = (c: Context<ServiceEnv, "/products/:id">) => {
    const product = productPages.get(c.req.param("id"));
    if (!product) return page(c, 404, renderNotFoundPage(c.req.param("id")));
    viewedProduct();
    return page(c, 200, product(formTokenFor(c)));
  };
  const productDocument = (c: Context<ServiceEnv, "/api/products/:id">) => {
    const product = findProduct(c.req.param("id"));
    if (!product) return jsonError(c, 404, "unknown_product", `There is no product ${c.req.param("id")}.`);
    viewedProduct();
    return c.json(productJson(product));
  };

  app.get("/", (c) => answer(c, "index", index));
  app.get("/products/:id", (c) => answer(c, "product", productPage));
  app.get("/api/products", (c) => answer(c, "products", catalog));
  app.get("/api/products/:id", (c) => answer(c, "product", productDocument));

  // The JSON API takes JSON only: a plain HTML form on any site can post text/plain, urlencoded or
  // multipart bodies in a visitor's browser without asking, but never application/json. Such a post is
  // nobody's checkout, so it counts in no outcome: counting it as `invalid` would let any site move the
  // checkout success ratio and the alerts built on it.
  app.post("/api/checkout", jsonCheckoutRoute(checkout));
  // The same checkout for people: the Buy buttons of the shop's pages post here.
  app.post("/checkout", orderFormRoute(checkout));

  if (admin.enabled) adminRoutes(app, simulation, admin.token);
  return { ...kit, simulation, checkout };
}

/** The JSON API's checkout: JSON bodies only, an aborted upload counted nowhere, malformed JSON a 400. */
function jsonCheckoutRoute(checkout: Checkout) {
  return async (c: Context<ServiceEnv>) => {
    if (mediaType(c.req.header("Content-Type")) !== "application/json") {
      return jsonError(
        c,
        415,
        "unsupported_media_type",
        "Send the order as JSON with Content-Type: application/json.",
      );
    }
    let text: string;
    try {
      text = await c.req.text();
    } catch {
      // The client aborted the upload (or took longer than REQUEST_TIMEOUT): no checkout to count.
      return c.body(null, CLIENT_CLOSED_REQUEST as StatusCode);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return checkoutAnswer(c, checkout.refuse(400, "malformed_json", "The request body is not valid JSON."));
    }
    return checkoutAnswer(c, await checkout.place(body, c.env.log));
  };
}

/** The admin endpoints that read and replace the simulation: a bearer token, or this machine only without one. */
function adminRoutes(app: ServiceKit["app"], simulation: Simulation, token: string | undefined) {
  // Without a token the settings keep the shop on a loopback address, where any page in a local browser
  // that re-points its own name at 127.0.0.1 (DNS rebinding) could still switch incidents on: only a
  // request addressed to this machine reaches the admin endpoints then.
  if (!token) app.use("/admin/*", thisMachineOnly());
  const authorized = bearerTokenCheck(token);
  app.use("/admin/*", async (c, next) => {
    if (!authorized(c.req.header("Authorization"))) {
      c.header("WWW-Authenticate", 'Bearer realm="storefront admin"');
      return jsonError(c, 401, "unauthorized", "Send Authorization: Bearer <ADMIN_TOKEN>.");
    }
    return next();
  });
  app.get("/admin/simulation", (c) => c.json(simulation.settings));
  app.put("/admin/simulation", async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return jsonError(c, 400, "malformed_json", "The request body is not valid JSON.");
    }
    const parsed = parseSimulation(body);
    if (!parsed.ok) {
      return jsonError(c, 400, "invalid_simulation", "The simulation settings are invalid.", {
        problems: parsed.problems,
      });
    }
    simulation.replace(parsed.settings);
    c.env.log.warn("simulation replaced", { simulation: parsed.settings });
    return c.json(simulation.settings);
  });
}

/** The JSON answer to a checkout: the order with 201, or the error. */
function checkoutAnswer(c: Context<ServiceEnv>, result: CheckoutResult) {
  if (result.outcome === "accepted") return c.json(result.order.body, 201);
  return jsonError(c, result.status, result.error, result.message, result.details);
}

/** Compares bearer tokens in constant time (hashing first makes the lengths equal). */
function bearerTokenCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (!token) return () => true;
  const expected = createHash("sha256").update(token).digest();
  return (header) => {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
    if (!match?.[1]) return false;
    return timingSafeEqual(createHash("sha256").update(match[1]).digest(), expected);
  };
}
