import { describe, expect, it } from "vitest";
import { AWS_PRICE_TABLE } from "./aws-prices.js";
import { loadPriceTable, priceIn, pricesIn } from "./table.js";
import { MissingPriceError, recordingTable, tableWithLivePrices } from "./table-overlay.js";

const table = loadPriceTable(AWS_PRICE_TABLE);
const live = { at: "2026-12-07T16:40Z", source: "AWS Price List API, 2026-12-07 16:40 UTC" };

describe("the recording view of a table", () => {
  it("records each price the table lacks once, in the order asked, and keeps the table's own figures", () => {
    const { table: view, wanted } = recordingTable(table);
    const virginia = pricesIn(view, "us-east-1");
    expect(priceIn(virginia ?? ({} as never), "ec2InstanceHour", "t3.large")?.toFixed()).toBe("0.0832");
    priceIn(virginia ?? ({} as never), "ec2InstanceHour", "x9.large");
    priceIn(virginia ?? ({} as never), "ec2InstanceHour", "x9.large");
    const osaka = pricesIn(view, "ap-northeast-3");
    expect(osaka?.natGatewayHour?.isZero()).toBe(false);
    expect(wanted()).toEqual([
      { region: "us-east-1", key: "ec2InstanceHour", dimension: "x9.large" },
      { region: "ap-northeast-3", key: "natGatewayHour" },
    ]);
  });

  it("never records a name that is not AWS's shape: a hostile region or type is only a name", () => {
    const { table: view, wanted } = recordingTable(table);
    expect(pricesIn(view, "__proto__")).toBeUndefined();
    expect(pricesIn(view, "us-east-1; rm -rf /")).toBeUndefined();
    const virginia = pricesIn(view, "us-east-1");
    for (const type of ["__proto__", "t3.large,m5.large", "T3.LARGE", "x".repeat(65), "a b"]) {
      expect(priceIn(virginia ?? ({} as never), "ec2InstanceHour", type), type).toBeUndefined();
    }
    expect(wanted()).toEqual([]);
  });
});

describe("a table with live prices", () => {
  it("adds the API's figures beside the table's, never over them, each cited with its source", () => {
    const merged = tableWithLivePrices(table, {
      ...live,
      found: [
        { region: "us-east-1", key: "ec2InstanceHour", dimension: "x9.large", usd: "0.5" },
        { region: "us-east-1", key: "ec2InstanceHour", dimension: "t3.large", usd: "9.99" },
      ],
      notFound: [],
      failed: [],
    });
    const virginia = pricesIn(merged, "us-east-1");
    expect(virginia && priceIn(virginia, "ec2InstanceHour", "x9.large")?.toFixed()).toBe("0.5");
    expect(virginia && priceIn(virginia, "ec2InstanceHour", "t3.large")?.toFixed()).toBe("0.0832");
    expect(merged.priceSources.get("us-east-1/ec2InstanceHour/x9.large")).toEqual({
      source: live.source,
      read: live.at,
    });
    expect(merged.priceSources.get("us-east-1/ec2InstanceHour/t3.large")?.source).not.toBe(live.source);
    // The table itself is unchanged.
    expect(
      priceIn(pricesIn(table, "us-east-1") ?? ({} as never), "ec2InstanceHour", "x9.large"),
    ).toBeUndefined();
  });

  it("makes a region the table lacks of its live figures; a price it lacks says why when read", () => {
    const merged = tableWithLivePrices(table, {
      ...live,
      found: [{ region: "ap-northeast-3", key: "ec2InstanceHour", dimension: "t3.large", usd: "0.1088" }],
      notFound: [],
      failed: [
        { region: "ap-northeast-3", key: "natGatewayHour", reason: "ThrottlingException: Rate exceeded" },
      ],
    });
    const osaka = pricesIn(merged, "ap-northeast-3");
    expect(osaka && priceIn(osaka, "ec2InstanceHour", "t3.large")?.toFixed()).toBe("0.1088");
    expect(() => osaka?.natGatewayHour).toThrow(MissingPriceError);
    expect(() => osaka?.natGatewayHour).toThrow(
      "no natGatewayHour price for ap-northeast-3: ThrottlingException: Rate exceeded",
    );
    expect(() => osaka?.albHour).toThrow("the AWS Price List API has no such price");
    // A region nothing was asked about stays absent: never priced at another region's prices.
    expect(pricesIn(merged, "sa-east-1")).toBeUndefined();
  });
});
