import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface EbsPrices {
  gp3GbMonth: number;
  /** per provisioned IOPS-month above gp3's free 3,000 */
  gp3IopsMonth: number;
  /** per MB/s-month above gp3's free 125 MB/s */
  gp3ThroughputMbpsMonth: number;
  gp2GbMonth: number;
}

export interface RegionPrices {
  eksClusterHour: number;
  ec2InstanceHour: Record<string, number>;
  natGatewayHour: number;
  natGatewayPerGb: number;
  publicIpv4Hour: number;
  ebs: EbsPrices;
  albHour: number;
  albLcuHour: number;
  nlbHour: number;
  nlbLcuHour: number;
  clbHour: number;
  clbPerGb: number;
  kmsKeyMonth: number;
  kmsPer10kRequests: number;
  s3StandardGbMonth: number;
  cloudwatchLogsIngestPerGb: number;
  cloudwatchMetricMonth: number;
  costExplorerApiRequest: number;
}

export interface PriceTable {
  currency: string;
  hoursPerMonth: number;
  /**
   * When the prices were current: the fetch date after `npm run cost:refresh-prices`, or the date of the
   * published price pages a hand-entered table was copied from (not the day the file was written).
   */
  recorded: string;
  source: { kind: string; note: string; priceListApi?: unknown };
  regions: Record<string, RegionPrices>;
}

export const PRICE_TABLE_PATH = join(__dirname, "prices.json");

export function loadPriceTable(path: string = PRICE_TABLE_PATH): PriceTable {
  const table = JSON.parse(readFileSync(path, "utf8")) as PriceTable;
  if (!table.regions || typeof table.hoursPerMonth !== "number") {
    throw new Error(`${path} is not a price table (needs "regions" and "hoursPerMonth")`);
  }
  return table;
}

export function regionPrices(table: PriceTable, region: string): RegionPrices {
  const prices = table.regions[region];
  if (!prices) {
    throw new Error(
      `no prices for region ${region} in the price table (have: ${Object.keys(table.regions).join(", ")}); ` +
        "add it with `npm run cost:refresh-prices -- --region " +
        region +
        "`",
    );
  }
  return prices;
}
