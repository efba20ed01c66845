import { createHash, timingSafeEqual } from "node:crypto";
import {
  createServiceKit,
  jsonError,
  type Logger,
  type ServiceEnv,
  type ServiceKit,
  type ServiceMetrics,
} from "@platform/service-kit";
import type { Context } from "hono";
import { Counter } from "prom-client";
import { CATALOG, findProduct, productJson } from "./catalog.js";
import { checkoutRequestSchema, priceOrder } from "./checkout.js";
import { renderIndex, renderNotFoundPage, renderProductPage } from "./pages.js";
import {
  createSimulation,
  parseSimulation,
  type SimulatedEndpoint,
  type Simulation,
  type SimulationSettings,
} from "./simulation.js";

export const CHECKOUT_OUTCOMES = ["accepted", "invalid", "out_of_stock", "failed"] as const;
export type CheckoutOutcome = (typeof CHECKOUT_OUTCOMES)[number];

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
    ...(logger ? { logger } : {}),
    ...(metrics ? { metrics } : {}),
  });
  const { app } = kit;
  const registry = kit.metrics.registry;
  const simulation = createSimulation(initialSimulation, random);

  // Revenue is kept in whole cents and turned into dollars only when scraped: adding dollar floats
  // one order at a time drifts by fractions of a cent over millions of orders.
  let revenueCents = 0;
  new Counter({
    name: "app_revenue_total",
    help: "Revenue of accepted checkouts, in US dollars.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(revenueCents / 100);
    },
  });
  const checkouts = new Counter({
    name: "app_checkouts_total",
    help: "Checkout attempts by outcome: accepted, invalid (bad input), out_of_stock, failed.",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  // Every outcome exists from the start, so rate() and ratios have a series before the first incident.
  for (const outcome of CHECKOUT_OUTCOMES) checkouts.inc({ outcome }, 0);

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

  // The catalog is fixed for the life of the process, so the index is rendered once.
  const indexPage = renderIndex(CATALOG);
  const catalogJson = CATALOG.map(productJson);
  const index = (c: Context) => c.html(indexPage);
  const catalog = (c: Context) => c.json(catalogJson);
  const productPage = (c: Context<ServiceEnv, "/products/:id">) => {
    const product = findProduct(c.req.param("id"));
    if (!product) return c.html(renderNotFoundPage(c.req.param("id")), 404);
    return c.html(renderProductPage(product));
  };
  const productDocument = (c: Context<ServiceEnv, "/api/products/:id">) => {
    const product = findProduct(c.req.param("id"));
    if (!product) return jsonError(c, 404, "unknown_product", `There is no product ${c.req.param("id")}.`);
    return c.json(productJson(product));
  };

  app.get("/", (c) => answer(c, "index", index));
  app.get("/products/:id", (c) => answer(c, "product", productPage));
  app.get("/api/products", (c) => answer(c, "products", catalog));
  app.get("/api/products/:id", (c) => answer(c, "product", productDocument));

  app.post("/api/checkout", async (c) => {
    // Bad input is the client's fault whatever the simulation says: it is answered 4xx before the
    // simulated processing (delay, failure) that only a valid order reaches.
    const invalid = (status: 400 | 422, error: string, message: string, details = {}) => {
      checkouts.inc({ outcome: "invalid" });
      return jsonError(c, status, error, message, details);
    };

    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return invalid(400, "malformed_json", "The request body is not valid JSON.");
    }
    const parsed = checkoutRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      return invalid(400, "invalid_checkout", 'Expected {"items":[{"productId":"…","quantity":1}]}.', {
        issues,
      });
    }
    const priced = priceOrder(parsed.data);
    if (!priced.ok) {
      return invalid(422, "unknown_product", "Some products are not in the catalog.", {
        productIds: priced.unknownProductIds,
      });
    }
    await simulation.delay("checkout");
    const failure = simulatedFailure(c, "checkout");
    if (failure) {
      checkouts.inc({ outcome: "failed" });
      return failure;
    }
    if (simulation.outOfStock()) {
      checkouts.inc({ outcome: "out_of_stock" });
      return jsonError(c, 409, "out_of_stock", "Some items in this order are out of stock.");
    }
    revenueCents += priced.order.totalCents;
    checkouts.inc({ outcome: "accepted" });
    c.env.log.info("order accepted", {
      orderId: priced.order.orderId,
      totalCents: priced.order.totalCents,
    });
    return c.json(priced.order.body, 201);
  });

  if (admin.enabled) {
    const authorized = bearerTokenCheck(admin.token);
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

  return { ...kit, simulation };
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
