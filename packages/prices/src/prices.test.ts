import { describe, expect, it } from "vitest";
import { priceFacts } from "./facts.js";
import { priceTableFromFacts } from "./facts-table.js";
import {
  AWS_PRICE_TABLE,
  centsString,
  declarationOf,
  eksNodeAllocatable,
  exact,
  formatQuantity,
  formatSignedUsd,
  formatUnitPrice,
  formatUsd,
  INSTANCE_TYPES,
  instanceTypeCapacity,
  loadPriceTable,
  loadShippedPriceTable,
  type Money,
  percentOf,
  priceIn,
  priceKeyNames,
  priceListQueries,
  regionPrices,
  splitNodePrice,
  sum,
} from "./index.js";
import { recordingTable, tableWithLivePrices } from "./table-overlay.js";

describe("exact money", () => {
  it("adds decimal prices without binary drift and rounds to the cent once, half up", () => {
    expect(exact("0.1").plus(exact("0.2")).toFixed()).toBe("0.3");
    // 2 × $0.0832 × 730 h: 121.472 exactly, $121.47 on the line
    const instances = exact(2).times(exact("0.0832")).times(exact(730));
    expect(instances.toFixed()).toBe("121.472");
    expect(centsString(instances)).toBe("121.47");
    expect(centsString(exact("0.125"))).toBe("0.13");
    expect(centsString(exact("-0.004"))).toBe("0.00");
    // Amounts already in cents keep their value; a negative zero is plain zero either way.
    expect(centsString(exact("-0"))).toBe("0.00");
    expect(formatUsd(exact("-0.00"))).toBe("$0.00");
    expect(centsString(exact("-12.5"))).toBe("-12.50");
    expect(centsString(sum([exact("0.1"), exact("0.2"), exact("0.3")]))).toBe("0.60");
  });

  it("refuses a fractional JavaScript number, which is already a binary approximation", () => {
    expect(() => exact(0.1)).toThrow(/decimal strings/);
    expect(() => exact("12,5")).toThrow(/not a decimal/);
    expect(exact(730).toFixed()).toBe("730");
  });

  it("formats dollars, changes, unit prices, quantities and per cents", () => {
    expect(formatUsd(exact("1234.5"))).toBe("$1,234.50");
    expect(formatUsd(exact(-2))).toBe("-$2.00");
    expect(formatSignedUsd(exact("64.735"))).toBe("+$64.74");
    expect(formatSignedUsd(exact("-0.001"))).toBe("$0.00");
    expect(formatUnitPrice(exact("0.0832"))).toBe("$0.0832");
    expect(formatUnitPrice(exact("1"))).toBe("$1.00");
    expect(formatUnitPrice(exact("0.005"))).toBe("$0.005");
    expect(formatQuantity(exact(1460))).toBe("1,460");
    expect(formatQuantity(exact("0.125"))).toBe("0.125");
    // 64.74 / 244.13 = 26.518…%
    expect(percentOf(exact("64.74"), exact("244.13"))?.toFixed()).toBe("26.5");
    expect(percentOf(exact(5), exact(0))).toBeUndefined();
  });
});

