import {
  type Money,
  type PerPriceKey,
  priceIn,
  type RegionPrices,
  type ScalarPriceKey,
} from "@platform/prices";
import { type CostComponent, component, type Factor, type Label } from "../components.js";
import type { PricedInput } from "../inputs.js";
import { type Text, t } from "../text.js";
import type { EksSupportCalendar, ResourceUsage, UsageAssumptions } from "../usage.js";

/** The resources of one side of a change, by type: what a pricer looks up beside its own resource. */
export class ResourceIndex {
  private readonly byType = new Map<string, PricedInput[]>();
  private readonly memos = new WeakMap<object, { made: unknown; readSide: boolean }>();
  /**
   * How often pricing looked beyond its own resource (the side's other resources, or which side it is): a price
   * made without doing so is the same on both sides of an unchanged resource (see side.ts).
   */
  sideReads = 0;

  constructor(private readonly resources: readonly PricedInput[]) {
    for (const resource of resources) {
      const list = this.byType.get(resource.type);
      if (list) list.push(resource);
      else this.byType.set(resource.type, [resource]);
    }
  }

  get all(): readonly PricedInput[] {
    this.sideReads++;
    return this.resources;
  }

  ofType(type: string): readonly PricedInput[] {
    this.sideReads++;
    return this.byType.get(type) ?? [];
  }

  /** What `make` says of a resource, made once per side (a node group's spec, for its price and its fit). */
  memo<T>(resource: PricedInput, make: () => T): T {
    const known = this.memos.get(resource);
    if (known) {
      if (known.readSide) this.sideReads++;
      return known.made as T;
    }
    const reads = this.sideReads;
    const made = make();
    this.memos.set(resource, { made, readSide: this.sideReads !== reads });
    return made;
  }
}

/** What pricing one resource may need to know besides the resource itself. */
export interface PricingContext {
  /** the prices of the region the resource is billed in */
  prices: RegionPrices;
  region: string;
  hoursPerMonth: Money;
  /** every resource on the same side of the change (launch templates, storage classes, …) */
  resources: ResourceIndex;
  /** the monthly usage from the configuration */
  usage: UsageAssumptions;
  /** usage charges the configuration gives for named resources */
  resourceUsage: ResourceUsage;
  /** EKS's Kubernetes versions and their support dates, from the configuration */
  eks: EksSupportCalendar;
  /** the first hour of the month being estimated (UTC midnight of the estimate's day) */
  monthStart: Date;
  /** before or after the change */
  side: "before" | "after";
}

/**
 * A charge billed by use. Always shown with its unit price; estimated (and then shown with its
 * arithmetic) when the configuration gives the usage. Never part of the fixed total.
 */
export interface UsageCharge {
  item: Text;
  unitPrice: Money;
  unit: string;
  estimate?: CostComponent;
  /** where the estimate's usage came from, e.g. "natGateway.dataProcessedGb" */
  basis?: Text;
}

export interface ResourcePrice {
  /** charges by time or size, each quantity × unit price */
  components: CostComponent[];
  /** parts that could not be priced, with the reason; never silently counted as $0 */
  notPriced: Text[];
  usage: UsageCharge[];
  /** things a reviewer should know about this resource's price */
  notes: Text[];
  /** things that change the bill a reviewer must not miss (shown at the top of the comment) */
  warnings: Text[];
}

/** The empty list most resources have of most things: shared, so it is never pushed to (see PriceSheet). */
// biome-ignore lint/suspicious/noExplicitAny: one frozen empty array serves every element type
const NONE: any[] = Object.freeze([]) as unknown as any[];

/** One small pricer per resource type; undefined means nothing about the resource is billed. */
export type Pricer = (resource: PricedInput, context: PricingContext) => ResourcePrice | undefined;

/** Collects one resource's components, unpriced parts and usage charges. */
export class PriceSheet {
  components: CostComponent[] = [];
  notPriced: Text[] = NONE;
  usage: UsageCharge[] = NONE;
  notes: Text[] = NONE;
  warnings: Text[] = NONE;

  constructor(readonly context: PricingContext) {}

  get prices(): RegionPrices {
    return this.context.prices;
  }

  /** A price of the resource's region, or undefined when the table lacks it there. */
  price(key: ScalarPriceKey): Money | undefined;
  price(key: PerPriceKey, dimension: string): Money | undefined;
  price(key: ScalarPriceKey | PerPriceKey, dimension?: string): Money | undefined {
    return priceIn(this.context.prices, key, dimension);
  }

  /**
   * A price the resource needs in its region; when the table lacks it there, that part of the resource is not
   * priced, with why (never priced at another region's figure, never $0).
   */
  need(key: ScalarPriceKey): Money | undefined;
  need(key: PerPriceKey, dimension: string): Money | undefined;
  need(key: ScalarPriceKey | PerPriceKey, dimension?: string): Money | undefined {
    const found = priceIn(this.context.prices, key, dimension);
    if (!found) {
      const which = dimension === undefined ? t`${key}` : t`${key} (${dimension})`;
      this.cannotPrice(
        t`no ${which} price for ${this.context.region} in the price table (never priced at another region's)`,
      );
    }
    return found;
  }

  /** `count × what × 730 h × $price/h`; nothing when the price is missing (`need` has said so). */
  hourly(name: Label, what: Label, unitPrice: Money, count?: number | Money): CostComponent;
  hourly(
    name: Label,
    what: Label,
    unitPrice: Money | undefined,
    count?: number | Money,
  ): CostComponent | undefined;
  hourly(
    name: Label,
    what: Label,
    unitPrice: Money | undefined,
    count: number | Money = 1,
  ): CostComponent | undefined {
    if (!unitPrice) return undefined;
    const factors: (Factor | [Money | number, Label])[] = [];
    if (typeof count !== "number" || count !== 1) factors.push(count);
    factors.push(what, [this.context.hoursPerMonth, "h"]);
    return this.add(component(name, factors, unitPrice, { unit: "hours", priceUnit: "h" }));
  }

  add(line: CostComponent): CostComponent {
    this.components.push(line);
    return line;
  }

  usageCharge(charge: UsageCharge): void {
    if (this.usage === NONE) this.usage = [];
    this.usage.push(charge);
  }

  /**
   * A usage charge at its unit price, estimated as `factors(amount)` × the unit price when the configuration
   * gives the amount (`basis` names its key there).
   */
  usageFor(
    charge: { item: Text; unitPrice: Money | undefined; unit: string },
    amount: Money | undefined,
    basis: Text,
    factors: (amount: Money) => (Factor | [Money | number, Label])[],
    units: { unit: string; priceUnit: string } = { unit: charge.unit, priceUnit: charge.unit },
  ): void {
    const { unitPrice } = charge;
    if (!unitPrice) return; // `need` has said which price is missing
    this.usageCharge(
      amount
        ? {
            ...charge,
            unitPrice,
            estimate: component(charge.item, factors(amount), unitPrice, units),
            basis,
          }
        : { ...charge, unitPrice },
    );
  }

  cannotPrice(reason: Text): void {
    if (this.notPriced === NONE) this.notPriced = [];
    this.notPriced.push(reason);
  }

  note(text: Text): void {
    if (this.notes === NONE) this.notes = [];
    this.notes.push(text);
  }

  warn(text: Text): void {
    if (this.warnings === NONE) this.warnings = [];
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
