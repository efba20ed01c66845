import { describe, expect, it } from "vitest";
import { addDays, daysBetween, firstOfNextMonth } from "./dates.js";
import { amountToNumber, formatAmount, parseAmount } from "./decimal.js";
import { planRefresh } from "./requests.js";
import {
  MalformedResponseError,
  mapDailyCosts,
  parseCostAndUsagePage,
  parseForecast,
  tagValueOf,
} from "./responses.js";
import { buildSnapshot, OTHER, topKeys, UNTAGGED } from "./snapshot.js";

const at = (iso: string) => Date.parse(iso);
const settings = { costBasis: "UnblendedCost" as const, historyDays: 7 };

describe("planRefresh", () => {
  it("asks for whole UTC days through today with an exclusive end, from the month start when that is earlier", () => {
    const plan = planRefresh(at("2025-03-20T23:59:59.999Z"), settings);
    expect(plan.calendar).toEqual({
      today: "2025-03-20",
      lastCompleteDay: "2025-03-19",
      monthStart: "2025-03-01",
      historyStart: "2025-03-13",
    });
    expect(plan.costByService).toEqual({
      TimePeriod: { Start: "2025-03-01", End: "2025-03-21" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
    });
    expect(plan.forecast).toEqual({
      TimePeriod: { Start: "2025-03-20", End: "2025-04-01" },
      Granularity: "MONTHLY",
      Metric: "UNBLENDED_COST",
      PredictionIntervalLevel: 80,
    });
    expect(plan.costByTag).toBeUndefined();
  });

  it("reaches into the previous month for the history on the first of a month", () => {
    const plan = planRefresh(at("2025-04-01T00:00:00Z"), { ...settings, tagKey: "stack" });
    expect(plan.costByService.TimePeriod).toEqual({ Start: "2025-03-25", End: "2025-04-02" });
    // The tag request needs yesterday (last month) and the month to date (today only).
    expect(plan.costByTag?.TimePeriod).toEqual({ Start: "2025-03-31", End: "2025-04-02" });
    expect(plan.costByTag?.GroupBy).toEqual([{ Type: "TAG", Key: "stack" }]);
    expect(plan.forecast?.TimePeriod).toEqual({ Start: "2025-04-01", End: "2025-05-01" });
  });

  it("on the last day of a month forecasts just that day and ends the daily window on the 1st", () => {
    const plan = planRefresh(at("2025-01-31T12:00:00Z"), settings);
    expect(plan.costByService.TimePeriod).toEqual({ Start: "2025-01-01", End: "2025-02-01" });
    expect(plan.forecast?.TimePeriod).toEqual({ Start: "2025-01-31", End: "2025-02-01" });
  });

  it("handles February in a leap year and the year end", () => {
    const leap = planRefresh(at("2024-02-29T08:00:00Z"), settings);
    expect(leap.costByService.TimePeriod).toEqual({ Start: "2024-02-01", End: "2024-03-01" });
    expect(leap.forecast?.TimePeriod).toEqual({ Start: "2024-02-29", End: "2024-03-01" });
    const afterLeap = planRefresh(at("2024-03-01T00:30:00Z"), settings);
    expect(afterLeap.calendar.lastCompleteDay).toBe("2024-02-29");
    expect(afterLeap.costByService.TimePeriod).toEqual({ Start: "2024-02-23", End: "2024-03-02" });
    const yearEnd = planRefresh(at("2024-12-31T22:00:00Z"), settings);
    expect(yearEnd.costByService.TimePeriod).toEqual({ Start: "2024-12-01", End: "2025-01-01" });
    expect(yearEnd.forecast?.TimePeriod).toEqual({ Start: "2024-12-31", End: "2025-01-01" });
    const newYear = planRefresh(at("2025-01-01T00:00:00Z"), { ...settings, historyDays: 3 });
    expect(newYear.costByService.TimePeriod).toEqual({ Start: "2024-12-29", End: "2025-01-02" });
  });

  it("maps each cost basis to its forecast metric", () => {
    expect(
      planRefresh(at("2025-06-10T00:00:00Z"), { ...settings, costBasis: "NetAmortizedCost" }).forecast
        ?.Metric,
    ).toBe("NET_AMORTIZED_COST");
  });
});

describe("dates", () => {
  it("counts days with an exclusive end across month and year ends", () => {
    expect(daysBetween("2024-02-27", "2024-03-02")).toEqual([
      "2024-02-27",
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
    ]);
    expect(daysBetween("2025-03-01", "2025-03-01")).toEqual([]);
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(firstOfNextMonth("2023-12-15")).toBe("2024-01-01");
    expect(firstOfNextMonth("2023-02-28")).toBe("2023-03-01");
  });
});

describe("exact amounts", () => {
  it("parses Cost Explorer's decimal strings without float drift", () => {
    const tenths = Array.from({ length: 10 }, () => parseAmount("0.1") as bigint);
    expect(formatAmount(tenths.reduce((a, b) => a + b, 0n))).toBe("1");
    expect(formatAmount((parseAmount("12.3456789") ?? 0n) + (parseAmount("0.0000000011") ?? 0n))).toBe(
      "12.3456789011",
    );
    expect(formatAmount(parseAmount("1.2E-7") ?? 0n)).toBe("0.00000012");
    expect(formatAmount(parseAmount("-3.5") ?? 0n)).toBe("-3.5");
    expect(formatAmount(parseAmount("0.00000000005") ?? 0n)).toBe("0.0000000001");
    expect(amountToNumber(parseAmount("1234.5678") ?? 0n)).toBe(1234.5678);
    for (const bad of ["", "abc", "1,5", "1.2.3", "NaN"]) expect(parseAmount(bad)).toBeUndefined();
  });
});

const money = (Amount: string) => ({ UnblendedCost: { Amount, Unit: "USD" } });

describe("response mapping", () => {
  const pages = [
    {
      NextPageToken: "p2",
      ResultsByTime: [
        {
          TimePeriod: { Start: "2025-03-19", End: "2025-03-20" },
          Estimated: true,
          Groups: [
            { Keys: ["Amazon Elastic Compute Cloud - Compute"], Metrics: money("4.0000000001") },
            { Keys: ["AmazonCloudWatch"], Metrics: money("0.25") },
          ],
        },
      ],
    },
    {
      ResultsByTime: [
        {
          TimePeriod: { Start: "2025-03-19", End: "2025-03-20" },
          Estimated: true,
          Groups: [{ Keys: ["AWS Lambda"], Metrics: money("0.0000001") }],
        },
        { TimePeriod: { Start: "2025-03-20", End: "2025-03-21" }, Estimated: true, Groups: [] },
      ],
    },
  ];

  it("reads string amounts, groups and Estimated flags across pages", () => {
    const costs = mapDailyCosts(
      pages.map((p) => parseCostAndUsagePage(p, "UnblendedCost")),
      "UnblendedCost",
      "SERVICE",
    );
    expect(costs.rows).toEqual([
      {
        day: "2025-03-19",
        key: "Amazon Elastic Compute Cloud - Compute",
        amount: 40000000001n,
        currency: "USD",
        estimated: true,
      },
      { day: "2025-03-19", key: "AmazonCloudWatch", amount: 2500000000n, currency: "USD", estimated: true },
      { day: "2025-03-19", key: "AWS Lambda", amount: 1000n, currency: "USD", estimated: true },
    ]);
    expect([...costs.days.keys()]).toEqual(["2025-03-19", "2025-03-20"]);
  });

  it("turns tag group keys key$value into values, empty meaning untagged", () => {
    expect(tagValueOf("stack$prod")).toBe("prod");
    expect(tagValueOf("stack$")).toBe("");
    expect(tagValueOf("team$a$b")).toBe("a$b");
    const page = parseCostAndUsagePage(
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: "2025-03-19", End: "2025-03-20" },
            Estimated: false,
            Groups: [
              { Keys: ["stack$prod"], Metrics: money("3") },
              { Keys: ["stack$"], Metrics: money("1") },
            ],
          },
        ],
      },
      "UnblendedCost",
    );
    expect(mapDailyCosts([page], "UnblendedCost", "TAG").rows.map((r) => r.key)).toEqual(["prod", ""]);
  });

  it("refuses malformed answers", () => {
    const bad = (answer: unknown) => () => parseCostAndUsagePage(answer, "UnblendedCost");
    expect(bad({})).toThrow(MalformedResponseError);
    expect(
      bad({ ResultsByTime: [{ TimePeriod: { Start: "2025-02-30", End: "2025-03-01" }, Groups: [] }] }),
    ).toThrow(/YYYY-MM-DD/);
    const groups = (Metrics: unknown) => ({
      ResultsByTime: [
        { TimePeriod: { Start: "2025-03-01", End: "2025-03-02" }, Groups: [{ Keys: ["S3"], Metrics }] },
      ],
    });
    expect(bad(groups(money("1,5")))).toThrow(/not a decimal number/);
    expect(bad(groups({ AmortizedCost: { Amount: "1", Unit: "USD" } }))).toThrow(/lacks UnblendedCost/);
    expect(() => parseForecast({ Total: { Amount: "lots", Unit: "USD" } })).toThrow(MalformedResponseError);
  });

  it("sums forecast periods and their 80% bounds", () => {
    const forecast = parseForecast({
      Total: { Amount: "30.5", Unit: "USD" },
      ForecastResultsByTime: [
        {
          TimePeriod: { Start: "2025-03-20", End: "2025-04-01" },
          MeanValue: "30.5",
          PredictionIntervalLowerBound: "27.25",
          PredictionIntervalUpperBound: "33.75",
        },
      ],
    });
    expect(forecast).toEqual({
      currency: "USD",
      mean: 305000000000n,
      lower: 272500000000n,
      upper: 337500000000n,
    });
  });
});

