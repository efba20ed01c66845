import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Simulator, startSimulator } from "@platform/price-list-simulator";
import { AWS_PRICE_TABLE, loadPriceTable, type PriceTable } from "@platform/prices";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { costConfig } from "../src/config.js";
import { checkPreview, type PreviewStep } from "../src/preview.js";
import { costOfPreviewWithLivePrices } from "../src/run.js";
import { DEC_1 } from "./fixtures.js";

/**
 * --live-prices against the Price List simulator (packages/price-list-simulator), with the real
 * @aws-sdk/client-pricing over HTTP, found by AWS_ENDPOINT_URL_PRICING as a user's environment would point
 * it. The simulator serves the repository's price facts; the expected figures are those facts × 730 hours.
 */
const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pulumi-cost-live-"));
const TOKYO = "ap-northeast-1";

/** The checked-in table without Tokyo, and without t3.small in us-east-1: prices a run must fetch. */
function tableLacking(): PriceTable {
  const regions = { ...AWS_PRICE_TABLE.regions };
  delete regions[TOKYO];
  const virginia = regions["us-east-1"];
  if (!virginia?.ec2InstanceHour) throw new Error("the checked-in table has no us-east-1 instance prices");
  const instances = { ...virginia.ec2InstanceHour };
  delete instances["t3.small"];
  regions["us-east-1"] = { ...virginia, ec2InstanceHour: instances };
  return loadPriceTable({ ...AWS_PRICE_TABLE, regions });
}

const urn = (type: string, name: string) => `urn:pulumi:production::shop::${type}::${name}`;
const create = (type: string, name: string, inputs: Record<string, unknown>): PreviewStep => ({
  op: "create",
  urn: urn(type, name),
  newState: { type, custom: true, inputs },
});
const INSTANCE = "aws:ec2/instance:Instance";
const STEPS = [
  create(INSTANCE, "tokyo-web", { instanceType: "t3.large", region: TOKYO }),
  create(INSTANCE, "tokyo-web-2", { instanceType: "t3.large", region: TOKYO }),
  // The simulator's facts price m7i.metal-24xl in us-east-1 only: not priced in Tokyo, never at Virginia's price.
  create(INSTANCE, "tokyo-big", { instanceType: "m7i.metal-24xl", region: TOKYO }),
  // The facts have no NAT gateway price for Tokyo; a public IPv4 address is priced in every region.
  create("aws:ec2/eip:Eip", "tokyo-ip", { region: TOKYO }),
  create(INSTANCE, "virginia-small", { instanceType: "t3.small" }),
  create(INSTANCE, "virginia-large", { instanceType: "t3.large" }),
];
const preview = () => checkPreview({ config: { "aws:region": "us-east-1" }, steps: STEPS });

const price = (table: PriceTable, client: { maxAttempts?: number } = {}) =>
  costOfPreviewWithLivePrices(
    { preview: preview(), config: costConfig({}), table, monthStart: DEC_1, format: "markdown" },
    { client, now: () => new Date("2026-12-07T16:40:12Z") },
  );
const monthly = (run: Awaited<ReturnType<typeof price>>, name: string) =>
  run.estimate.rows.find((r) => r.name === name)?.afterMonthly.toFixed(2);
const reasons = (run: Awaited<ReturnType<typeof price>>, name: string) =>
  run.estimate.rows.find((r) => r.name === name)?.after?.notPriced.map((t) => t.plain) ?? [];

