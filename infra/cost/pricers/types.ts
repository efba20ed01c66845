import type { Money, RegionPrices } from "@platform/prices";
import { type CostComponent, component, type Factor } from "../components";
import type { PricedInput } from "../inputs";
import type { UsageAssumptions } from "../usage-file";

/** What pricing one resource may need to know besides the resource itself. */
export interface PricingContext {
  prices: RegionPrices;
  hoursPerMonth: Money;
  /** every resource on the same side of the change (launch templates, storage classes, …) */
  resources: readonly PricedInput[];
  /** the stack's monthly usage from the usage file */
  usage: UsageAssumptions;
  /** the first hour of the month being estimated (UTC midnight of the estimate's day) */
  monthStart: Date;
}

/**
 * A charge billed by use. Always shown with its unit price; estimated (and then shown with its
 * arithmetic) when the usage file gives the usage. Never part of the fixed total.
 */
export interface UsageCharge {
  item: string;
  unitPrice: Money;
  unit: string;
  estimate?: CostComponent;
  /** where the estimate's usage came from, e.g. "usage.yaml natGateway.dataProcessedGb" */
  basis?: string;
}

export interface ResourcePrice {
  /** charges by time or size, each quantity × unit price */
  components: CostComponent[];
  /** parts that could not be priced, with the reason; never silently counted as $0 */
  notPriced: string[];
  usage: UsageCharge[];
  /** things a reviewer should know about this resource's price */
  notes: string[];
  /** things that change the bill a reviewer must not miss (shown at the top of the comment) */
  warnings: string[];
}

/** One small pricer per resource type; undefined means the resource is not billed by itself. */
export type Pricer = (resource: PricedInput, context: PricingContext) => ResourcePrice | undefined;

/** Collects one resource's components, unpriced parts and usage charges. */
export class PriceSheet {
  readonly components: CostComponent[] = [];
  readonly notPriced: string[] = [];
  readonly usage: UsageCharge[] = [];
  readonly notes: string[] = [];
  readonly warnings: string[] = [];

  constructor(readonly context: PricingContext) {}

  get prices(): RegionPrices {
    return this.context.prices;
  }

  /** `count × what × 730 h × $price/h`. */
  hourly(name: string, what: string, unitPrice: Money, count: number | Money = 1): CostComponent {
    const factors: (Factor | [Money | number, string])[] = [];
    if (typeof count !== "number" || count !== 1) factors.push(count);
    factors.push(what, [this.context.hoursPerMonth, "h"]);
    return this.add(component(name, factors, unitPrice, { unit: "hours", priceUnit: "h" }));
  }

  add(line: CostComponent): CostComponent {
    this.components.push(line);
    return line;
  }

  usageCharge(charge: UsageCharge): void {
    this.usage.push(charge);
  }

  /**
   * A usage charge at its unit price, estimated as `factors(amount)` × the unit price when the usage file
   * gives the amount (`basis` names its key there).
   */
  usageFor(
    charge: { item: string; unitPrice: Money; unit: string },
    amount: Money | undefined,
    basis: string,
    factors: (amount: Money) => (Factor | [Money | number, string])[],
    units: { unit: string; priceUnit: string } = { unit: charge.unit, priceUnit: charge.unit },
  ): void {
    this.usage.push(
      amount
        ? { ...charge, estimate: component(charge.item, factors(amount), charge.unitPrice, units), basis }
        : charge,
    );
  }

  cannotPrice(reason: string): void {
    this.notPriced.push(reason);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  warn(text: string): void {
    this.warnings.push(text);
  }

  /** Undefined when nothing about the resource costs money or needs saying. */
  result(): ResourcePrice | undefined {
    if (this.components.length === 0 && this.usage.length === 0 && this.notPriced.length === 0)
      return undefined;
    return {
      components: this.components,
      notPriced: this.notPriced,
      usage: this.usage,
      notes: this.notes,
      warnings: this.warnings,
    };
  }
}
