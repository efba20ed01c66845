import { describe, expect, it } from "vitest";
import {
  type Catalogue,
  catalogue,
  type ServiceEntry,
  serviceNamed,
  servicesIn,
  validateCatalogue,
} from "./services";

const entry = (overrides: Partial<ServiceEntry>): ServiceEntry => ({
  ...serviceNamed("storefront"),
  ...overrides,
});

describe("the service catalogue", () => {
  it("is valid as committed", () => {
    expect(() => validateCatalogue()).not.toThrow();
    expect(catalogue.map((s) => s.name)).toEqual(["storefront", "cost-exporter", "traffic"]);
  });

  it("lists the services of a place in catalogue order", () => {
    const localOnly = entry({ name: "local-only", port: 9999, runsIn: ["local"] });
    const withFixture: Catalogue = [...catalogue, localOnly];
    expect(servicesIn("cluster", withFixture).map((s) => s.name)).toEqual([
      "storefront",
      "cost-exporter",
      "traffic",
    ]);
    expect(servicesIn("local", withFixture).map((s) => s.name)).toContain("local-only");
  });

  it("names the services there are when one is missing", () => {
    expect(() => serviceNamed("nope")).toThrow(/no service "nope".*storefront, cost-exporter, traffic/);
  });

  it.each([
    ["a duplicate name", [entry({ port: 9000 })], /storefront: declared twice/],
    ["a duplicate port", [entry({ name: "shop-2" })], /shop-2: port 8080 is also storefront's/],
    [
      "a name that is no DNS label",
      [entry({ name: "Shop_2", port: 9000 })],
      /Shop_2: a name must be a DNS label/,
    ],
    ["a privileged port", [entry({ name: "shop-2", port: 80 })], /port 80 is not a whole number from 1024/],
    [
      "egress to a service that does not exist",
      [entry({ name: "shop-2", port: 9000, egress: [{ to: "service", service: "nope" }] })],
      /egress to "nope"/,
    ],
    ["no place to run", [entry({ name: "shop-2", port: 9000, runsIn: [] })], /runsIn names no place/],
  ])("rejects %s", (_what, extra, message) => {
    expect(() => validateCatalogue([...catalogue, ...extra])).toThrow(message);
  });
});
