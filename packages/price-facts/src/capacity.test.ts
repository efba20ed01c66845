import { describe, expect, it } from "vitest";
import { loadInstanceCapacity, readInstanceCapacity } from "./capacity.js";
import { readPriceFacts } from "./index.js";

const capacity = readInstanceCapacity();
const priced = readPriceFacts().components.find((c) => c.id === "ec2.instance-hour")?.prices ?? {};

describe("the shipped instance capacity", () => {
  it("describes priced instance types only, each field from a named source", () => {
    const types = Object.keys(capacity.types);
    expect(types.length).toBeGreaterThan(1000);
    expect(types.filter((type) => !Object.hasOwn(priced, type))).toEqual([]);
    expect(Object.values(capacity.fields).every((id) => capacity.sources[id]?.stated)).toBe(true);
  });

  it("holds the figures of its sources (m6i.large, t3.micro, p5.48xlarge)", () => {
    expect(capacity.types["m6i.large"]).toEqual({ vcpu: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 10 });
    expect(capacity.types["t3.micro"]).toEqual({ vcpu: 2, memoryMiB: 1024, enis: 2, ipv4PerEni: 2 });
    expect(capacity.types["p5.48xlarge"]).toEqual({ vcpu: 192, memoryMiB: 2097152, enis: 2, ipv4PerEni: 50 });
  });
});

describe("loadInstanceCapacity", () => {
  const edited = (edit: (doc: Record<string, unknown>) => void) => {
    const doc = structuredClone(capacity) as unknown as Record<string, unknown>;
    edit(doc);
    return () => loadInstanceCapacity(doc, "the test capacity");
  };

  it("refuses a count that is not a positive whole number, and names where", () => {
    const bad = edited((doc) => {
      (doc.types as Record<string, Record<string, unknown>>)["m6i.large"] = {
        vcpu: 2.5,
        memoryMiB: 8192,
        enis: 3,
        ipv4PerEni: 10,
      };
    });
    expect(bad).toThrow(/the test capacity is not valid:\n {2}types\.m6i\.large\.vcpu/);
  });

  it("refuses a field whose source is not listed", () => {
    const bad = edited((doc) => {
      (doc.fields as Record<string, string>).enis = "nowhere";
    });
    expect(bad).toThrow(/fields: every field names one of the sources/);
  });
});
