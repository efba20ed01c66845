import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { type Filter, PricingClient, paginateGetProducts } from "@aws-sdk/client-pricing";
import {
  AWS_PRICE_TABLE,
  exact,
  loadPriceTable,
  type PriceTableDocument,
  type RegionPricesDocument,
  readPriceTableFile,
} from "@platform/prices";
import { REPO_ROOT } from "./stack-files";

/** The module of @platform/prices that holds the table; this tool rewrites it. */
export const PRICE_TABLE_MODULE = join(REPO_ROOT, "packages", "prices", "src", "aws-prices.ts");

/** One entry of GetProducts' PriceList, after JSON.parse (the API returns each as a string). */
export interface PriceListProduct {
  product?: { productFamily?: string; attributes?: Record<string, string> };
  terms?: {
    OnDemand?: Record<
      string,
      {
        priceDimensions?: Record<
          string,
          {
            unit?: string;
            beginRange?: string;
            endRange?: string;
            pricePerUnit?: Record<string, string>;
            description?: string;
          }
        >;
      }
    >;
  };
}

/**
 * The on-demand USD price of a product's first tier (beginRange 0) as the exact decimal the API sent
 * ("0.0960000000" → "0.096"), with its unit; undefined when the product has no on-demand price.
 */
export function onDemandPrice(product: PriceListProduct): { usd: string; unit: string } | undefined {
  for (const term of Object.values(product.terms?.OnDemand ?? {})) {
    const dimensions = Object.values(term.priceDimensions ?? {});
    const first = dimensions.find((d) => (d.beginRange ?? "0") === "0") ?? dimensions[0];
    const usd = first?.pricePerUnit?.USD;
    if (usd !== undefined && /^\d+(\.\d+)?$/.test(usd))
      return { usd: exact(usd).toFixed(), unit: first?.unit ?? "" };
  }
  return undefined;
}

function attribute(product: PriceListProduct, name: string): string {
  return product.product?.attributes?.[name] ?? "";
}

/** Linux, shared tenancy, no pre-installed software, on-demand capacity: the price a node pays. */
export function ec2InstanceHourPrices(products: PriceListProduct[]): Record<string, string> {
  const prices: Record<string, string> = {};
  for (const product of products) {
    if (product.product?.productFamily !== "Compute Instance") continue;
    if (attribute(product, "operatingSystem") !== "Linux" || attribute(product, "tenancy") !== "Shared")
      continue;
    if (attribute(product, "preInstalledSw") !== "NA" || attribute(product, "capacitystatus") !== "Used")
      continue;
    const licenseModel = attribute(product, "licenseModel");
    if (licenseModel && licenseModel !== "No License required") continue;
    const price = onDemandPrice(product);
    const type = attribute(product, "instanceType");
    if (type && price && exact(price.usd).greaterThan(0)) prices[type] = price.usd;
  }
  return Object.fromEntries(Object.entries(prices).sort(([a], [b]) => a.localeCompare(b)));
}

/** The first product whose usagetype ends with `suffix` (usage types carry a region prefix such as EUC1-). */
export function priceByUsageType(
  products: PriceListProduct[],
  suffix: string,
  match: (p: PriceListProduct) => boolean = () => true,
): string | undefined {
  for (const product of products) {
    if (!attribute(product, "usagetype").endsWith(suffix) || !match(product)) continue;
    const price = onDemandPrice(product);
    if (price) return price.usd;
  }
  return undefined;
}

interface Query {
  serviceCode: string;
  filters: Filter[];
}

const term = (Field: string, Value: string): Filter => ({ Type: "TERM_MATCH", Field, Value });

/** The Price List queries behind one region's entry; recorded in the table's source too. */
export function queriesFor(region: string, instanceTypes: string[]): Record<string, Query> {
  const inRegion = term("regionCode", region);
  return {
    eks: { serviceCode: "AmazonEKS", filters: [inRegion] },
    ec2: {
      serviceCode: "AmazonEC2",
      filters: [
        inRegion,
        { Type: "ANY_OF", Field: "instanceType", Value: instanceTypes.join(",") },
        term("operatingSystem", "Linux"),
        term("tenancy", "Shared"),
        term("preInstalledSw", "NA"),
        term("capacitystatus", "Used"),
      ],
    },
    nat: { serviceCode: "AmazonEC2", filters: [inRegion, term("productFamily", "NAT Gateway")] },
    ipv4: { serviceCode: "AmazonVPC", filters: [inRegion] },
    ebs: {
      serviceCode: "AmazonEC2",
      filters: [inRegion, { Type: "ANY_OF", Field: "volumeApiName", Value: "gp3,gp2" }],
    },
    elb: { serviceCode: "AWSELB", filters: [inRegion] },
    kms: { serviceCode: "awskms", filters: [inRegion] },
    s3: { serviceCode: "AmazonS3", filters: [inRegion, term("storageClass", "General Purpose")] },
    cloudwatch: { serviceCode: "AmazonCloudWatch", filters: [inRegion] },
    costExplorer: { serviceCode: "AWSCostExplorer", filters: [] },
  };
}

