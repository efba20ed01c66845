import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Simulator, startSimulator } from "@platform/price-list-simulator";
import { AWS_PRICE_TABLE, onDemandPrice, type PriceListProduct, pricesByDimension } from "@platform/prices";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refreshPriceTable } from "../src/live/refresh.js";

// Products in the GetProducts PriceList shape (FormatVersion aws_v1): product attributes plus
// OnDemand terms whose price dimensions carry pricePerUnit.USD as a decimal string.
function product(
  productFamily: string,
  attributes: Record<string, string>,
  usd: string,
  unit = "Hrs",
): PriceListProduct {
  const sku = `SKU${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  return {
    product: { productFamily, attributes: { regionCode: "eu-central-1", ...attributes } },
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit,
              beginRange: "0",
              endRange: "Inf",
              pricePerUnit: { USD: usd },
            },
          },
        },
      },
    },
  };
}

const linux = (instanceType: string, usd: string, extra: Record<string, string> = {}) =>
  product(
    "Compute Instance",
    {
      instanceType,
      operatingSystem: "Linux",
      tenancy: "Shared",
      preInstalledSw: "NA",
      capacitystatus: "Used",
      licenseModel: "No License required",
      usagetype: `EUC1-BoxUsage:${instanceType}`,
      ...extra,
    },
    usd,
  );

const answers: Record<string, PriceListProduct[]> = {
  AmazonEKS: [
    product("Compute", { usagetype: "EUC1-AmazonEKS-Hours:perCluster" }, "0.1000000000"),
    product("Compute", { usagetype: "EUC1-AmazonEKS-Hours:extendedSupport" }, "0.5000000000"),
  ],
  AmazonEC2: [
    linux("t3.medium", "0.0480000000"),
    linux("t3.large", "0.0960000000"),
    // the same type with SQL Server pre-installed must not win over plain Linux
    linux("t3.medium", "0.9990000000", { preInstalledSw: "SQL Std" }),
    linux("m6i.large", "0.1150000000"),
    product("NAT Gateway", { usagetype: "EUC1-NatGateway-Hours" }, "0.0520000000"),
    product("NAT Gateway", { usagetype: "EUC1-NatGateway-Bytes" }, "0.0520000000", "GB"),
    product(
      "Storage",
      { usagetype: "EUC1-EBS:VolumeUsage.gp3", volumeApiName: "gp3" },
      "0.0952000000",
      "GB-Mo",
    ),
    product(
      "Storage",
      { usagetype: "EUC1-EBS:VolumeUsage.gp2", volumeApiName: "gp2" },
      "0.1190000000",
      "GB-Mo",
    ),
    product(
      "System Operation",
      { usagetype: "EUC1-EBS:VolumeP-IOPS.gp3", volumeApiName: "gp3" },
      "0.0060000000",
      "IOPS-Mo",
    ),
    product(
      "Provisioned Throughput",
      { usagetype: "EUC1-EBS:VolumeP-Throughput.gp3", volumeApiName: "gp3" },
      "48.7424000000",
      "GiBps-mo",
    ),
  ],
  AmazonVPC: [
    product("VPC Public IPv4 Address", { usagetype: "EUC1-PublicIPv4:InUseAddress" }, "0.0050000000"),
  ],
  AWSELB: [
    product("Load Balancer-Application", { usagetype: "EUC1-LoadBalancerUsage" }, "0.0270000000"),
    product("Load Balancer-Application", { usagetype: "EUC1-LCUUsage" }, "0.0080000000", "LCU-Hrs"),
    product("Load Balancer-Network", { usagetype: "EUC1-LoadBalancerUsage" }, "0.0270000000"),
    product("Load Balancer-Network", { usagetype: "EUC1-LCUUsage" }, "0.0060000000", "LCU-Hrs"),
    product("Load Balancer", { usagetype: "EUC1-LoadBalancerUsage" }, "0.0300000000"),
    product("Load Balancer", { usagetype: "EUC1-DataProcessing-Bytes" }, "0.0080000000", "GB"),
  ],
  awskms: [
    product("Encryption Key", { usagetype: "eu-central-1-KMS-Keys" }, "1.0000000000", "Keys"),
    product("API Request", { usagetype: "eu-central-1-KMS-Requests" }, "0.0000030000", "Requests"),
  ],
  AmazonS3: [
    product(
      "Storage",
      { usagetype: "EUC1-TimedStorage-ByteHrs", storageClass: "General Purpose" },
      "0.0245000000",
      "GB-Mo",
    ),
  ],
  AmazonCloudWatch: [
    product("Data Payload", { usagetype: "EUC1-DataProcessing-Bytes" }, "0.6300000000", "GB"),
    product("Metric", { usagetype: "EUC1-CW:MetricMonitorUsage" }, "0.3000000000", "Metrics"),
  ],
  // Cost Explorer answers nothing here: the refresh must keep the previous figure and say so.
  AWSCostExplorer: [],
};

let server: Server;
let endpoint: string;
const saved = { ...process.env };
/** The SDK finds the API where the environment points it, with the environment's credentials. */
const pointAt = (url: string) => {
  process.env.AWS_ENDPOINT_URL_PRICING = url;
  process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
  process.env.AWS_SECRET_ACCESS_KEY = "example-secret";
};
afterEach(() => {
  process.env = { ...saved };
});
const requests: { target: string; serviceCode: string; nextToken?: string; filters: unknown[] }[] = [];

beforeAll(async () => {
  // A stand-in for the Price List API: AWS JSON 1.1 over HTTP, paging EC2 one product at a time.
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const input = JSON.parse(body) as { ServiceCode: string; NextToken?: string; Filters?: unknown[] };
      requests.push({
        target: String(req.headers["x-amz-target"]),
        serviceCode: input.ServiceCode,
        nextToken: input.NextToken,
        filters: input.Filters ?? [],
      });
      const all = answers[input.ServiceCode] ?? [];
      const pageSize = input.ServiceCode === "AmazonEC2" ? 1 : 100;
      const start = Number(input.NextToken ?? 0);
      const page = all.slice(start, start + pageSize);
      const next = start + pageSize < all.length ? String(start + pageSize) : undefined;
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(
        JSON.stringify({
          FormatVersion: "aws_v1",
          PriceList: page.map((p) => JSON.stringify(p)),
          ...(next ? { NextToken: next } : {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("Price List response mapping", () => {
  it("reads the first on-demand tier's USD price", () => {
    expect(onDemandPrice(linux("t3.large", "0.0960000000"))).toEqual({ usd: "0.096", unit: "Hrs" });
    expect(onDemandPrice({ product: {}, terms: {} })).toBeUndefined();
  });

  it("keeps plain Linux on shared tenancy only", () => {
    expect(Object.fromEntries(pricesByDimension("ec2InstanceHour", answers.AmazonEC2 ?? []))).toEqual({
      "m6i.large": "0.115",
      "t3.large": "0.096",
      "t3.medium": "0.048",
    });
  });
});

describe("refresh-prices against a local Price List stand-in", () => {
  it("rewrites a region from paginated GetProducts answers and keeps what the API did not return", async () => {
    pointAt(endpoint);
    const before = AWS_PRICE_TABLE;
    const { table, missing } = await refreshPriceTable(before, ["eu-central-1"], "2030-01-02");
    const prices = table.regions["eu-central-1"];
    expect(prices?.ec2InstanceHour?.["t3.medium"]).toBe("0.048");
    expect(prices?.ec2InstanceHour?.["m6i.large"]).toBe("0.115");
    expect(prices?.natGatewayHour).toBe("0.052");
    expect(prices?.ebsStorageGbMonth?.gp3).toBe("0.0952");
    expect(prices?.ebsStorageGbMonth?.gp2).toBe("0.119");
    expect(prices?.ebsIopsMonth?.gp3).toBe("0.006");
    // 48.7424 per GiB/s-month is 0.0476 per MiB/s-month
    expect(prices?.ebsThroughputMibpsMonth?.gp3).toBe("0.0476");
    expect(prices?.albHour).toBe("0.027");
    expect(prices?.clbHour).toBe("0.03");
    expect(prices?.nlbLcuHour).toBe("0.006");
    // $0.000003 per request is $0.03 per 10,000
    expect(prices?.kmsPer10kRequests).toBe("0.03");
    expect(prices?.publicIpv4Hour).toBe("0.005");
    // the extended-support surcharge is its own usage type, billed on top of perCluster
    expect(prices?.eksClusterHour).toBe("0.1");
    expect(prices?.eksExtendedSupportClusterHour).toBe("0.5");
    expect(prices?.costExplorerApiRequest).toEqual(before.regions["eu-central-1"]?.costExplorerApiRequest);
    expect(missing["eu-central-1"]).toContain("costExplorerApiRequest");
    // types the stand-in does not know stay at their old price and are named
    expect(missing["eu-central-1"]).toContain("ec2InstanceHour.r6i.large");
    expect(table.recorded).toBe("2030-01-02");
    expect(table.source.kind).toMatch(/Price List API/);
    expect(table.regions["us-east-1"]).toEqual(before.regions["us-east-1"]);

    expect(requests.every((r) => r.target === "AWSPriceListService.GetProducts")).toBe(true);
    const ec2Pages = requests.filter(
      (r) => r.serviceCode === "AmazonEC2" && JSON.stringify(r.filters).includes("instanceType"),
    );
    // one product per page: the client followed NextToken to the end of each query (the instance types every
    // region of the table holds, in ANY_OF lists of at most 1,000 characters)
    const ec2Queries = ec2Pages.filter((r) => r.nextToken === undefined).length;
    expect(ec2Queries).toBeGreaterThan(0);
    expect(ec2Pages.length).toBe(ec2Queries * (answers.AmazonEC2?.length ?? 0));
    expect(JSON.stringify(ec2Pages[0]?.filters)).toContain('"Field":"regionCode","Value":"eu-central-1"');
  });
});

describe("refresh-prices against the Price List simulator", () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterAll(async () => {
    await simulator?.running.shutdown();
  });

  it("never gives a new region another region's figures: what the API lacks there is missing", async () => {
    pointAt(simulator.running.url);
    const { table, missing } = await refreshPriceTable(AWS_PRICE_TABLE, ["ap-northeast-1"], "2026-12-07");
    const tokyo = table.regions["ap-northeast-1"] as Record<string, Record<string, string> | string>;
    // In the facts for Tokyo: t3.large $0.1088, public IPv4 $0.005, the NAT gateway $0.062 an hour and a GB, gp2,
    // gp3 and io1 storage, OpenSearch gp3 storage $0.1464; not there: a c9g.large, which AWS offers in us-east-1
    // and not in Tokyo.
    const types = tokyo.ec2InstanceHour as Record<string, string>;
    expect(types["t3.large"]).toBe("0.1088");
    expect(tokyo.publicIpv4Hour).toBe("0.005");
    expect(tokyo.natGatewayHour).toBe("0.062");
    expect(tokyo.natGatewayPerGb).toBe("0.062");
    expect(tokyo.opensearchGp3GbMonth).toBe("0.1464");
    expect(types["c9g.large"]).toBeUndefined();
    expect(missing["ap-northeast-1"]).toContain("ec2InstanceHour.c9g.large");
    expect(missing["ap-northeast-1"]).not.toContain("natGatewayHour");
    expect(tokyo.ebsStorageGbMonth).toMatchObject({ gp2: "0.12", gp3: "0.096", io1: "0.142" });
  });

  it("asks for MSK broker and MQ host types by their usage type, which names the type", async () => {
    pointAt(simulator.running.url);
    // msk.json "[RunBroker] RunBroker-computefamily-m7g.large", EU (London) 0.236 (usage type
    // EUW2-Kafka.m7g.large); mq.json "Single Instance mq m5.large" 0.333 and "... mq t3.micro" 0.03068.
    // Before, these were asked as instanceType values, which MSK's products do not carry: never found.
    const { table, missing } = await refreshPriceTable(AWS_PRICE_TABLE, ["eu-west-2"], "2026-12-08");
    const london = table.regions["eu-west-2"] as Record<string, Record<string, string>>;
    expect(london.mskBrokerHour?.["m7g.large"]).toBe("0.236");
    expect(london.mqActiveMqBrokerHour?.["mq.m5.large"]).toBe("0.333");
    expect(london.mqActiveMqBrokerHour?.["mq.t3.micro"]).toBe("0.03068");
    expect(missing["eu-west-2"]?.filter((name) => /^(msk|mq)/.test(name))).toEqual([]);
  });

  it("bounds each region's lookups, not the whole table's: every region of a large table is asked", async () => {
    pointAt(simulator.running.url);
    // Each region asks for every declared price and every type any region holds (some 2,900 lookups with the
    // shipped facts); a bound of 4,000 holds one region but not two. Before, the bound was the whole run's:
    // the second region's prices were "not asked" and reported kept.
    const { table, missing } = await refreshPriceTable(
      AWS_PRICE_TABLE,
      ["ap-northeast-1", "eu-west-1"],
      "2026-12-08",
      { limits: { lookups: 4_000 } },
    );
    // t3.large in the facts: $0.1088 in Tokyo, $0.0912 in Ireland
    for (const [region, usd] of [
      ["ap-northeast-1", "0.1088"],
      ["eu-west-1", "0.0912"],
    ] as const) {
      const types = (table.regions[region] as Record<string, Record<string, string>>).ec2InstanceHour;
      expect(types?.["t3.large"]).toBe(usd);
      expect(missing[region]).not.toContain("ec2InstanceHour.t3.large");
      expect(missing[region]).not.toContain("natGatewayHour");
    }
  });
});