describe("the price table", () => {
  it("loads the checked-in table with every price as an exact decimal", () => {
    const table = loadPriceTable(AWS_PRICE_TABLE);
    const east = regionPrices(table, "us-east-1");
    expect(east.ec2InstanceHour.get("t3.large")?.toFixed()).toBe("0.0832");
    expect(priceIn(east, "ebsStorageGbMonth", "gp3")?.toFixed()).toBe("0.08");
    expect(east.eksClusterHour?.toFixed()).toBe("0.1");
    expect(east.eksExtendedSupportClusterHour?.toFixed()).toBe("0.5");
    expect(table.hoursPerMonth.toFixed()).toBe("730");
  });

  it("names every bad field of a malformed table", () => {
    const bad = structuredClone(AWS_PRICE_TABLE) as unknown as {
      regions: Record<string, Record<string, unknown>>;
    };
    const east = bad.regions["us-east-1"] as Record<string, unknown>;
    east.natGatewayHour = 0.045;
    east.albHour = "$0.0225";
    expect(() => loadPriceTable(bad, "prices.json")).toThrow(
      /prices.json is not a valid price table:[\s\S]*regions.us-east-1.natGatewayHour[\s\S]*regions.us-east-1.albHour/,
    );
  });

  it("checks a region on first use when asked to, with the same figures and the same errors", () => {
    const now = loadPriceTable(AWS_PRICE_TABLE);
    const shipped = loadShippedPriceTable();
    expect([...shipped.regions.keys()]).toEqual([...now.regions.keys()]);
    for (const [region, prices] of now.regions) {
      for (const key of priceKeyNames) {
        const [a, b] = [prices[key], regionPrices(shipped, region)[key]];
        const text = (v: typeof a) =>
          v instanceof Map
            ? [...v].map(([n, p]) => `${n}=${p.toFixed()}`)
            : (v as Money | undefined)?.toFixed();
        expect(text(b), `${region} ${key}`).toEqual(text(a));
      }
    }
    const bad = structuredClone(AWS_PRICE_TABLE) as unknown as {
      regions: Record<string, Record<string, unknown>>;
    };
    (bad.regions["eu-west-2"] as Record<string, unknown>).natGatewayHour = 0.045;
    const lazy = loadPriceTable(bad, "prices.json", { regions: "on first use" });
    expect(regionPrices(lazy, "us-east-1").ec2InstanceHour.get("t3.large")?.toFixed()).toBe("0.0832");
    expect(() => lazy.regions.get("eu-west-2")).toThrow(
      /prices.json is not a valid price table:[\s\S]*regions.eu-west-2.natGatewayHour/,
    );
    expect(() => loadPriceTable(bad, "prices.json")).toThrow(/regions.eu-west-2.natGatewayHour/);
  });

  it("makes a region of the shipped table only when a lookup asks for it (pricing in one region makes one)", () => {
    const document = priceTableFromFacts(priceFacts());
    const made = (region: string) =>
      "value" in (Object.getOwnPropertyDescriptor(document.regions, region) ?? {});
    const table = loadPriceTable(document, "the shipped price table", {
      regions: "on first use",
      madeFromCheckedFacts: true,
    });
    expect(table.regions.has("eu-west-1") && table.sources.length > 0).toBe(true);
    expect(Object.keys(document.regions).filter(made)).toEqual([]);
    expect(regionPrices(table, "us-east-1").ec2InstanceHour.get("t3.large")?.toFixed()).toBe("0.0832");
    expect(Object.keys(document.regions).filter(made)).toEqual(["us-east-1"]);
    // the live-price views read the table through: asking for us-east-1 again makes nothing more
    const recording = recordingTable(table).table;
    const withLive = tableWithLivePrices(recording, {
      at: "2026-12-07T16:40Z",
      source: "AWS Price List API",
      found: [{ region: "us-east-1", key: "ec2InstanceHour", dimension: "x9.large", usd: "1" }],
      notFound: [],
      failed: [],
    });
    expect(regionPrices(withLive, "us-east-1").ec2InstanceHour.get("x9.large")?.toFixed()).toBe("1");
    expect([withLive.regions.size, withLive.regions.has("eu-west-1")]).toEqual([10, true]);
    expect(Object.keys(document.regions).filter(made)).toEqual(["us-east-1"]);
    // a copy or JSON of the document reads every region, as data
    expect(Object.keys(JSON.parse(JSON.stringify(document)).regions)).toHaveLength(10);
  });

  it("says which regions it has when asked for another", () => {
    expect(() => regionPrices(loadPriceTable(AWS_PRICE_TABLE), "ap-south-2")).toThrow(
      /no prices for region ap-south-2 .*us-east-1.*refresh-prices -- --region ap-south-2/,
    );
  });

  it("prices in us-east-1 every instance type it describes (vCPUs, memory, pod limit) for node groups", () => {
    const virginia = AWS_PRICE_TABLE.regions["us-east-1"]?.ec2InstanceHour ?? {};
    for (const type of Object.keys(INSTANCE_TYPES)) expect(virginia[type], type).toBeDefined();
  });
});