export async function getProducts(client: PricingClient, query: Query): Promise<PriceListProduct[]> {
  const products: PriceListProduct[] = [];
  const pages = paginateGetProducts(
    { client, pageSize: 100 },
    { ServiceCode: query.serviceCode, Filters: query.filters, FormatVersion: "aws_v1" },
  );
  for await (const page of pages) {
    for (const item of page.PriceList ?? []) products.push(JSON.parse(item) as PriceListProduct);
  }
  return products;
}

const family = (name: string) => (p: PriceListProduct) => p.product?.productFamily === name;
const volume = (name: string) => (p: PriceListProduct) => attribute(p, "volumeApiName") === name;

/**
 * A region's prices from the Price List API. A value the API did not return keeps its previous
 * figure and is reported in `missing`, so a partial answer never zeroes a price.
 */
export async function fetchRegionPrices(
  client: PricingClient,
  region: string,
  previous: RegionPricesDocument,
): Promise<{ prices: RegionPricesDocument; missing: string[] }> {
  const queries = queriesFor(region, Object.keys(previous.ec2InstanceHour));
  const answers = Object.fromEntries(
    await Promise.all(
      Object.entries(queries).map(async ([key, query]) => [key, await getProducts(client, query)]),
    ),
  ) as Record<keyof ReturnType<typeof queriesFor>, PriceListProduct[]>;
  const missing: string[] = [];
  const pick = (label: string, found: string | undefined, old: string): string => {
    if (found === undefined) {
      missing.push(label);
      return old;
    }
    return found;
  };
  const ec2 = ec2InstanceHourPrices(answers.ec2);
  for (const type of Object.keys(previous.ec2InstanceHour)) {
    if (ec2[type] === undefined) missing.push(`ec2InstanceHour.${type}`);
  }
  const throughput = answers.ebs.find((p) => attribute(p, "usagetype").endsWith("VolumeP-Throughput.gp3"));
  const throughputPrice = throughput ? onDemandPrice(throughput) : undefined;
  // Priced per GiB/s-month; the table holds it per MiB/s-month (gp3 throughput is set in MiB/s).
  const perMbps = throughputPrice
    ? throughputPrice.unit.startsWith("GiB")
      ? exact(throughputPrice.usd).dividedBy(1024).toFixed()
      : throughputPrice.usd
    : undefined;
  const kmsRequest = priceByUsageType(answers.kms, "KMS-Requests");
  return {
    missing,
    prices: {
      eksClusterHour: pick(
        "eksClusterHour",
        priceByUsageType(answers.eks, "AmazonEKS-Hours:perCluster"),
        previous.eksClusterHour,
      ),
      eksExtendedSupportClusterHour: pick(
        "eksExtendedSupportClusterHour",
        priceByUsageType(answers.eks, "AmazonEKS-Hours:extendedSupport"),
        previous.eksExtendedSupportClusterHour,
      ),
      ec2InstanceHour: { ...previous.ec2InstanceHour, ...ec2 },
      natGatewayHour: pick(
        "natGatewayHour",
        priceByUsageType(answers.nat, "NatGateway-Hours"),
        previous.natGatewayHour,
      ),
      natGatewayPerGb: pick(
        "natGatewayPerGb",
        priceByUsageType(answers.nat, "NatGateway-Bytes"),
        previous.natGatewayPerGb,
      ),
      publicIpv4Hour: pick(
        "publicIpv4Hour",
        priceByUsageType(answers.ipv4, "PublicIPv4:InUseAddress"),
        previous.publicIpv4Hour,
      ),
      ebs: {
        gp3GbMonth: pick(
          "ebs.gp3GbMonth",
          priceByUsageType(answers.ebs, "EBS:VolumeUsage.gp3", volume("gp3")),
          previous.ebs.gp3GbMonth,
        ),
        gp3IopsMonth: pick(
          "ebs.gp3IopsMonth",
          priceByUsageType(answers.ebs, "EBS:VolumeP-IOPS.gp3"),
          previous.ebs.gp3IopsMonth,
        ),
        gp3ThroughputMbpsMonth: pick(
          "ebs.gp3ThroughputMbpsMonth",
          perMbps,
          previous.ebs.gp3ThroughputMbpsMonth,
        ),
        gp2GbMonth: pick(
          "ebs.gp2GbMonth",
          priceByUsageType(answers.ebs, "EBS:VolumeUsage.gp2", volume("gp2")),
          previous.ebs.gp2GbMonth,
        ),
      },
      albHour: pick(
        "albHour",
        priceByUsageType(answers.elb, "LoadBalancerUsage", family("Load Balancer-Application")),
        previous.albHour,
      ),
      albLcuHour: pick(
        "albLcuHour",
        priceByUsageType(answers.elb, "LCUUsage", family("Load Balancer-Application")),
        previous.albLcuHour,
      ),
      nlbHour: pick(
        "nlbHour",
        priceByUsageType(answers.elb, "LoadBalancerUsage", family("Load Balancer-Network")),
        previous.nlbHour,
      ),
      nlbLcuHour: pick(
        "nlbLcuHour",
        priceByUsageType(answers.elb, "LCUUsage", family("Load Balancer-Network")),
        previous.nlbLcuHour,
      ),
      clbHour: pick(
        "clbHour",
        priceByUsageType(answers.elb, "LoadBalancerUsage", family("Load Balancer")),
        previous.clbHour,
      ),
      clbPerGb: pick(
        "clbPerGb",
        priceByUsageType(answers.elb, "DataProcessing-Bytes", family("Load Balancer")),
        previous.clbPerGb,
      ),
      kmsKeyMonth: pick("kmsKeyMonth", priceByUsageType(answers.kms, "KMS-Keys"), previous.kmsKeyMonth),
      kmsPer10kRequests: pick(
        "kmsPer10kRequests",
        kmsRequest === undefined ? undefined : exact(kmsRequest).times(10_000).toFixed(),
        previous.kmsPer10kRequests,
      ),
      s3StandardGbMonth: pick(
        "s3StandardGbMonth",
        priceByUsageType(answers.s3, "TimedStorage-ByteHrs"),
        previous.s3StandardGbMonth,
      ),
      cloudwatchLogsIngestPerGb: pick(
        "cloudwatchLogsIngestPerGb",
        priceByUsageType(answers.cloudwatch, "DataProcessing-Bytes"),
        previous.cloudwatchLogsIngestPerGb,
      ),
      cloudwatchMetricMonth: pick(
        "cloudwatchMetricMonth",
        priceByUsageType(answers.cloudwatch, "CW:MetricMonitorUsage"),
        previous.cloudwatchMetricMonth,
      ),
      costExplorerApiRequest: pick(
        "costExplorerApiRequest",
        priceByUsageType(answers.costExplorer, "APIRequest"),
        previous.costExplorerApiRequest,
      ),
    },
  };
}

