import { randomUUID } from "node:crypto";
import { z } from "zod";
import { centsToDollars, findProduct } from "./catalog.js";

/** Limits that keep one order plausible; anything beyond them is a client bug or abuse. */
export const MAX_QUANTITY_PER_LINE = 100;
export const MAX_LINES = 50;

export const checkoutRequestSchema = z.object({
  items: z
    .array(
      z.object({
        productId: z.string().min(1).max(100),
        quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_LINE),
      }),
    )
    .min(1, { message: "must hold at least one item" })
    .max(MAX_LINES, { message: `must hold at most ${MAX_LINES} items` }),
});

export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

export interface Order {
  orderId: string;
  /** Whole cents, the only unit revenue is ever added up in. */
  totalCents: number;
  body: {
    orderId: string;
    total: number;
    currency: "USD";
    items: { productId: string; name: string; quantity: number; unitPrice: number; lineTotal: number }[];
  };
}

export type Priced = { ok: true; order: Order } | { ok: false; unknownProductIds: string[] };

/** Prices a validated request from the catalog, never from anything the client sent. */
export function priceOrder(request: CheckoutRequest): Priced {
  const unknownProductIds: string[] = [];
  const items: Order["body"]["items"] = [];
  let totalCents = 0;
  for (const { productId, quantity } of request.items) {
    const product = findProduct(productId);
    if (!product) {
      unknownProductIds.push(productId);
      continue;
    }
    const lineCents = product.priceCents * quantity;
    totalCents += lineCents;
    items.push({
      productId,
      name: product.name,
      quantity,
      unitPrice: centsToDollars(product.priceCents),
      lineTotal: centsToDollars(lineCents),
    });
  }
  if (unknownProductIds.length > 0) return { ok: false, unknownProductIds: [...new Set(unknownProductIds)] };
  const orderId = `ord_${randomUUID()}`;
  return {
    ok: true,
    order: {
      orderId,
      totalCents,
      body: { orderId, total: centsToDollars(totalCents), currency: "USD", items },
    },
  };
}
