import { component } from "../components";
import type { PricedInput } from "../inputs";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types";

/** $1 per key-month, and requests per 10,000 as usage. */
export function priceKmsKey(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const p = context.prices;
  sheet.add(
    component("KMS key", ["key", [1, "month"]], p.kmsKeyMonth, {
      unit: "key-months",
      priceUnit: "key-month",
    }),
  );
  const requests = context.usage.kmsRequestsPerKey;
  sheet.usageCharge({
    item: "KMS requests",
    unitPrice: p.kmsPer10kRequests,
    unit: "10,000 requests",
    ...(requests
      ? {
          estimate: component(
            "KMS requests",
            [[requests.dividedBy(10_000), "× 10,000 requests"]],
            p.kmsPer10kRequests,
            { unit: "10,000 requests", priceUnit: "10,000 requests" },
          ),
          basis: "kms.requestsPerKey",
        }
      : {}),
  });
  return sheet.result();
}

export function priceS3Bucket(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const p = context.prices;
  const gb = context.usage.s3StorageGbPerBucket;
  sheet.usageCharge({
    item: "S3 Standard storage",
    unitPrice: p.s3StandardGbMonth,
    unit: "GB-month",
    ...(gb
      ? {
          estimate: component("S3 Standard storage", [[gb, "GB"]], p.s3StandardGbMonth, {
            unit: "GB-months",
            priceUnit: "GB-month",
          }),
          basis: "s3.storageGbPerBucket",
        }
      : {}),
  });
  return sheet.result();
}

export function priceLogGroup(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const p = context.prices;
  const gb = context.usage.cloudwatchLogsIngestedGbPerLogGroup;
  sheet.usageCharge({
    item: "CloudWatch Logs ingestion",
    unitPrice: p.cloudwatchLogsIngestPerGb,
    unit: "GB",
    ...(gb
      ? {
          estimate: component("logs ingested", [[gb, "GB"]], p.cloudwatchLogsIngestPerGb, {
            unit: "GB",
            priceUnit: "GB",
          }),
          basis: "cloudwatchLogs.ingestedGbPerLogGroup",
        }
      : {}),
  });
  return sheet.result();
}
