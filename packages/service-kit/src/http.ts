/** Small facts about HTTP requests that more than one service needs. */

/** The media type of a Content-Type header, without parameters, in lower case. */
export function mediaType(header: string | undefined): string | undefined {
  return header?.split(";", 1)[0]?.trim().toLowerCase();
}
