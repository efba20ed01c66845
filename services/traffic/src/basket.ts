import { pick } from "./random.js";

/**
 * What a simulated customer buys, shaped like a small print shop's orders rather than uniform draws: most
 * orders hold one product, cheap things sell more often than dear ones, and most lines are a single item.
 *
 * | choice | weights | why |
 * | --- | --- | --- |
 * | products per order | 1: 70%, 2: 22%, 3: 8% | single-item orders dominate a small shop's checkouts |
 * | a product | ∝ 1/√price | a $1.90 postcard sells about 9× as often as a $149.50 workshop seat |
 * | quantity per line | 1: 80%, 2: 15%, 3: 5% | |
 *
 * With the storefront's catalogue that is an average order of about $42 (services/traffic/README.md).
 */
export const LINES_PER_ORDER = [
  [1, 0.7],
  [2, 0.22],
  [3, 0.08],
] as const;
export const QUANTITY_PER_LINE = [
  [1, 0.8],
  [2, 0.15],
  [3, 0.05],
] as const;

export interface Product {
  id: string;
  price: number;
}

function weighted<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

/** How often a product is chosen: cheaper products more often. A price of 0 or less counts as a cent. */
export const popularity = (product: Product) => 1 / Math.sqrt(Math.max(product.price, 0.01));

/** The lines of one order: distinct products with their quantities. */
export function pickBasket(
  random: () => number,
  catalog: readonly Product[],
): { productId: string; quantity: number }[] {
  if (catalog.length === 0) throw new Error("no products to buy");
  const lines = Math.min(weighted(random, LINES_PER_ORDER), catalog.length);
  const chosen = new Set<string>();
  const byPopularity = catalog.map((product) => [product.id, popularity(product)] as const);
  while (chosen.size < lines) {
    const left = byPopularity.filter(([id]) => !chosen.has(id));
    chosen.add(left.length > 0 ? weighted(random, left) : pick(random, catalog).id);
  }
  return [...chosen].map((productId) => ({ productId, quantity: weighted(random, QUANTITY_PER_LINE) }));
}