export async function refreshPriceTable(
  client: PricingClient,
  table: PriceTableDocument,
  regions: string[],
  today: string,
): Promise<{ table: PriceTableDocument; missing: Record<string, string[]> }> {
  const missing: Record<string, string[]> = {};
  const next: PriceTableDocument = { ...table, regions: { ...table.regions }, recorded: today };
  for (const region of regions) {
    const previous = table.regions[region] ?? table.regions["us-east-1"];
    if (!previous) throw new Error(`no existing entry to start ${region} from`);
    const result = await fetchRegionPrices(client, region, previous);
    next.regions[region] = result.prices;
    missing[region] = result.missing;
  }
  next.source = {
    ...table.source,
    kind: "AWS Price List API (GetProducts, us-east-1 endpoint)",
    note: `Fetched ${today} by infra/cost/refresh-prices.ts. Values the API did not return kept their previous figure: ${
      Object.entries(missing)
        .filter(([, m]) => m.length > 0)
        .map(([r, m]) => `${r}: ${m.join(", ")}`)
        .join("; ") || "none"
    }.`,
  };
  return { table: next, missing };
}

/** The table as the TypeScript module @platform/prices exports, formatted as the repository formats code. */
export function renderPriceTableModule(table: PriceTableDocument): string {
  loadPriceTable(table, "the refreshed table"); // never write a table the loader would refuse
  const source = `import type { PriceTableDocument } from "./table.js";

/**
 * The checked-in AWS price table: on-demand list prices per region, as decimal strings. Rewritten by
 * \`npm run cost:refresh-prices\` (AWS Price List API); edit by hand only to add a figure the API lacks, with
 * its source and the date you read it in \`sources\`.
 */
export const AWS_PRICE_TABLE: PriceTableDocument = ${JSON.stringify(table, null, 2)};
`;
  // Biome formats it as it formats the file in place, so `npm run lint` stays clean after a refresh.
  const biome = join(REPO_ROOT, "node_modules", ".bin", "biome");
  const formatted = spawnSync(
    biome,
    ["format", `--stdin-file-path=${relative(REPO_ROOT, PRICE_TABLE_MODULE)}`],
    {
      cwd: REPO_ROOT,
      input: source,
      encoding: "utf8",
    },
  );
  if (formatted.status !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
  return formatted.stdout;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      region: { type: "string", multiple: true },
      prices: { type: "string" },
    },
  });
  // --prices <file.json> refreshes a JSON table in place; by default the module of @platform/prices.
  const table = values.prices ? readPriceTableFile(values.prices).document : AWS_PRICE_TABLE;
  const regions = values.region ?? Object.keys(table.regions);
  // The Price List API is served from a few regions only; us-east-1 answers for every region.
  const client = new PricingClient({ region: "us-east-1" });
  const { table: next, missing } = await refreshPriceTable(
    client,
    table,
    regions,
    new Date().toISOString().slice(0, 10),
  );
  if (values.prices) writeFileSync(values.prices, `${JSON.stringify(next, null, 2)}\n`);
  else writeFileSync(PRICE_TABLE_MODULE, renderPriceTableModule(next));
  for (const [region, keys] of Object.entries(missing)) {
    process.stdout.write(
      `${region}: ${keys.length === 0 ? "all prices refreshed" : `kept previous ${keys.join(", ")}`}\n`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`refresh-prices: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
