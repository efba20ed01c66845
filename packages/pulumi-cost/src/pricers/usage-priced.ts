import { component } from "../components.js";
import { type PricedInput, stringAt } from "../inputs.js";
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

/** The log group EKS writes a cluster's control-plane logs to (docs.aws.amazon.com/eks, control-plane logs). */
export const eksControlPlaneLogGroup = (clusterName: string) => `/aws/eks/${clusterName}/cluster`;
const EKS_LOG_GROUP = /^\/aws\/eks\/[^/]+\/cluster$/;

/**
 * Ingestion, as usage. The log group of an EKS cluster's control plane is estimated with the control-plane
 * logs' figure (`eksControlPlaneLogs.ingestedGb`): these are its bytes, counted here and not on the cluster.
 */
export function priceLogGroup(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const unitPrice = sheet.need("cloudwatchLogsIngestPerGb");
  if (EKS_LOG_GROUP.test(stringAt(resource.inputs, "name") ?? "")) {
    sheet.usageFor(
      { item: t`EKS control plane logs (CloudWatch Logs ingestion)`, unitPrice, unit: "GB" },
      context.usage.eksControlPlaneLogsIngestedGb,
      t`eksControlPlaneLogs.ingestedGb`,
      (gb) => [[gb, "GB"]],
    );
    return sheet.result();
  }
  sheet.usageFor(
    { item: t`CloudWatch Logs ingestion`, unitPrice, unit: "GB" },
    context.usage.cloudwatchLogsIngestedGbPerLogGroup,
    t`cloudwatchLogs.ingestedGbPerLogGroup`,
    (gb) => [[gb, "GB"]],
  );
  return sheet.result();
}

/**
 * An Amazon Managed Service for Prometheus workspace bills nothing by the hour: samples ingested, metrics
 * stored and query samples processed, each as usage (the table keeps ingestion's first tier, its highest; the
 * free tier is not applied). A region whose prices the table lacks is not priced.
 */
export function priceAmpWorkspace(
  _resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const sheet = new PriceSheet(context);
  const { usage, region } = context;
  const charges = [
    {
      key: "ampSamplesIngestedPer10M",
      item: t`AMP metric samples ingested`,
      unit: "10M samples",
      amount: usage.ampSamplesIngested,
      basis: t`prometheusWorkspace.samplesIngested`,
      per: 10_000_000,
      label: "× 10M samples",
    },
    {
      key: "ampStorageGbMonth",
      item: t`AMP metrics stored`,
      unit: "GB-month",
      amount: usage.ampStoredGb,
      basis: t`prometheusWorkspace.storedGb`,
      per: 1,
      label: "GB",
    },
    {
      key: "ampQuerySamplesPerBillion",
      item: t`AMP query samples processed`,
      unit: "billion samples",
      amount: usage.ampQuerySamplesProcessed,
      basis: t`prometheusWorkspace.querySamplesProcessed`,
      per: 1_000_000_000,
      label: "× 1B samples",
    },
  ] as const;
  for (const charge of charges) {
    const unitPrice = sheet.price(charge.key);
    if (!unitPrice) {
      sheet.cannotPrice(t`no ${charge.key} price for region ${region} in the price table`);
      continue;
    }
    sheet.usageFor(
      { item: charge.item, unitPrice, unit: charge.unit },
      charge.amount,
      charge.basis,
      (amount) => [[amount.dividedBy(charge.per), charge.label]],
    );
  }
  return sheet.result();
}
