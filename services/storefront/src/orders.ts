import type { Logger } from "@platform/service-kit";
import { Counter, type Registry } from "prom-client";
import { checkoutRequestSchema, type Order, priceOrder } from "./checkout.js";
import type { Simulation } from "./simulation.js";

/**
 * The `outcome` label values of `app_checkouts_total`. An upload the client aborted is none of them.
 * `out_of_stock` and `payment_failed` are valid orders the shop turned away: what RevenueDropWhileHealthy
 * watches (alerts/rules/business.ts), whatever HTTP status a route answers them with.
 */
export const CHECKOUT_OUTCOMES = ["accepted", "invalid", "out_of_stock", "payment_failed", "failed"] as const;
export type CheckoutOutcome = (typeof CHECKOUT_OUTCOMES)[number];

/** What a checkout came to; each route (the JSON API, a form) renders it its own way. */
export type CheckoutResult =
  | { outcome: "accepted"; status: 201; order: Order }
  | {
      outcome: Exclude<CheckoutOutcome, "accepted">;
      status: 400 | 402 | 409 | 422 | 503;
      error: string;
      message: string;
      details?: Record<string, unknown>;
    };

export interface Checkout {
  /**
   * Validates, prices, simulates and counts one checkout request (the parsed body, any shape). Bad input
   * is the client's fault whatever the simulation says: it is answered before the simulated processing
   * (delay, failure) that only a valid order reaches.
   */
  place(request: unknown, log: Logger): Promise<CheckoutResult>;
  /**
   * A checkout whose body is not JSON, refused before it could be read as an order. (A body of another
   * media type is no checkout at all: the route answers 415 without counting it.)
   */
  refuse(status: 400, error: string, message: string): CheckoutResult;
}

/** The checkout logic every checkout route shares, with the revenue and checkout counters it keeps. */
export function createCheckout(registry: Registry, simulation: Simulation): Checkout {
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
    help: "Checkout attempts by outcome: accepted, invalid (bad input), out_of_stock, payment_failed, failed.",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  // Every outcome exists from the start, so rate() and ratios have a series before the first incident.
  for (const outcome of CHECKOUT_OUTCOMES) checkouts.inc({ outcome }, 0);

  const counted = (result: CheckoutResult): CheckoutResult => {
    checkouts.inc({ outcome: result.outcome });
    return result;
  };
  const invalid = (status: 400 | 422, error: string, message: string, details?: Record<string, unknown>) =>
    counted({ outcome: "invalid", status, error, message, ...(details ? { details } : {}) });

  return {
    refuse: (status, error, message) => invalid(status, error, message),
    async place(request, log) {
      const parsed = checkoutRequestSchema.safeParse(request);
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
      if (simulation.fails("checkout")) {
        return counted({
          outcome: "failed",
          status: 503,
          error: "simulated_failure",
          message: "Simulated failure of the checkout endpoint.",
        });
      }
      if (simulation.outOfStock()) {
        return counted({
          outcome: "out_of_stock",
          status: 409,
          error: "out_of_stock",
          message: "Some items in this order are out of stock.",
        });
      }
      if (simulation.paymentFails()) {
        return counted({
          outcome: "payment_failed",
          status: 402,
          error: "payment_declined",
          message: "The payment was declined; no money was taken.",
        });
      }
      revenueCents += priced.order.totalCents;
      log.info("order accepted", { orderId: priced.order.orderId, totalCents: priced.order.totalCents });
      return counted({ outcome: "accepted", status: 201, order: priced.order });
    },
  };
}
