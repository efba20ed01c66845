/**
 * NextToken paging without server-side state: a token carries its offset, a digest of the query it
 * continues and the time it was issued, signed with a key made at start. A forged or foreign token is
 * InvalidNextTokenException; a token older than its lifetime is ExpiredNextTokenException, as AWS answers.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ApiError } from "./protocol.js";

export interface Paging {
  issue(query: unknown, offset: number): string;
  /** The offset a token continues from, after checking it belongs to this query and is still valid. */
  offsetOf(query: unknown, token: string | undefined): number;
}

export function createPaging({ lifetimeMs, now }: { lifetimeMs: number; now: () => number }): Paging {
  const key = randomBytes(32);
  const digest = (query: unknown) =>
    createHash("sha256").update(JSON.stringify(query)).digest("base64url").slice(0, 22);
  const sign = (body: string) => createHmac("sha256", key).update(body).digest("base64url");
  const invalid = () => new ApiError("InvalidNextTokenException", "The pagination token is invalid.");
  return {
    issue(query, offset) {
      const body = Buffer.from(JSON.stringify({ o: offset, q: digest(query), t: now() })).toString(
        "base64url",
      );
      return `${body}.${sign(body)}`;
    },
    offsetOf(query, token) {
      if (token === undefined) return 0;
      const [body = "", signature = ""] = token.split(".");
      const expected = Buffer.from(sign(body));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const decoded = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as {
        o: number;
        q: string;
        t: number;
      };
      if (decoded.q !== digest(query) || !Number.isSafeInteger(decoded.o) || decoded.o < 0) throw invalid();
      if (now() - decoded.t > lifetimeMs) {
        throw new ApiError("ExpiredNextTokenException", "The pagination token expired.");
      }
      return decoded.o;
    },
  };
}
