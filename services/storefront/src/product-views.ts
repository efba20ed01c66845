import { Counter, type Registry } from "prom-client";

/**
 * `app_product_views_total`: product pages and product documents served (200), the denominator of
 * conversion (orders per product view) that RevenueDropWhileHealthy compares the orders with. No labels: one
 * series whatever the catalogue holds.
 */
export function createProductViews(registry: Registry): () => void {
  const views = new Counter({
    name: "app_product_views_total",
    help: "Product pages and product documents served, the denominator of conversion.",
    registers: [registry],
  });
  return () => views.inc();
}
