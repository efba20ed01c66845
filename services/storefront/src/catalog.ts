/** A product as the catalog stores it: prices in whole cents, so sums never drift. */
export interface Product {
  id: string;
  name: string;
  description: string;
  priceCents: number;
}

/**
 * The shop's catalog: a photographer's small print shop. Prices are what such a shop asks (a postcard for
 * a couple of dollars, a signed A3 print for $45, a workshop seat for $149.50), and deliberately include
 * amounts binary floating point cannot hold exactly (1.90, 6.90, 19.99), so the revenue tests would catch
 * arithmetic done in dollars. The demo traffic's order values follow from them (services/traffic/README.md).
 */
export const CATALOG: readonly Product[] = [
  {
    id: "sunrise-print",
    name: "Sunrise over the harbour (A3 print)",
    description: "Giclée print on cotton rag paper, signed and numbered.",
    priceCents: 4_500,
  },
  {
    id: "city-lights-print",
    name: "City lights (A2 print)",
    description: "Long exposure of the old town at night, printed on matte paper.",
    priceCents: 7_999,
  },
  {
    id: "notebook",
    name: "Sketch notebook",
    description: "96 pages of 160 g/m² paper, lay-flat binding.",
    priceCents: 1_999,
  },
  {
    id: "sticker-pack",
    name: "Sticker pack",
    description: "Six weatherproof vinyl stickers from the portfolio.",
    priceCents: 690,
  },
  {
    id: "postcard",
    name: "Postcard",
    description: "A single postcard of any portfolio piece.",
    priceCents: 190,
  },
  {
    id: "workshop-seat",
    name: "Photography workshop seat",
    description: "A half-day workshop on composition and light, in a group of eight.",
    priceCents: 14_950,
  },
];

const byId = new Map(CATALOG.map((product) => [product.id, product]));

export function findProduct(id: string): Product | undefined {
  return byId.get(id);
}

/** Dollars for display and JSON; only ever computed from whole cents. */
export function centsToDollars(cents: number): number {
  return cents / 100;
}

/** The public JSON shape of a product: `price` in US dollars, as the API contract says. */
export function productJson(product: Product) {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    price: centsToDollars(product.priceCents),
  };
}
