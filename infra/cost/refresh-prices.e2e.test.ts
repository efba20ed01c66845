import { readFileSync } from "node:fs";
import { AWS_PRICE_TABLE, loadPriceTable } from "@platform/prices";
import { describe, expect, it } from "vitest";
import { PRICE_TABLE_MODULE, renderPriceTableModule } from "./refresh-prices";

// Starts biome (the repository's formatter) as a child process, hence an end-to-end test.
describe("the price table module refresh-prices writes", () => {
  it("is the checked-in module exactly, for the checked-in table", () => {
    expect(renderPriceTableModule(AWS_PRICE_TABLE)).toBe(readFileSync(PRICE_TABLE_MODULE, "utf8"));
  });

  it("carries a refreshed date and loads back as a valid table", () => {
    const text = renderPriceTableModule({ ...AWS_PRICE_TABLE, recorded: "2030-01-02" });
    expect(text).toContain('recorded: "2030-01-02"');
    expect(text).toContain("export const AWS_PRICE_TABLE: PriceTableDocument = {");
    expect(() => loadPriceTable({ ...AWS_PRICE_TABLE, recorded: "2030-01-02" })).not.toThrow();
  });

  it("refuses to render a table the loader would refuse", () => {
    const broken = { ...AWS_PRICE_TABLE, hoursPerMonth: 730 } as unknown as typeof AWS_PRICE_TABLE;
    expect(() => renderPriceTableModule(broken)).toThrow(/hoursPerMonth/);
  });
});
