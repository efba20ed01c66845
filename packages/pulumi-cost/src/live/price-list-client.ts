import type { PriceListProduct, PriceListQuery } from "@platform/prices";

/**
 * The AWS Price List Query API (`pricing:GetProducts`) through @aws-sdk/client-pricing, loaded only when a run
 * asks for live prices, so a run without them never loads the SDK. The client talks to us-east-1, one of the
 * API's endpoints, whatever region is priced (`AWS_ENDPOINT_URL_PRICING` points it elsewhere, e.g. at a
 * simulator). Credentials come from the SDK's default chain; the SDK retries throttling and server errors
 * with exponential backoff and jitter (standard mode) up to `maxAttempts` times.
 */
export interface PriceListSource {
  /** Every product a query matches, all its pages, within the bounds below; throws the API's error. */
  products(query: PriceListQuery, signal: AbortSignal): Promise<PriceListProduct[]>;
  close(): void;
}

export interface PriceListClientOptions {
  /** attempts per request, the first included (the SDK's standard retry mode) */
  maxAttempts: number;
  /** the longest one request may take */
  requestTimeoutMs: number;
  /** pages of 100 products per query; a query with more is refused, not cut short */
  maxPages: number;
  /** the longest one product's JSON may be */
  maxProductChars: number;
}

/** A problem that stops every lookup of the run (no credentials, access denied), not just one. */
export class PriceListUnavailable extends Error {}

/** The API's own refusals of the caller: asking again with the same credentials cannot succeed. */
const REFUSED = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
]);

export function describeError(error: unknown): string {
  const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  const text = `${name}: ${message}`.replace(/\s+/g, " ").slice(0, 200);
  return attempts && attempts > 1 ? `${text} (after ${attempts} attempts)` : text;
}

/** Whether an error means no lookup of this run can succeed. */
export function refusesEveryLookup(error: unknown): boolean {
  return error instanceof PriceListUnavailable || REFUSED.has((error as Error).name);
}

async function loadSdk() {
  try {
    return await import("@aws-sdk/client-pricing");
  } catch (error) {
    throw new PriceListUnavailable(
      `@aws-sdk/client-pricing cannot be loaded (${(error as Error).message}); install it to use --live-prices`,
    );
  }
}

/** A client with credentials in hand, or PriceListUnavailable saying why there is none. */
export async function openPriceList(options: PriceListClientOptions): Promise<PriceListSource> {
  const { PricingClient, GetProductsCommand } = await loadSdk();
  const client = new PricingClient({
    region: "us-east-1",
    maxAttempts: options.maxAttempts,
    retryMode: "standard",
    requestHandler: {
      requestTimeout: options.requestTimeoutMs,
      connectionTimeout: options.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  try {
    await client.config.credentials();
  } catch (error) {
    client.destroy();
    throw new PriceListUnavailable(`no AWS credentials (${describeError(error)})`);
  }
  return {
    async products(query, signal) {
      const products: PriceListProduct[] = [];
      let token: string | undefined;
      for (let page = 0; page < options.maxPages; page++) {
        const answer = await client.send(
          new GetProductsCommand({
            ServiceCode: query.serviceCode,
            Filters: query.filters,
            FormatVersion: "aws_v1",
            MaxResults: 100,
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal: signal },
        );
        for (const item of answer.PriceList ?? []) {
          if (item.length > options.maxProductChars) {
            throw new Error(
              `a product of ${query.serviceCode} is longer than ${options.maxProductChars} characters`,
            );
          }
          products.push(JSON.parse(item) as PriceListProduct);
        }
        token = answer.NextToken;
        if (!token) return products;
      }
      throw new Error(`more than ${options.maxPages * 100} products match one query of ${query.serviceCode}`);
    },
    close: () => client.destroy(),
  };
}
