import {
  type CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  GetCostForecastCommand,
  type GetCostForecastCommandInput,
} from "@aws-sdk/client-cost-explorer";
import type { Logger } from "@platform/service-kit";
import { utcDay } from "./dates.js";
import type { ExporterMetrics, Operation, RequestOutcome } from "./exporter-metrics.js";
import {
  type CostAndUsagePage,
  type Forecast,
  MalformedResponseError,
  parseCostAndUsagePage,
  parseForecast,
} from "./responses.js";

/** Refused before sending: the request would exceed DAILY_REQUEST_CAP. */
export class DailyCapReachedError extends Error {
  constructor(cap: number) {
    super(`The daily cap of ${cap} paid Cost Explorer requests is reached; waiting for the next UTC day.`);
    this.name = "DailyCapReachedError";
  }
}

/**
 * Paid requests per UTC day. Every HTTP request to Cost Explorer costs money (each page and each
 * retry too), so each one takes a permit first; with a cap the permit is refused once it is reached.
 */
export class DailyRequestBudget {
  private day = "";
  private used = 0;
  constructor(
    readonly cap: number,
    private readonly now: () => number,
  ) {}

  private rollOver() {
    const today = utcDay(this.now());
    if (today !== this.day) {
      this.day = today;
      this.used = 0;
    }
  }

  tryTake(): boolean {
    this.rollOver();
    if (this.cap > 0 && this.used >= this.cap) return false;
    this.used++;
    return true;
  }

  usedToday(): number {
    this.rollOver();
    return this.used;
  }
}

const THROTTLING = new Set(["LimitExceededException", "ThrottlingException", "TooManyRequestsException"]);
const BAD_CREDENTIALS = new Set([
  "ExpiredTokenException",
  "ExpiredToken",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "CredentialsProviderError",
]);
const ACCESS_DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);
/**
 * What Cost Explorer answers an account that never opened it in the console: `AccessDeniedException` with
 * the message "User not enabled for cost explorer access" (sources dated in the README). Not a permission the
 * role lacks: nothing but a person fixes it.
 */
const NOT_ENABLED = /not enabled for cost explorer/i;

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
}

export function classifyError(err: unknown): RequestOutcome {
  if (err instanceof MalformedResponseError) return "malformed";
  const e = (typeof err === "object" && err !== null ? err : {}) as SdkErrorShape;
  const name = e.name ?? "";
  if (THROTTLING.has(name)) return "throttled";
  if (BAD_CREDENTIALS.has(name)) return "invalid_credentials";
  if (ACCESS_DENIED.has(name) && NOT_ENABLED.test(e.message ?? "")) return "not_enabled";
  if (ACCESS_DENIED.has(name)) return "access_denied";
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (status >= 500 || e.$fault === "server") return "server_error";
  // A 2xx the SDK could not deserialize (not JSON at all) is a malformed answer too.
  if (status >= 200 && status < 300) return "malformed";
  return "error";
}

function isRetryable(outcome: RequestOutcome, err: unknown): boolean {
  switch (outcome) {
    case "throttled":
    case "server_error":
    case "malformed":
    // The default credential chain hands out fresh credentials once the old ones expired.
    case "invalid_credentials":
      return true;
    case "access_denied":
    case "not_enabled":
      return false;
    default:
      // A request Cost Explorer refused as invalid fails the same way again; network errors and timeouts may not.
      return (err as SdkErrorShape | undefined)?.$fault !== "client";
  }
}

export interface CostExplorerApiOptions {
  client: Pick<CostExplorerClient, "send">;
  budget: DailyRequestBudget;
  metrics: ExporterMetrics;
  logger: Logger;
  /** Attempts per request (first try plus retries), each one a paid request. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface CostExplorerApi {
  /** Every page of one GetCostAndUsage request, validated. */
  costAndUsage(input: GetCostAndUsageCommandInput): Promise<CostAndUsagePage[]>;
  costForecast(input: GetCostForecastCommandInput): Promise<Forecast>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Cost Explorer calls with the exporter's own retries: the SDK client is built with maxAttempts 1, so
 * each `send` here is exactly one HTTP request, counted, checked against the cap first, and retried
 * with capped exponential backoff and full jitter.
 */
export function createCostExplorerApi({
  client,
  budget,
  metrics,
  logger,
  maxAttempts = 4,
  backoffBaseMs = 1_000,
  backoffMaxMs = 30_000,
  sleep = realSleep,
  random = Math.random,
}: CostExplorerApiOptions): CostExplorerApi {
  async function paidRequest<T>(
    operation: Operation,
    send: () => Promise<unknown>,
    parse: (answer: unknown) => T,
  ) {
    for (let attempt = 1; ; attempt++) {
      if (!budget.tryTake()) {
        metrics.requestsSkipped.inc({ reason: "daily_cap" });
        throw new DailyCapReachedError(budget.cap);
      }
      try {
        const parsed = parse(await send());
        metrics.apiRequests.inc({ operation, outcome: "success" });
        return parsed;
      } catch (err) {
        const outcome = classifyError(err);
        metrics.apiRequests.inc({ operation, outcome });
        if (outcome === "throttled") metrics.apiThrottles.inc({ operation });
        const retry = attempt < maxAttempts && isRetryable(outcome, err);
        logger.warn("Cost Explorer request failed", { operation, outcome, attempt, willRetry: retry, err });
        if (!retry) throw err;
        metrics.apiRetries.inc({ operation });
        await sleep(Math.round(random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** (attempt - 1))));
      }
    }
  }

  return {
    async costAndUsage(input) {
      const pages: CostAndUsagePage[] = [];
      let token: string | undefined;
      do {
        const request = { ...input, ...(token ? { NextPageToken: token } : {}) };
        const page = await paidRequest(
          "GetCostAndUsage",
          () => client.send(new GetCostAndUsageCommand(request)),
          (answer) => parseCostAndUsagePage(answer, input.Metrics?.[0] ?? ""),
        );
        metrics.apiPages.inc({ operation: "GetCostAndUsage" });
        pages.push(page);
        token = page.NextPageToken || undefined;
      } while (token);
      return pages;
    },
    async costForecast(input) {
      const forecast = await paidRequest(
        "GetCostForecast",
        () => client.send(new GetCostForecastCommand(input)),
        parseForecast,
      );
      metrics.apiPages.inc({ operation: "GetCostForecast" });
      return forecast;
    },
  };
}
