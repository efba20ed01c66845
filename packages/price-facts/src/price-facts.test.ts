import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  formatPriceFacts,
  loadPriceFacts,
  PRICE_FACTS_FILE,
  type PriceFacts,
  priceRows,
  readPriceFacts,
  SINGLE_PRICE,
} from "./index.js";

const facts = readPriceFacts();
const TEN_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "eu-west-1",
  "eu-west-2",
  "eu-central-1",
  "ap-northeast-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-south-1",
];

/** Exact decimal arithmetic on strings, enough for price x quantity (no floating point). */
function times(a: string, b: string): bigint[] {
  const scale = (s: string) => (s.split(".")[1] ?? "").length;
  const digits = (s: string) => BigInt(s.replace(".", ""));
  return [digits(a) * digits(b), 10n ** BigInt(scale(a) + scale(b))];
}
function cents([numerator, denominator]: bigint[]): string {
  const value = ((numerator ?? 0n) * 100n * 2n + (denominator ?? 1n)) / ((denominator ?? 1n) * 2n);
  return `${value / 100n}.${String(value % 100n).padStart(2, "0")}`;
}

function priceOf(component: string, variant: string, region: string): string {
  const entry = facts.components.find((c) => c.id === component)?.prices[variant]?.[region];
  if (!entry) throw new Error(`no fact ${component} ${variant} ${region}`);
  return entry.usd;
}

