/** Small facts about HTTP requests that more than one service needs. */

/** RFC 9110's token, what a media type's type and subtype are made of. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** `type/subtype`, then parameters or nothing; HTTP's optional whitespace is only space and tab. */
const MEDIA_TYPE = new RegExp(`^[ \\t]*(${TOKEN}/${TOKEN})[ \\t]*(?:;|$)`);

/**
 * The media type of a Content-Type header, without parameters, in lower case; undefined when the header
 * does not start with one as RFC 9110 writes it. The one reading of Content-Type for every route and
 * check: JavaScript's trim() would also drop U+00A0 or U+FEFF, so `\u00a0application/json` would pass a
 * check that a pattern anchored on the raw header (Hono's csrf middleware) skips.
 */
export function mediaType(header: string | undefined): string | undefined {
  return header === undefined ? undefined : MEDIA_TYPE.exec(header)?.[1]?.toLowerCase();
}
