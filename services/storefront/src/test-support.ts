import { createLogger, createServiceMetrics } from "@platform/service-kit";
import { sample } from "@platform/testkit";
import { createApp, type StorefrontDeps } from "./app.js";

/** Shared by the app.*.test.ts files: a storefront app with a silent logger, and readers of its answers. */
export const silent = createLogger({ service: "storefront", level: "silent" });
export const storefront = (deps: StorefrontDeps = {}) =>
  createApp({ logger: silent, metrics: createServiceMetrics({ collectDefaults: false }), ...deps });

export const postCheckout = (app: ReturnType<typeof storefront>["app"], body: string, headers = {}) =>
  app.request("/api/checkout", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
  });

export const item = (productId: unknown, quantity: unknown) => ({ productId, quantity });

export async function counters(app: ReturnType<typeof storefront>["app"]) {
  const text = await (await app.request("/metrics")).text();
  const outcome = (o: string) => sample(text, `app_checkouts_total{outcome="${o}"}`);
  return {
    revenue: sample(text, "app_revenue_total"),
    aborted: sample(text, 'app_requests_total{method="POST",endpoint="/api/checkout",status="499"}') ?? 0,
    accepted: outcome("accepted"),
    invalid: outcome("invalid"),
    outOfStock: outcome("out_of_stock"),
    paymentFailed: outcome("payment_failed"),
    failed: outcome("failed"),
    productViews: sample(text, "app_product_views_total"),
    text,
  };
}
