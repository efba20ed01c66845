/**
 * The headers every HTML answer of every service carries, errors included, so that no page (a 404 among
 * them) can be framed, cached for another visitor, sniffed as another type or leak its address.
 */

/**
 * A page with no script and nothing loaded from elsewhere: its own inline style, forms that post only to
 * its own origin, never framed (a page that framed the shop could trick a click on Buy).
 */
export const STATIC_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The security headers of an HTML answer under this Content-Security-Policy. */
export function pageHeaders(contentSecurityPolicy = STATIC_PAGE_POLICY) {
  return {
    "Content-Security-Policy": contentSecurityPolicy,
    // Pages may carry a visitor's form token: no cache may keep one visitor's page for another.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  } as const;
}