describe("the declared price keys", () => {
  it("drive the table's schema: an undeclared price and a number are each named", () => {
    const bad = structuredClone(AWS_PRICE_TABLE) as unknown as {
      regions: Record<string, Record<string, unknown>>;
    };
    const east = bad.regions["us-east-1"] as Record<string, unknown>;
    east.rdsInstanceHour = { "db.t3.micro": "0.017" };
    east.albHour = 0.0225;
    expect(() => loadPriceTable(bad)).toThrow(/regions.us-east-1.albHour/);
    expect(() => loadPriceTable(bad)).toThrow(/rdsInstanceHour/);
  });

  it("leaves a price out of a region: what needs it is then not priced there", () => {
    const table = structuredClone(AWS_PRICE_TABLE) as unknown as {
      regions: Record<string, Record<string, unknown>>;
    };
    delete table.regions["eu-west-1"]?.ebsIopsMonth;
    const west = regionPrices(loadPriceTable(table), "eu-west-1");
    expect(priceIn(west, "ebsIopsMonth", "gp3")).toBeUndefined();
    expect(west.ebsIopsMonth.size).toBe(0);
  });

  it("keeps an instance type named like an object's own property a plain key", () => {
    const table = structuredClone(AWS_PRICE_TABLE) as unknown as {
      regions: Record<string, Record<string, Record<string, string>>>;
    };
    const east = regionPrices(loadPriceTable(table), "us-east-1");
    expect(priceIn(east, "ec2InstanceHour", "__proto__")).toBeUndefined();
    expect(priceIn(east, "ec2InstanceHour", "constructor")).toBeUndefined();
    (table.regions["us-east-1"] as Record<string, Record<string, string>>).ec2InstanceHour =
      JSON.parse('{"__proto__": "1"}');
    const loaded = regionPrices(loadPriceTable(table), "us-east-1");
    expect(priceIn(loaded, "ec2InstanceHour", "__proto__")).toBeUndefined();
    expect(loaded.ec2InstanceHour.size).toBe(0);
  });

  it("takes a figure with its own source and date, and keeps where it was read", () => {
    const table = structuredClone(AWS_PRICE_TABLE) as unknown as {
      regions: Record<string, Record<string, unknown>>;
    };
    (table.regions["us-east-1"] as Record<string, unknown>).kmsKeyMonth = {
      usd: "1",
      source: "aws.amazon.com/kms/pricing",
      read: "2026-12-01",
    };
    const loaded = loadPriceTable(table);
    expect(regionPrices(loaded, "us-east-1").kmsKeyMonth?.toFixed()).toBe("1");
    expect(loaded.priceSources.get("us-east-1/kmsKeyMonth")).toEqual({
      source: "aws.amazon.com/kms/pricing",
      read: "2026-12-01",
    });
  });

  it("declares for every price its unit, description and where the Price List keeps it", () => {
    for (const key of priceKeyNames) {
      const declaration = declarationOf(key);
      expect(declaration.description, key).not.toBe("");
      expect(declaration.unit, key).not.toBe("");
      expect(declaration.service, key).toMatch(/^[A-Za-z0-9]+$/);
      expect("usageType" in declaration || "per" in declaration, key).toBe(true);
    }
  });

  it("asks the Price List for a global price without a region: CloudWatch dashboards are listed for location Any", () => {
    // Bills show the usage type without a region prefix (DashboardsUsageHour, DashboardsUsageHour-Basic) and the
    // Price List lists the product for location "Any", so a regionCode filter would find nothing.
    const [dashboards] = priceListQueries("eu-west-2", () => [], ["cloudwatchDashboardMonth"]);
    expect(dashboards?.filters.map((f) => f.Field)).not.toContain("regionCode");
    expect(dashboards?.filters).toContainEqual({
      Type: "CONTAINS",
      Field: "usagetype",
      Value: "DashboardsUsageHour",
    });
    const [alarms] = priceListQueries("eu-west-2", () => [], ["cloudwatchAlarmMonth"]);
    expect(alarms?.filters).toContainEqual({ Type: "TERM_MATCH", Field: "regionCode", Value: "eu-west-2" });
  });
});

