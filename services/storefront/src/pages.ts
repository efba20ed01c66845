import { centsToDollars, type Product } from "./catalog.js";
import { MAX_QUANTITY_PER_LINE, type Order } from "./checkout.js";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Every value placed in a page goes through this, catalog text included, so no content can inject markup. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const formatPrice = (cents: number) => escapeHtml(usd.format(centsToDollars(cents)));

// Inline styles only: the page must render with no external assets (no CDN, no fonts, no scripts).
const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d232a; background: #f7f6f3; }
  header, main, footer { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
  header h1 { margin-bottom: 0.25rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
  .card { background: #fff; border-radius: 0.5rem; padding: 1rem; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .price { font-weight: 600; }
  a { color: #0b5cad; }
  code { background: #ecebe7; padding: 0.1rem 0.3rem; border-radius: 0.2rem; }
  form.buy { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
  form.buy input[type=number] { width: 4.5rem; padding: 0.3rem; font: inherit; }
  button { font: inherit; padding: 0.35rem 1.1rem; border: 0; border-radius: 0.3rem; background: #0b5cad;
    color: #fff; cursor: pointer; }
  table.order { border-collapse: collapse; margin: 1rem 0; }
  table.order td, table.order th { padding: 0.3rem 0.8rem; text-align: left; border-bottom: 1px solid #ddd; }
  table.order .amount { text-align: right; }
`;

/**
 * A page rendered once with a slot for the visitor's form token, filled for each request by a join: the
 * index is the busiest route, and rendering it per request would cost throughput.
 */
export type TokenPage = (formToken: string) => string;
const TOKEN_SLOT = "\u0000form-token\u0000";
function withTokenSlot(render: (slot: string) => string): TokenPage {
  const parts = render(TOKEN_SLOT).split(TOKEN_SLOT);
  return (formToken) => parts.join(escapeHtml(formToken));
}

/**
 * A plain HTML form that places an order (no script needed): the product, a quantity and the visitor's
 * form token, which the order route compares with the visitor's SameSite cookie (see shop-form.ts).
 */
function buyForm(product: Product, formToken: string): string {
  return `<form class="buy" method="post" action="/checkout">
<input type="hidden" name="token" value="${formToken}">
<input type="hidden" name="productId" value="${escapeHtml(product.id)}">
<label>Quantity <input type="number" name="quantity" value="1" min="1" max="${MAX_QUANTITY_PER_LINE}" required></label>
<button type="submit">Buy</button>
</form>`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<footer><small>Prices in US dollars. Orders as JSON: <code>POST /api/checkout</code>. Catalog as JSON: <a href="/api/products">/api/products</a>.</small></footer>
</body>
</html>
`;
}

const PORTFOLIO = [
  { title: "Harbour at dawn", text: "A year of early mornings by the water, in twelve photographs." },
  { title: "Night walks", text: "Long exposures of the old town after the shops close." },
  { title: "Paper and ink", text: "Sketches from the notebooks sold in the shop." },
];

export function renderIndex(catalog: readonly Product[]): TokenPage {
  return withTokenSlot((formToken) => indexHtml(catalog, formToken));
}

function indexHtml(catalog: readonly Product[], formToken: string): string {
  const products = catalog
    .map(
      (p) => `<article class="card">
<h3><a href="/products/${encodeURIComponent(p.id)}">${escapeHtml(p.name)}</a></h3>
<p>${escapeHtml(p.description)}</p>
<p class="price">${formatPrice(p.priceCents)}</p>
${buyForm(p, formToken)}
</article>`,
    )
    .join("\n");
  const portfolio = PORTFOLIO.map(
    (w) => `<article class="card"><h3>${escapeHtml(w.title)}</h3><p>${escapeHtml(w.text)}</p></article>`,
  ).join("\n");
  return layout(
    "Studio shop and portfolio",
    `<header><h1>Studio shop and portfolio</h1><p>Prints, notebooks and workshops from the portfolio below.</p></header>
<main>
<h2>Shop</h2>
<section class="grid">
${products}
</section>
<h2>Portfolio</h2>
<section class="grid">
${portfolio}
</section>
</main>`,
  );
}

export function renderProductPage(product: Product): TokenPage {
  return withTokenSlot((formToken) =>
    layout(
      product.name,
      `<header><p><a href="/">&larr; All products</a></p><h1>${escapeHtml(product.name)}</h1></header>
<main>
<p>${escapeHtml(product.description)}</p>
<p class="price">${formatPrice(product.priceCents)}</p>
${buyForm(product, formToken)}
<p><small>Or as JSON: <code>{"items":[{"productId":"${escapeHtml(product.id)}","quantity":1}]}</code> to <code>POST /api/checkout</code>.</small></p>
</main>`,
    ),
  );
}

/** What a buyer sees after the order form placed an order: its id, its lines and the total. */
export function renderOrderConfirmation(order: Order): string {
  const lines = order.body.items
    .map(
      (line) => `<tr><td>${escapeHtml(line.name)}</td><td class="amount">${line.quantity}</td>
<td class="amount">${escapeHtml(usd.format(line.unitPrice))}</td><td class="amount">${escapeHtml(usd.format(line.lineTotal))}</td></tr>`,
    )
    .join("\n");
  return layout(
    "Thank you for your order",
    `<header><p><a href="/">&larr; Back to the shop</a></p><h1>Thank you for your order</h1></header>
<main>
<p>Order <code id="order-id">${escapeHtml(order.orderId)}</code></p>
<table class="order">
<thead><tr><th>item</th><th class="amount">quantity</th><th class="amount">price</th><th class="amount">amount</th></tr></thead>
<tbody>
${lines}
</tbody>
<tfoot><tr><th colspan="3">Total</th><th class="amount" id="order-total">${formatPrice(order.totalCents)}</th></tr></tfoot>
</table>
</main>`,
  );
}

/** Why the order form placed no order, in words for the buyer, with the way back. */
export function renderOrderProblem(title: string, message: string): string {
  return layout(
    title,
    `<header><p><a href="/">&larr; Back to the shop</a></p><h1>${escapeHtml(title)}</h1></header>
<main><p>${escapeHtml(message)}</p></main>`,
  );
}

export function renderNotFoundPage(productId: string): string {
  return layout(
    "Product not found",
    `<header><p><a href="/">&larr; All products</a></p><h1>Product not found</h1></header>
<main><p>There is no product with the id <code>${escapeHtml(productId)}</code>.</p></main>`,
  );
}