describe("the shipped price facts", () => {
  it("load, and every region is one of the ten", () => {
    expect(Object.keys(facts.regions).sort()).toEqual([...TEN_REGIONS].sort());
    expect([...priceRows(facts)].length).toBeGreaterThan(250);
  });

  it("spell usage types as the Price List does in each region", () => {
    const rows = [...priceRows(facts)];
    const find = (id: string, region: string, variant = SINGLE_PRICE) =>
      rows.find((r) => r.component.id === id && r.region === region && r.variant === variant)?.usagetype;
    expect(find("ec2.instance-hour", "us-east-1", "t3.micro")).toBe("BoxUsage:t3.micro");
    expect(find("ec2.instance-hour", "ap-south-1", "c5.large")).toBe("APS3-BoxUsage:c5.large");
    expect(find("eks.cluster-hour", "us-east-1")).toBe("USE1-AmazonEKS-Hours:perCluster");
    expect(find("kms.key-month", "eu-west-1")).toBe("eu-west-1-KMS-Keys");
  });

  it("name each Price List product once (a live query of one component must not answer for another)", () => {
    const owner = new Map<string, string>();
    for (const c of facts.components) {
      const identity = JSON.stringify([c.servicecode, c.productFamily, c.usagetype, c.attributes, c.unit]);
      expect(owner.get(identity), `${c.id} is identified as ${owner.get(identity)} is`).toBeUndefined();
      owner.set(identity, c.id);
    }
  });

  const examples = JSON.parse(readFileSync(new URL("../data/worked-examples.json", import.meta.url), "utf8"));
  interface Term {
    component: string;
    variant: string;
    quantity: string;
  }
  const termsOf = (example: Term & { component: string | string[]; terms?: Term[] }): Term[] =>
    example.terms ?? [example.component].flat().map((component) => ({ ...example, component }));

  it("agree with hand-computed monthly figures other tools and AWS bills publish", () => {
    expect(examples.examples.length).toBeGreaterThanOrEqual(10);
    for (const example of examples.examples) {
      expect(Object.keys(examples.sources)).toContain(example.source);
      const [numerator, denominator] = termsOf(example)
        .map((term) => times(priceOf(term.component, term.variant, example.region), term.quantity))
        .reduce(([n1 = 0n, d1 = 1n], [n2 = 0n, d2 = 1n]) => [n1 * d2 + n2 * d1, d1 * d2]);
      expect(`${example.what}: ${cents([numerator ?? 0n, denominator ?? 1n])}`).toBe(
        `${example.what}: ${example.expectedUsd}`,
      );
    }
  });

  // Every service that carries a price is checked against at least one figure someone else computed,
  // except where no source publishes one; those are named with the reason.
  const noPublishedFigure: Record<string, string> = {
    AWSCostExplorer: "no published monthly figure found",
    AWSLambda: "only Infracost's per-unit rate lines for us-east-1, no monthly figure",
    AWSQueueService: "only Infracost's per-unit rate line for us-east-1, no monthly figure",
    AmazonPrometheus: "only the pricing page's rates, no published monthly figure",
  };
  it("have a worked example for every service that carries a price", () => {
    const covered = new Set(
      examples.examples.flatMap((example: Term & { component: string | string[]; terms?: Term[] }) =>
        termsOf(example).map((term) => facts.components.find((c) => c.id === term.component)?.servicecode),
      ),
    );
    const priced = facts.components
      .filter((c) => Object.keys(c.prices).length > 0)
      .map((c) => c.servicecode)
      .filter((code, index, all) => all.indexOf(code) === index);
    expect(priced.filter((code) => !covered.has(code) && !(code in noPublishedFigure))).toEqual([]);
  });

  // AWS rounds each size on its own (c7g.medium is 0.0363 beside c7g.large at 0.0725), so sizes agree
  // within 1%; a mistyped digit does not. The few real exceptions are listed with what the source says.
  const listedAsPublished: Record<string, string> = {
    "t2 eu-west-2": "t2.small 0.026 and t2.medium 0.052 sit 1.5% under the other sizes' rate in the source",
    "m1 us-east-1":
      "m1.small 0.044, m1.medium 0.087, m1.large 0.175 and m1.xlarge 0.35 (2006-2012 prices): 1.1% apart",
    "m1 us-west-2": "the same four figures as us-east-1",
  };
  // Accelerated families buy GPUs or accelerators that do not grow with the size (g5.xlarge and g5.2xlarge have
  // one GPU each) and HPC families price the instance whatever its vCPUs (hpc7g.4xlarge and .8xlarge cost the
  // same): their sizes are not in proportion, by AWS's design.
  const notPricedBySize = /^(?:g|gr|p|inf|trn|dl|f|vt|hpc)\d/;
  it("price the sizes of an instance family in proportion to their size, within 1%, per region", () => {
    const units: Record<string, number> = {
      nano: 0.0625,
      micro: 0.125,
      small: 0.25,
      medium: 0.5,
      large: 1,
      xlarge: 2,
      "2xlarge": 4,
      "4xlarge": 8,
      "8xlarge": 16,
    };
    const perUnit = new Map<string, number[]>();
    const instances = facts.components.find((c) => c.id === "ec2.instance-hour");
    for (const [type, byRegion] of Object.entries(instances?.prices ?? {})) {
      const [family = "", size = ""] = type.split(".");
      if (!(size in units) || notPricedBySize.test(family)) continue;
      for (const [region, { usd }] of Object.entries(byRegion)) {
        const key = `${family} ${region}`;
        perUnit.set(key, [...(perUnit.get(key) ?? []), Number(usd) / (units[size] ?? 1)]);
      }
    }
    const uneven = [...perUnit]
      .filter(
        ([key, values]) => !(key in listedAsPublished) && Math.max(...values) / Math.min(...values) > 1.01,
      )
      .map(([key, values]) => `${key}: ${values.join(", ")}`);
    expect(uneven).toEqual([]);
  });
});

