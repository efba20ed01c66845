import { type PriceFacts, readPriceFacts } from "@platform/price-facts";
import { type Simulator, startSimulator } from "@platform/price-list-simulator";
import { priceTableFromFacts } from "@platform/prices";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshFacts } from "./refresh-prices";

/**
 * `npm run cost:refresh-prices` rewrites the price facts (the one place the engine's prices come from) from the
 * AWS Price List API: here the local simulator, which serves the checked-in facts over the real SDK's HTTP.
 */
let simulator: Simulator;
const saved = { ...process.env };
beforeAll(async () => {
  simulator = await startSimulator();
  process.env.AWS_ENDPOINT_URL_PRICING = simulator.running.url;
  process.env.AWS_ACCESS_KEY_ID = "AKIDREFRESHFACTS";
  process.env.AWS_SECRET_ACCESS_KEY = "not-a-secret";
});
afterAll(async () => {
  process.env = saved;
  await simulator?.running.shutdown();
});

const entry = (facts: PriceFacts, id: string, variant: string, region: string) =>
  facts.components.find((c) => c.id === id)?.prices[variant]?.[region];

describe("refreshing the price facts", () => {
  it("replaces a stale figure with the API's, cites the API, and adds nothing the API lacks", async () => {
    const checkedIn = readPriceFacts();
    const stale = structuredClone(checkedIn);
    const t3 = stale.components.find((c) => c.id === "ec2.instance-hour")?.prices["t3.large"];
    if (!t3?.["eu-west-1"]) throw new Error("the facts have no t3.large in eu-west-1");
    t3["eu-west-1"] = { usd: "9.99", source: "hand-table-2025" };
    const { facts, missing } = await refreshFacts(stale, ["eu-west-1"], "2030-01-02");
    // The simulator answers the checked-in figure ($0.0912 in the facts), cited as the API of the refresh day.
    expect(entry(facts, "ec2.instance-hour", "t3.large", "eu-west-1")).toEqual({
      usd: entry(checkedIn, "ec2.instance-hour", "t3.large", "eu-west-1")?.usd,
      source: "aws-price-list-api-2030-01-02",
    });
    expect(facts.sources["aws-price-list-api-2030-01-02"]?.stated).toBe("2030-01-02");
    // gp3 throughput: the facts keep the API's GiBps-month figure, not the table's MiB/s one.
    expect(entry(facts, "ebs.gp3-throughput", "*", "eu-west-1")?.usd).toBe(
      entry(checkedIn, "ebs.gp3-throughput", "*", "eu-west-1")?.usd,
    );
    // A region that was not refreshed is untouched, and nothing is invented for it.
    expect(entry(facts, "opensearch.gp3-storage", "*", "ap-south-1")).toBeUndefined();
    expect(entry(facts, "ec2.instance-hour", "t3.large", "us-east-1")).toEqual(
      entry(checkedIn, "ec2.instance-hour", "t3.large", "us-east-1"),
    );
    // What the API did not have in eu-west-1 is reported, and stays missing in the table made from the facts.
    expect(missing["eu-west-1"]).toContain("opensearchGp3GbMonth");
    expect(priceTableFromFacts(facts).regions["eu-west-1"]?.opensearchGp3GbMonth).toBeUndefined();
  });
});
