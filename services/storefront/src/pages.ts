import { centsToDollars, type Product } from "./catalog.js";

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
`;

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
<footer><small>Prices in US dollars. Orders: <code>POST /api/checkout</code>. Catalog as JSON: <a href="/api/products">/api/products</a>.</small></footer>
</body>
</html>
`;
}

const PORTFOLIO = [
  { title: "Harbour at dawn", text: "A year of early mornings by the water, in twelve photographs." },
  { title: "Night walks", text: "Long exposures of the old town after the shops close." },
  { title: "Paper and ink", text: "Sketches from the notebooks sold in the shop." },
];

export function renderIndex(catalog: readonly Product[]): string {
  const products = catalog
    .map(
      (p) => `<article class="card">
<h3><a href="/products/${encodeURIComponent(p.id)}">${escapeHtml(p.name)}</a></h3>
<p>${escapeHtml(p.description)}</p>
<p class="price">${formatPrice(p.priceCents)}</p>
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

export function renderProductPage(product: Product): string {
  return layout(
    product.name,
    `<header><p><a href="/">&larr; All products</a></p><h1>${escapeHtml(product.name)}</h1></header>
<main>
<p>${escapeHtml(product.description)}</p>
<p class="price">${formatPrice(product.priceCents)}</p>
<p>To order, send <code>{"items":[{"productId":"${escapeHtml(product.id)}","quantity":1}]}</code> to <code>POST /api/checkout</code>.</p>
</main>`,
  );
}

export function renderNotFoundPage(productId: string): string {
  return layout(
    "Product not found",
    `<header><p><a href="/">&larr; All products</a></p><h1>Product not found</h1></header>
<main><p>There is no product with the id <code>${escapeHtml(productId)}</code>.</p></main>`,
  );
}
