import { describe, expect, it } from "vitest";
import {
  AWS_PRICE_TABLE,
  eksNodeAllocatable,
  INSTANCE_TYPES,
  loadPriceTable,
  regionPrices,
} from "./index.js";

const table = loadPriceTable(AWS_PRICE_TABLE);

/**
 * An instance type or a region comes from a preview, a stack's settings or a resource's inputs: untrusted
 * text. Named like a property every object inherits, it must read as unknown, never as a price.
 */
const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty"];

describe("price lookups keyed by a name from elsewhere", () => {
  it.each(PROTOTYPE_NAMES)("know no instance type %s", (name) => {
    expect(INSTANCE_TYPES[name]).toBeUndefined();
    expect(eksNodeAllocatable(name)).toBeUndefined();
    expect(regionPrices(table, "us-east-1").ec2InstanceHour.get(name)).toBeUndefined();
  });

  it.each(PROTOTYPE_NAMES)("know no region %s", (name) => {
    expect(table.regions.get(name)).toBeUndefined();
    expect(() => regionPrices(table, name)).toThrow(`no prices for region ${name}`);
  });
});
