/** Small facts about HTTP requests that more than one route of the shop needs. */

/** What an answer to a client that went away before its request was read is counted as (as nginx does). */
export const CLIENT_CLOSED_REQUEST = 499;

/** The media type of a Content-Type header, without parameters, in lower case. */
export function mediaType(header: string | undefined): string | undefined {
  return header?.split(";", 1)[0]?.trim().toLowerCase();
}
