import {
  DescribeServicesCommand,
  type Filter,
  GetAttributeValuesCommand,
  GetProductsCommand,
  PricingClient,
  paginateGetProducts,
} from "@aws-sdk/client-pricing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./app.js";

const credentials = { accessKeyId: "AKIDSIMULATOR", secretAccessKey: "not-a-secret" };
let clock = Date.parse("2026-12-07T12:00:00Z");
let simulator: Simulator;
const client = (options: ConstructorParameters<typeof PricingClient>[0] = {}) =>
  new PricingClient({ region: "us-east-1", endpoint: simulator.running.url, credentials, ...options });
const term = (Field: string, Value: string): Filter => ({ Type: "TERM_MATCH", Field, Value });
const parse = (items: unknown[] | undefined) => (items ?? []).map((item) => JSON.parse(String(item)));
const usdOf = (item: {
  terms: { OnDemand: Record<string, { priceDimensions: Record<string, { pricePerUnit: { USD: string } }> }> };
}) => Object.values(Object.values(item.terms.OnDemand)[0]?.priceDimensions ?? {})[0]?.pricePerUnit.USD;

beforeAll(async () => {
  simulator = await startSimulator({ now: () => clock, tokenLifetimeMs: 60_000 });
});
afterEach(() => simulator.setFaults({}));
afterAll(async () => {
  await simulator?.running.shutdown();
});

describe("GetProducts with the real SDK over HTTP", () => {
  it("answers a price in the Price List format: attributes, OnDemand terms, USD as a decimal string", async () => {
    const answer = await client().send(
      new GetProductsCommand({
        ServiceCode: "AmazonEC2",
        FormatVersion: "aws_v1",
        Filters: [
          term("regionCode", "us-east-1"),
          term("instanceType", "t3.micro"),
          term("operatingSystem", "Linux"),
        ],
      }),
    );
    expect(answer.FormatVersion).toBe("aws_v1");
    const [item, ...rest] = parse(answer.PriceList);
    expect(rest).toEqual([]);
    expect(item.product.productFamily).toBe("Compute Instance");
    expect(item.product.attributes).toMatchObject({
      usagetype: "BoxUsage:t3.micro",
      location: "US East (N. Virginia)",
      tenancy: "Shared",
      servicecode: "AmazonEC2",
    });
    expect(usdOf(item)).toBe("0.0104000000");
    expect(answer.NextToken).toBeUndefined();
  });

  it("prefixes usage types by region as the Price List does", async () => {
    const answer = await client().send(
      new GetProductsCommand({
        ServiceCode: "AmazonEC2",
        Filters: [term("regionCode", "eu-west-1"), term("instanceType", "c5.large")],
      }),
    );
    const [item] = parse(answer.PriceList);
    expect(item.product.attributes.usagetype).toBe("EU-BoxUsage:c5.large");
    expect(usdOf(item)).toBe("0.0960000000");
  });

  it("follows NextToken to the end, MaxResults at a time, and never repeats a product", async () => {
    const before = simulator.stats.requests.GetProducts;
    const skus: string[] = [];
    const query = { ServiceCode: "AmazonEC2", Filters: [term("regionCode", "us-east-1")], MaxResults: 7 };
    for await (const page of paginateGetProducts({ client: client() }, query)) {
      expect(page.PriceList?.length).toBeLessThanOrEqual(7);
      for (const item of parse(page.PriceList)) skus.push(item.product.sku);
    }
    expect(new Set(skus).size).toBe(skus.length);
    expect(skus.length).toBeGreaterThan(100);
    expect(simulator.stats.requests.GetProducts - before).toBe(Math.ceil(skus.length / 7));
  });

  it("applies EQUALS, CONTAINS, ANY_OF and NONE_OF as documented", async () => {
    const prices = async (filters: Filter[]) => {
      const answer = await client().send(
        new GetProductsCommand({ ServiceCode: "AmazonEC2", Filters: filters, MaxResults: 100 }),
      );
      return parse(answer.PriceList)
        .map((item) => item.product.attributes.instanceType as string)
        .sort();
    };
    const inUse1 = term("regionCode", "us-east-1");
    expect(
      await prices([inUse1, { Type: "ANY_OF", Field: "instanceType", Value: "t3.micro, t3.small" }]),
    ).toEqual(["t3.micro", "t3.small"]);
    expect(await prices([inUse1, { Type: "EQUALS", Field: "instanceType", Value: "t3.nano" }])).toEqual([
      "t3.nano",
    ]);
    const t3a = await prices([inUse1, { Type: "CONTAINS", Field: "instanceType", Value: "t3a." }]);
    expect(t3a.length).toBeGreaterThan(3);
    expect(t3a.every((type) => type.startsWith("t3a."))).toBe(true);
    const notT = await prices([
      inUse1,
      { Type: "CONTAINS", Field: "instanceType", Value: "t3" },
      { Type: "NONE_OF", Field: "instanceType", Value: "t3.micro,t3.nano" },
    ]);
    expect(notT).not.toContain("t3.micro");
    expect(notT).toContain("t3.small");
  });

  it("refuses what the API refuses: unknown service, bad bounds, a filter type it does not know", async () => {
    const fails = (input: ConstructorParameters<typeof GetProductsCommand>[0]) =>
      client()
        .send(new GetProductsCommand(input))
        .then(
          () => "answered",
          (error: Error) => error.name,
        );
    expect(await fails({ ServiceCode: "AmazonNothing" })).toBe("NotFoundException");
    expect(await fails({ ServiceCode: "AmazonEC2", MaxResults: 101 })).toBe("InvalidParameterException");
    expect(await fails({ ServiceCode: "AmazonEC2", MaxResults: 0 })).toBe("InvalidParameterException");
    expect(await fails({ ServiceCode: "AmazonEC2", FormatVersion: "aws_v2" })).toBe(
      "InvalidParameterException",
    );
    const many = Array.from({ length: 51 }, () => term("regionCode", "us-east-1"));
    expect(await fails({ ServiceCode: "AmazonEC2", Filters: many })).toBe("InvalidParameterException");
    const unknownType = { Type: "REGEX", Field: "instanceType", Value: "t3.*" } as unknown as Filter;
    expect(await fails({ ServiceCode: "AmazonEC2", Filters: [unknownType] })).toBe(
      "InvalidParameterException",
    );
  });
});

