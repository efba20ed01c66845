// The baseline for bench/storefront.bench.ts: the same index page from a bare Hono app (with the same
// form token, cookie and headers), with no metrics, no logging, no request ids. Listens on PORT.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { CATALOG } from "../services/storefront/src/catalog.js";
import { renderIndex } from "../services/storefront/src/pages.js";
import { formTokenFor, PAGE_HEADERS } from "../services/storefront/src/shop-form.js";

const indexPage = renderIndex(CATALOG);
const app = new Hono();
app.get("/", (c) => c.html(indexPage(formTokenFor(c)), 200, PAGE_HEADERS));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" });
process.once("SIGTERM", () => server.close(() => process.exit(0)));