let simulator: Simulator;
const saved = { ...process.env };
beforeAll(async () => {
  simulator = await startSimulator();
  process.env.AWS_ENDPOINT_URL_PRICING = simulator.running.url;
  process.env.AWS_ACCESS_KEY_ID = "AKIDLIVEPRICES";
  process.env.AWS_SECRET_ACCESS_KEY = "not-a-secret";
});
afterEach(() => simulator.setFaults({}));
afterAll(async () => {
  process.env = saved;
  await simulator?.running.shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

describe("--live-prices against the Price List simulator", () => {
  it("prices what the table lacks from the API, once per key and region, each price with its source", async () => {
    const before = simulator.stats.requests.GetProducts;
    const run = await price(tableLacking());
    // t3.large in Tokyo $0.1088 × 730 = $79.42 (twice, one lookup); the IPv4 address $0.005 × 730 = $3.65;
    // t3.small in us-east-1 $0.0208 × 730 = $15.18; t3.large in us-east-1 from the table, $0.0832 × 730 = $60.74.
    expect(monthly(run, "tokyo-web")).toBe("79.42");
    expect(monthly(run, "tokyo-web-2")).toBe("79.42");
    expect(monthly(run, "tokyo-ip")).toBe("3.65");
    expect(monthly(run, "virginia-small")).toBe("15.18");
    expect(monthly(run, "virginia-large")).toBe("60.74");
    expect(run.estimate.totalAfter.toFixed(2)).toBe("238.41");
    expect(run.estimate.atLeast).toBe(true);
    expect(reasons(run, "tokyo-big")).toEqual([
      "instance type m7i.metal-24xl is not in the price table for this region",
    ]);
    // Instances in Tokyo (t3.large and m7i.metal-24xl in one ANY_OF), IPv4 hours, instances in us-east-1.
    expect(simulator.stats.requests.GetProducts - before).toBe(3);
    const live = run.estimate.priceSource.live;
    expect(live?.found.map((f) => `${f.region}/${f.key}/${f.dimension ?? ""}=${f.usd}`).sort()).toEqual([
      "ap-northeast-1/ec2InstanceHour/t3.large=0.1088",
      "ap-northeast-1/publicIpv4Hour/=0.005",
      "us-east-1/ec2InstanceHour/t3.small=0.0208",
    ]);
    expect(live?.notFound).toEqual([{ region: TOKYO, key: "ec2InstanceHour", dimension: "m7i.metal-24xl" }]);
    expect(run.output).toContain(
      "- ec2InstanceHour t3.large in ap-northeast-1: $0.1088 per h, AWS Price List API, 2026-12-07 16:40 UTC",
    );
    expect(run.output).toContain(
      "- ec2InstanceHour m7i.metal-24xl in ap-northeast-1: not in the AWS Price List API, not priced (never priced at another region's)",
    );
    expect(run.messages).toEqual([]);
  });

  it("gets through a throttled API with the SDK's retries and backoff", async () => {
    simulator.setFaults({ throttle: 2 });
    const injected = simulator.stats.faultsInjected.throttle;
    const run = await price(tableLacking(), { maxAttempts: 4 });
    expect(simulator.stats.faultsInjected.throttle - injected).toBe(2);
    expect(monthly(run, "tokyo-web")).toBe("79.42");
    expect(monthly(run, "tokyo-ip")).toBe("3.65");
    expect(run.estimate.priceSource.live?.failed).toEqual([]);
    expect(run.messages).toEqual([]);
  });

  it("throttled past its retries: not priced, with why, and the run goes on", async () => {
    simulator.setFaults({ throttle: 1000 });
    const run = await price(tableLacking(), { maxAttempts: 2 });
    expect(monthly(run, "tokyo-web")).toBe("0.00");
    expect(reasons(run, "tokyo-web")).toEqual([
      "instance type t3.large is not in the price table for this region",
    ]);
    expect(reasons(run, "tokyo-ip")[0]).toMatch(
      /^no publicIpv4Hour price for region ap-northeast-1: ThrottlingException: Rate exceeded \(after 2 attempts\)$/,
    );
    // What the table has is priced as ever.
    expect(monthly(run, "virginia-large")).toBe("60.74");
    expect(run.estimate.atLeast).toBe(true);
    expect(run.estimate.priceSource.live?.failed).toHaveLength(4);
    expect(run.output).toMatch(
      /4 prices the price table lacks could not be fetched from the AWS Price List API/,
    );
    expect(run.output).toMatch(
      /- ec2InstanceHour t3\.large in ap-northeast-1: not fetched \(.*ThrottlingException/,
    );
    expect(run.messages).toEqual([
      "--live-prices: 4 of 4 prices could not be fetched (ThrottlingException: Rate exceeded (after 2 attempts)); what needs them is not priced",
    ]);
  });

  it("asks nothing when the table has every price the preview needs", async () => {
    const before = simulator.stats.requests.GetProducts;
    const run = await costOfPreviewWithLivePrices({
      preview: checkPreview({ config: { "aws:region": "us-east-1" }, steps: STEPS.slice(-1) }),
      config: costConfig({}),
      table: tableLacking(),
      monthStart: DEC_1,
      format: "markdown",
    });
    expect(simulator.stats.requests.GetProducts).toBe(before);
    expect(run.estimate.priceSource.live).toMatchObject({ found: [], notFound: [], failed: [] });
    expect(run.estimate.totalAfter.toFixed(2)).toBe("60.74");
    expect(run.output).toContain(
      "Live prices: the price table has every price this estimate needs, so none was asked of the AWS Price List API.",
    );
    expect(run.output).not.toContain("for 0 prices");
  });
});

describe("pulumi-cost --live-prices, the command", () => {
  const cli = join(here, "..", "src", "cli.ts");
  const previewFile = join(scratch, "preview.json");
  writeFileSync(previewFile, JSON.stringify(preview()));
  const pricesFile = join(scratch, "prices.json");
  writeFileSync(pricesFile, JSON.stringify(tableLacking().document));
  const command = (env: NodeJS.ProcessEnv) =>
    promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=development",
        cli,
        previewFile,
        "--prices",
        pricesFile,
        "--live-prices",
      ],
      { env: { PATH: process.env.PATH, HOME: scratch, ...env }, timeout: 60_000 },
    );

  it("prices from the API the environment points it at", async () => {
    const { stdout } = await command({
      AWS_ENDPOINT_URL_PRICING: simulator.running.url,
      AWS_ACCESS_KEY_ID: "AKIDLIVEPRICES",
      AWS_SECRET_ACCESS_KEY: "not-a-secret",
    });
    expect(stdout).toContain("t3.large × 730 h × $0.1088/h = $79.42");
    expect(stdout.split("\n")[0]).toBe("**Monthly cost will rise by $238.41, to at least $238.41**");
  });

  it("without AWS credentials: one clear line on standard error, the table's prices, exit 0", async () => {
    const { stdout, stderr } = await command({
      AWS_ENDPOINT_URL_PRICING: simulator.running.url,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(scratch, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(scratch, "no-credentials"),
    });
    expect(stderr).toContain(
      "pulumi-cost: --live-prices: no AWS credentials (CredentialsProviderError: Could not load credentials from any providers); priced with the price table alone, what it lacks is not priced\n",
    );
    // us-east-1's t3.large from the table ($60.74); everything else not priced.
    expect(stdout.split("\n")[0]).toBe("**Monthly cost will rise by $60.74, to at least $60.74**");
    expect(stdout).toContain("Live prices were asked for, but the AWS Price List API could not be used");
    expect(stdout).toContain("no publicIpv4Hour price for region ap-northeast-1: `no AWS credentials (");
  });
});
