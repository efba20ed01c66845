/**
 * The Price List Query API's wire protocol as the simulator speaks it: AWS JSON 1.1 (`POST /`, an
 * `X-Amz-Target: AWSPriceListService.<Operation>` header), AWS's error shape (`__type` and `message`),
 * a SigV4 `Authorization` header scoped to the `pricing` service, and the request members and bounds of the
 * API reference (GetProducts: at most 50 filters, MaxResults 1 to 100, FormatVersion aws_v1).
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { filterSchema } from "./filters.js";

export const TARGET_PREFIX = "AWSPriceListService.";
export const OPERATIONS = ["GetProducts", "DescribeServices", "GetAttributeValues"] as const;
export type Operation = (typeof OPERATIONS)[number];

export function operationOf(target: string): Operation | undefined {
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  return (OPERATIONS as readonly string[]).includes(name) ? (name as Operation) : undefined;
}

/** An error the API answers with `status` and `__type: code`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: ContentfulStatusCode = 400,
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new ApiError("InvalidParameterException", message);

export const awsJson = (c: Context, status: ContentfulStatusCode, body: unknown) =>
  c.body(JSON.stringify(body), status, {
    "Content-Type": "application/x-amz-json-1.1",
    "x-amzn-RequestId": crypto.randomUUID(),
  });

export const awsError = (c: Context, error: ApiError) =>
  awsJson(c, error.status, { __type: error.code, message: error.message });

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]{1,128})\/(\d{8})\/([a-z0-9-]{1,32})\/([a-z0-9-]{1,32})\/aws4_request, ?SignedHeaders=[a-z0-9;-]{1,1024}, ?Signature=[0-9a-f]{64}$/;

/**
 * The caller's access key id from a SigV4 header scoped to `pricing`. The signature itself is not checked:
 * the simulator has no secret to check it with; it only refuses what AWS refuses before looking at one.
 */
export function accessKeyOf(authorization: string | undefined): string {
  if (!authorization)
    throw new ApiError("MissingAuthenticationTokenException", "Missing Authentication Token");
  const match = SIGV4.exec(authorization);
  if (!match) {
    throw new ApiError(
      "IncompleteSignatureException",
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
    );
  }
  if (match[4] !== "pricing") {
    throw new ApiError(
      "InvalidSignatureException",
      `Credential should be scoped to correct service: 'pricing'.`,
    );
  }
  return match[1] ?? "";
}

const maxResults = z.number().int().min(1).max(100).optional();
const formatVersion = z.literal("aws_v1").optional();
const nextToken = z.string().min(1).max(2048).optional();

export const getProductsRequest = z.object({
  ServiceCode: z.string().min(1).max(128),
  Filters: z.array(filterSchema).max(50).optional(),
  FormatVersion: formatVersion,
  NextToken: nextToken,
  MaxResults: maxResults,
});
export const describeServicesRequest = z.object({
  ServiceCode: z.string().min(1).max(128).optional(),
  FormatVersion: formatVersion,
  NextToken: nextToken,
  MaxResults: maxResults,
});
export const getAttributeValuesRequest = z.object({
  ServiceCode: z.string().min(1).max(128),
  AttributeName: z.string().min(1).max(1024),
  NextToken: nextToken,
  MaxResults: maxResults,
});

/** Parses a request body against its schema; the first problem becomes an InvalidParameterException. */
export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalidParameter(
    `1 validation error detected: ${issue?.path.join(".") || "request"}: ${issue?.message}`,
  );
}
