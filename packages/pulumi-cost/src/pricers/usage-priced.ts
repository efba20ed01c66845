import { component } from "../components.js";
import type { PricedInput } from "../inputs.js";
import { t } from "../text.js";
import { addCharge, quantityOf } from "./declared.js";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types.js";

/** $1 per key-month, and requests per 10,000 as usage. */
export function priceKmsKey(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const keyMonth = sheet.need("kmsKeyMonth");
  if (keyMonth) {
    sheet.add(
      component("KMS key", ["key", [1, "month"]], keyMonth, { unit: "key-months", priceUnit: "key-month" }),
    );
  }
  sheet.usageFor(
    { item: t`KMS requests`, unitPrice: sheet.need("kmsPer10kRequests"), unit: "10,000 requests" },
    context.usage.kmsRequestsPerKey,
    t`kms.requestsPerKey`,
    (requests) => [[requests.dividedBy(10_000), "× 10,000 requests"]],
  );
  return sheet.result();
}

export function priceS3Bucket(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  for (const [item, key, quantity] of [
    ["S3 PUT, COPY, POST, LIST requests", "s3Tier1Request", "tier1Requests"],
    ["S3 GET and other requests", "s3Tier2Request", "tier2Requests"],
  ] as const) {
    // Shown only when the configuration counts them: a bucket's requests are usually a small part of its bill.
    if (quantityOf(resource, context, quantity))
      addCharge(sheet, { kind: "usage", item, key, quantity, unit: "request" }, resource);
  }
  sheet.usageFor(
    { item: t`S3 Standard storage`, unitPrice: sheet.need("s3StandardGbMonth"), unit: "GB-month" },
    context.usage.s3StorageGbPerBucket,
    t`s3.storageGbPerBucket`,
    (gb) => [[gb, "GB"]],
  );
  return sheet.result();
}

export function priceLogGroup(_resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  sheet.usageFor(
    { item: t`CloudWatch Logs ingestion`, unitPrice: sheet.need("cloudwatchLogsIngestPerGb"), unit: "GB" },
    context.usage.cloudwatchLogsIngestedGbPerLogGroup,
    t`cloudwatchLogs.ingestedGbPerLogGroup`,
    (gb) => [[gb, "GB"]],
  );
  return sheet.result();
}