describe("buildSnapshot", () => {
  const calendar = planRefresh(at("2025-03-02T10:00:00Z"), { ...settings, historyDays: 2 }).calendar;
  const row = (day: string, key: string, amount: string, estimated = false) => ({
    day,
    key,
    amount: parseAmount(amount) as bigint,
    currency: "USD",
    estimated,
  });
  const rows = [
    row("2025-02-28", "EC2", "10"),
    row("2025-02-28", "S3", "0.1"),
    row("2025-02-28", "Lambda", "0.2"),
    row("2025-03-01", "EC2", "11", true),
    row("2025-03-01", "S3", "0.1", true),
    row("2025-03-01", "KMS", "0.3", true),
    row("2025-03-02", "EC2", "4", true),
    row("2025-03-02", "S3", "0.05", true),
  ];
  const days = new Map([
    ["2025-02-28", { estimated: false }],
    ["2025-03-01", { estimated: true }],
    ["2025-03-02", { estimated: true }],
  ]);

  it("keeps the top services by window total and folds the rest into other, so totals add up", () => {
    expect([...topKeys(rows, 2)]).toEqual(["EC2", "KMS"]);
    const snapshot = buildSnapshot({
      takenAt: 1,
      calendar,
      services: { rows, days },
      forecast: { currency: "USD", mean: 10n, lower: 5n, upper: 20n },
      topServices: 2,
    });
    const byService = (list: { service: string; amount: bigint }[]) =>
      Object.fromEntries(list.map((s) => [s.service, formatAmount(s.amount)]));
    expect(byService(snapshot.monthToDate)).toEqual({ EC2: "15", [OTHER]: "0.15", KMS: "0.3" });
    expect(byService(snapshot.today)).toEqual({ EC2: "4", [OTHER]: "0.05" });
    expect(byService(snapshot.lastCompleteDay)).toEqual({ EC2: "11", [OTHER]: "0.1", KMS: "0.3" });
    expect(snapshot.lastCompleteDay.every((s) => s.estimated)).toBe(true);
    expect(
      snapshot.daily.filter((d) => d.day === "2025-02-28").map((d) => [d.service, formatAmount(d.amount)]),
    ).toEqual([
      ["EC2", "10"],
      [OTHER, "0.3"],
    ]);
    // Month end = complete days of March (the 1st: 11.4) + the forecast from today on.
    expect(snapshot.monthForecast).toEqual({
      currency: "USD",
      mean: (parseAmount("11.4") as bigint) + 10n,
      lower: (parseAmount("11.4") as bigint) + 5n,
      upper: (parseAmount("11.4") as bigint) + 20n,
    });
  });

  it("names untagged spend and folds small tag values", () => {
    const tagRows = [
      row("2025-03-01", "prod", "5"),
      row("2025-03-01", "", "2"),
      row("2025-03-02", "dev", "1"),
    ];
    const snapshot = buildSnapshot({
      takenAt: 1,
      calendar,
      services: { rows, days },
      tags: { key: "stack", costs: { rows: tagRows, days } },
      topServices: 2,
    });
    expect(snapshot.tag?.monthToDate.map((t) => [t.value, formatAmount(t.amount)])).toEqual([
      ["prod", "5"],
      [UNTAGGED, "2"],
      [OTHER, "1"],
    ]);
    expect(snapshot.tag?.lastCompleteDay.map((t) => t.value)).toEqual(["prod", UNTAGGED]);
  });
});