describe("formatPriceFacts", () => {
  it("writes the shipped file exactly as it is (so what the refresh writes passes the lint)", () => {
    const text = readFileSync(PRICE_FACTS_FILE, "utf8");
    expect(formatPriceFacts(JSON.parse(text))).toBe(text);
  });

  it("puts a price on one line and a short list of strings on one line, a long one item by item", () => {
    const text = formatPriceFacts({
      prices: { "t3.micro": { "us-east-1": { usd: "0.0104", source: "s" } } },
      short: ["a", "b"],
      long: Array.from({ length: 12 }, (_, i) => `aws:ec2/instance:Instance${i}`),
    });
    expect(text).toContain('"us-east-1": { "usd": "0.0104", "source": "s" }');
    expect(text).toContain('"short": ["a", "b"],');
    expect(text).toContain('"long": [\n    "aws:ec2/instance:Instance0",');
  });

  it("writes a component's most used source once and its prices bare, the others with their source", () => {
    const component = {
      id: "c",
      prices: {
        a: { "us-east-1": { usd: "0.1", source: "main" }, "eu-west-1": { usd: "0.2", source: "other" } },
        b: { "us-east-1": { usd: "0.3", source: "main" } },
      },
    };
    const text = formatPriceFacts({ components: [component] });
    expect(text).toContain('"source": "main",\n      "prices": {');
    expect(text).toContain('"us-east-1": "0.1",');
    expect(text).toContain('"eu-west-1": { "usd": "0.2", "source": "other" }');
    // the written form formats to itself, and the loaded (expanded) form to the same text
    expect(formatPriceFacts(JSON.parse(text))).toBe(text);
  });

  it("keeps the shipped file under 2 MiB, the repository's bound for a tracked file", () => {
    expect(readFileSync(PRICE_FACTS_FILE).length).toBeLessThan(2 * 1024 * 1024);
    expect(formatPriceFacts(facts)).toBe(readFileSync(PRICE_FACTS_FILE, "utf8"));
  });

  it("keeps a price whose line would pass 110 columns on four lines, as Biome prints it", () => {
    const source = "a-very-long-source-identifier-that-goes-on-and-on-2026-x";
    const text = formatPriceFacts({
      p: { "t3.micro": { "ap-northeast-1": { usd: "0.0000166667", source } } },
    });
    expect(text).toContain(
      `"ap-northeast-1": {\n        "usd": "0.0000166667",\n        "source": "${source}"\n      }`,
    );
  });
});

describe("loadPriceFacts", () => {
  const base = (): PriceFacts => JSON.parse(JSON.stringify(facts));
  const withPrice = (edit: (doc: PriceFacts) => void) => {
    const doc = base();
    edit(doc);
    return () => loadPriceFacts(doc, "the test facts");
  };

  it("refuses a price written as a number, and names where", () => {
    const bad = withPrice((doc) => {
      const entry = doc.components[0]?.prices["t3.micro"]?.["us-east-1"];
      if (entry) (entry as { usd: unknown }).usd = 0.0104;
    });
    expect(bad).toThrow(/components\.0\.prices\.t3\.micro\.us-east-1\.usd/);
  });

  it("refuses a region or a source it does not know", () => {
    expect(
      withPrice((doc) => {
        const prices = doc.components[0]?.prices["t3.micro"];
        if (prices) prices["sa-east-1"] = { usd: "0.0134", source: "karpenter-2026-07-20" };
      }),
    ).toThrow(/t3\.micro\.sa-east-1: unknown region/);
    expect(
      withPrice((doc) => {
        const entry = doc.components[0]?.prices["t3.micro"]?.["us-east-1"];
        if (entry) entry.source = "a blog";
      }),
    ).toThrow(/unknown source a blog/);
  });

  it("reads a bare price as one of its component's source, and refuses one without it", () => {
    const doc = JSON.parse(formatPriceFacts(facts)) as { components: Record<string, unknown>[] };
    const first = doc.components[0] as { source: string; prices: Record<string, Record<string, unknown>> };
    const [variant, region, usd] = Object.entries(first.prices)
      .flatMap(([v, byRegion]) => Object.entries(byRegion).map(([r, entry]) => [v, r, entry]))
      .find(([, , entry]) => typeof entry === "string") as [string, string, string];
    expect(loadPriceFacts(doc).components[0]?.prices[variant]?.[region]).toEqual({
      usd,
      source: first.source,
    });
    delete (first as { source?: string }).source;
    expect(() => loadPriceFacts(doc, "the test facts")).toThrow(
      `components.0.prices.${variant}.${region}: a bare price needs the component's source`,
    );
  });

  it("refuses a single-price key on a component with variants", () => {
    expect(
      withPrice((doc) => {
        const first = doc.components[0];
        if (first) first.prices[SINGLE_PRICE] = {};
      }),
    ).toThrow(/use "\*" exactly when variantIs is null/);
  });
});