describe("EKS node capacity (AL2023, nodeadm)", () => {
  it("gives a t3.large 1,930m CPU, 6,837 MiB and 35 pods", () => {
    // maxPods 3 × (12 − 1) + 2 = 35; CPU reserved 60m + 10m; memory 8 GiB × 0.925 = 7,577 MiB (rounded down)
    // less kube-reserved 11 × 35 + 255 = 640 MiB and eviction 100 MiB
    expect(eksNodeAllocatable("t3.large")).toEqual({
      instanceType: "t3.large",
      vcpu: 2,
      memoryGiB: 8,
      maxPods: 35,
      capacity: { cpuMillicores: 2000, memoryMiB: 7577 },
      reserved: { cpuMillicores: 70, memoryMiB: 740 },
      allocatable: { cpuMillicores: 1930, memoryMiB: 6837, pods: 35 },
    });
  });

  it("reserves 110m of a 16-vCPU node (60 + 10 + 10 + 30) and allows 234 pods on an m6i.4xlarge", () => {
    const node = eksNodeAllocatable("m6i.4xlarge");
    expect(node?.reserved.cpuMillicores).toBe(110);
    expect(node?.maxPods).toBe(8 * 29 + 2);
    // 11 × 234 + 255 + 100 = 2,929 MiB reserved of 64 GiB × 0.925 = 60,620 MiB
    expect(node?.allocatable.memoryMiB).toBe(60620 - 2929);
  });

  it("gives a g6.xlarge (a row generated from its sources) 3,920m CPU, 14,162 MiB and 58 pods", () => {
    // 4 vCPUs and 16,384 MiB (Cluster Autoscaler's list), 4 ENIs of 15 addresses (nodeadm's instance-info):
    // maxPods 4 × (15 − 1) + 2 = 58; CPU reserved 60m + 10m + 2 × 5m = 80m; memory 16,384 × 0.925 = 15,155 MiB
    // (rounded down) less kube-reserved 11 × 58 + 255 = 893 MiB and eviction 100 MiB
    expect(eksNodeAllocatable("g6.xlarge")?.allocatable).toEqual({
      cpuMillicores: 3920,
      memoryMiB: 15155 - 993,
      pods: 58,
    });
  });

  it("knows nothing of an instance type it has no row for", () => {
    // c9g is priced (Karpenter's snapshot of July 2026) but younger than the Cluster Autoscaler's list
    expect(eksNodeAllocatable("c9g.large")).toBeUndefined();
  });
});

describe("OpenCost's split of a node's price", () => {
  it("splits a t3.large's $0.0832/h into $0.027081 per vCPU-hour and $0.003630 per GiB-hour", () => {
    // ratio 0.031611 / 0.004237 = 7.4607…; per GiB = 0.0832 / (2 × 7.4607… + 8) = 0.0036298…
    const { perVcpuHour, perGiBHour } = splitNodePrice(exact("0.0832"), 2, 8);
    expect(perVcpuHour.toFixed()).toBe("0.027081");
    expect(perGiBHour.toFixed()).toBe("0.00363");
    // the parts add back up to the node's price within a millionth per unit
    const back = perVcpuHour.times(2).plus(perGiBHour.times(8));
    expect(back.minus(exact("0.0832")).abs().lessThan(exact("0.00001"))).toBe(true);
  });

  it("splits a node whose memory is not a whole number of GiB: t3.nano (0.5 GiB), c4.large (3.75 GiB)", () => {
    // per GiB = 0.0052 / (2 × 7.4607… + 0.5) = 0.000337…; c4.large 0.1 / (2 × 7.4607… + 3.75) = 0.005356…
    const nano = instanceTypeCapacity("t3.nano");
    const c4 = instanceTypeCapacity("c4.large");
    expect([nano?.memoryGiB, c4?.memoryGiB]).toEqual([0.5, 3.75]);
    const split = (hourly: string, vcpu = 0, memoryGiB = 0) => {
      const { perVcpuHour, perGiBHour } = splitNodePrice(exact(hourly), vcpu, memoryGiB);
      return [perVcpuHour.toFixed(), perGiBHour.toFixed()];
    };
    expect(split("0.0052", nano?.vcpu, nano?.memoryGiB)).toEqual(["0.002516", "0.000337"]);
    expect(split("0.1", c4?.vcpu, c4?.memoryGiB)).toEqual(["0.039958", "0.005356"]);
  });
});
