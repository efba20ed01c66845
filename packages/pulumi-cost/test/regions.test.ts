import { describe, expect, it } from "vitest";
import { costConfig } from "../src/config.js";
import { estimateChanges } from "../src/estimate.js";
import { changesFromPreview, checkPreview, type PreviewStep } from "../src/preview.js";
import { costOfPreview } from "../src/run.js";
import { DEC_1, TABLE } from "./fixtures.js";

// Each resource is priced where its own provider puts it: its `region` input (AWS provider v7), its explicit
// provider's region, the default provider's, `aws:region` in the preview's config, the region given last.
const urn = (type: string, name: string) => `urn:pulumi:production::shop::${type}::${name}`;
const provider = (name: string, region: string | undefined): PreviewStep => ({
  op: "same",
  urn: urn("pulumi:providers:aws", name),
  oldState: { type: "pulumi:providers:aws", inputs: region ? { region } : {} },
  newState: { type: "pulumi:providers:aws", inputs: region ? { region } : {} },
});
const nat = (name: string, extra: { provider?: string; region?: string } = {}): PreviewStep => ({
  op: "create",
  urn: urn("aws:ec2/natGateway:NatGateway", name),
  newState: {
    type: "aws:ec2/natGateway:NatGateway",
    inputs: extra.region ? { region: extra.region } : {},
    ...(extra.provider ? { provider: `${urn("pulumi:providers:aws", extra.provider)}::04da6b54` } : {}),
  },
});

const price = (steps: PreviewStep[], config: Record<string, unknown> = {}, region?: string) => {
  const preview = checkPreview({ steps, ...config });
  return estimateChanges(changesFromPreview(preview, { region }), TABLE, {
    stack: "production",
    region,
    config: costConfig({}),
    monthStart: DEC_1,
  });
};
const regionOf = (e: ReturnType<typeof price>, name: string) => e.rows.find((r) => r.name === name)?.region;
const monthlyOf = (e: ReturnType<typeof price>, name: string) =>
  e.rows.find((r) => r.name === name)?.afterMonthly.toFixed(2);

describe("the region of each resource", () => {
  it("takes an explicit provider's region over the default provider's, and the resource's own over both", () => {
    const e = price([
      provider("default_7_48_0", "eu-west-1"),
      provider("tokyo", "ap-northeast-1"),
      provider("oregon", "us-west-2"),
      nat("in-default"),
      nat("in-oregon", { provider: "oregon" }),
      nat("in-tokyo", { provider: "tokyo" }),
      nat("own-region", { provider: "oregon", region: "eu-central-1" }),
    ]);
    expect(regionOf(e, "in-default")).toBe("eu-west-1");
    expect(regionOf(e, "in-oregon")).toBe("us-west-2");
    expect(regionOf(e, "in-tokyo")).toBe("ap-northeast-1");
    expect(regionOf(e, "own-region")).toBe("eu-central-1");
    // NAT gateway hours: eu-west-1 $0.048 × 730 = $35.04, us-west-2 $0.045 × 730 = $32.85, ap-northeast-1
    // $0.062 × 730 = $45.26, eu-central-1 $0.052 × 730 = $37.96
    expect(["in-default", "in-oregon", "in-tokyo", "own-region"].map((name) => monthlyOf(e, name))).toEqual([
      "35.04",
      "32.85",
      "45.26",
      "37.96",
    ]);
    expect(e.regions).toEqual(["ap-northeast-1", "eu-central-1", "eu-west-1", "us-west-2"]);
  });

  it("never prices a resource at another region's prices: a region the table lacks is not priced", () => {
    const e = price([
      provider("default_7_48_0", "eu-west-1"),
      provider("sao-paulo", "sa-east-1"),
      nat("in-sao-paulo", { provider: "sao-paulo" }),
    ]);
    expect(regionOf(e, "in-sao-paulo")).toBe("sa-east-1");
    expect(monthlyOf(e, "in-sao-paulo")).toBe("0.00");
    expect(e.notPriced.map((t) => t.plain)).toEqual([
      "in-sao-paulo (aws:ec2/natGateway:NatGateway): no prices for region sa-east-1 in the price table (never priced at another region's)",
    ]);
    expect(e.atLeast).toBe(true);
  });

  it("never borrows a price a region of the table lacks: in Mumbai a c9g.large, priced in us-east-1, is not", () => {
    // The price facts hold a c9g.large in us-east-1 (Karpenter's snapshot) and nowhere else (AWS offers it in
    // neither Mumbai nor Europe's Ireland); a NAT gateway in Mumbai is $0.056/h, 730 h = $40.88, and a public
    // IPv4 address $0.005/h in every region (AWS's announcement), 730 h = $3.65.
    const e = price([
      provider("default_7_48_0", "eu-west-1"),
      provider("mumbai", "ap-south-1"),
      nat("in-mumbai", { provider: "mumbai" }),
      {
        op: "create",
        urn: urn("aws:ec2/instance:Instance", "graviton5"),
        newState: {
          type: "aws:ec2/instance:Instance",
          inputs: { instanceType: "c9g.large" },
          provider: `${urn("pulumi:providers:aws", "mumbai")}::04da6b54`,
        },
      },
      {
        ...nat("ip", { region: "ap-south-1" }),
        urn: urn("aws:ec2/eip:Eip", "ip"),
        newState: { type: "aws:ec2/eip:Eip", inputs: { region: "ap-south-1" } },
      },
    ]);
    expect(monthlyOf(e, "ip")).toBe("3.65");
    expect(monthlyOf(e, "in-mumbai")).toBe("40.88");
    expect(regionOf(e, "graviton5")).toBe("ap-south-1");
    expect(monthlyOf(e, "graviton5")).toBe("0.00");
    expect(e.notPriced.map((t) => t.plain)).toEqual([
      "graviton5 (aws:ec2/instance:Instance): instance type c9g.large is not in the price table for this region",
    ]);
    expect(e.atLeast).toBe(true);
  });

  it("falls back to aws:region in the preview's config, then to the region given, then says it does not know", () => {
    expect(regionOf(price([nat("a")], { config: { "aws:region": "us-west-2" } }, "eu-west-1"), "a")).toBe(
      "us-west-2",
    );
    expect(regionOf(price([nat("a")], {}, "eu-west-1"), "a")).toBe("eu-west-1");
    const nowhere = price([nat("a")]);
    expect(nowhere.notPriced.map((t) => t.plain)).toEqual([
      "a (aws:ec2/natGateway:NatGateway): the region it is billed in is not known: give its provider a region, or run with --region",
    ]);
  });

  it("uses the default provider's region for an explicit provider that names none", () => {
    const e = price([
      provider("default_7_48_0", "eu-west-1"),
      provider("plain", undefined),
      nat("a", { provider: "plain" }),
    ]);
    expect(regionOf(e, "a")).toBe("eu-west-1");
  });

  it("names the stack and project from the URNs, and every region it priced in, in the comment", () => {
    const run = costOfPreview({
      preview: checkPreview({
        steps: [
          provider("default_7_48_0", "eu-west-1"),
          provider("oregon", "us-west-2"),
          nat("a"),
          nat("b", { provider: "oregon" }),
        ],
      }),
      config: costConfig({}),
      table: TABLE,
      monthStart: DEC_1,
      format: "markdown",
    });
    expect(run.estimate.stack).toBe("production");
    expect(run.output).toContain("Stack `production` in eu-west-1, us-west-2, at on-demand list prices");
    expect(run.output).toContain("Regions eu-west-1, us-west-2, USD, 730 hours per month.");
  });
});