describe("NextToken", () => {
  const first = () =>
    client().send(
      new GetProductsCommand({
        ServiceCode: "AmazonEC2",
        Filters: [term("regionCode", "us-east-1")],
        MaxResults: 5,
      }),
    );

  it("is refused when forged, used for another query, or older than its lifetime", async () => {
    const token = (await first()).NextToken ?? "";
    expect(token).not.toBe("");
    const reuse = (input: ConstructorParameters<typeof GetProductsCommand>[0]) =>
      client()
        .send(new GetProductsCommand(input))
        .then(
          () => "answered",
          (error: Error) => error.name,
        );
    const forged = `${token.slice(0, -2)}xx`;
    expect(
      await reuse({
        ServiceCode: "AmazonEC2",
        Filters: [term("regionCode", "us-east-1")],
        NextToken: forged,
      }),
    ).toBe("InvalidNextTokenException");
    expect(
      await reuse({ ServiceCode: "AmazonEC2", Filters: [term("regionCode", "eu-west-1")], NextToken: token }),
    ).toBe("InvalidNextTokenException");
    expect(
      await reuse({ ServiceCode: "AmazonEC2", Filters: [term("regionCode", "us-east-1")], NextToken: token }),
    ).toBe("answered");
    clock += 61_000;
    expect(
      await reuse({ ServiceCode: "AmazonEC2", Filters: [term("regionCode", "us-east-1")], NextToken: token }),
    ).toBe("ExpiredNextTokenException");
  });
});

describe("DescribeServices and GetAttributeValues", () => {
  it("lists the services and the attribute names their products carry", async () => {
    const all = await client().send(new DescribeServicesCommand({ FormatVersion: "aws_v1" }));
    const codes = (all.Services ?? []).map((service) => service.ServiceCode);
    expect(codes).toContain("AmazonEC2");
    expect(codes).toEqual([...codes].sort());
    const ec2 = await client().send(new DescribeServicesCommand({ ServiceCode: "AmazonEC2" }));
    expect(ec2.Services?.[0]?.AttributeNames).toEqual(
      expect.arrayContaining(["instanceType", "regionCode", "usagetype"]),
    );
  });

  it("pages an attribute's distinct values", async () => {
    const first = await client().send(
      new GetAttributeValuesCommand({ ServiceCode: "AmazonEC2", AttributeName: "regionCode", MaxResults: 4 }),
    );
    expect(first.AttributeValues?.map((value) => value.Value)).toEqual([
      "ap-northeast-1",
      "ap-south-1",
      "ap-southeast-1",
      "ap-southeast-2",
    ]);
    expect(first.NextToken).toBeDefined();
    const missing = await client()
      .send(new GetAttributeValuesCommand({ ServiceCode: "AmazonEC2", AttributeName: "noSuchAttribute" }))
      .catch((error: Error) => error.name);
    expect(missing).toBe("NotFoundException");
  });
});
