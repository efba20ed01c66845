import type { Money, PerPriceKey, ScalarPriceKey } from "@platform/prices";
import { component, type Label, textOf } from "../components.js";
import { arrayAt, at, boundedAt, type PricedInput, stringAt } from "../inputs.js";
import { BOUNDS } from "../limits.js";
import { type Text, t } from "../text.js";
import type { USAGE_QUANTITIES, UsageType } from "../usage-quantities.js";
import { type Pricer, PriceSheet, type PricingContext } from "./types.js";

/**
 * Pricers written as data (catalog.ts): per resource type, the charges a resource of it is billed, each a price
 * key and where its quantity comes from. Fixed charges (by the hour or the month) count in the total; usage
 * charges are shown apart, at their unit price, estimated when the configuration gives the quantity. A charge
 * whose price the resource's region lacks is not priced there, with why; a quantity not known until apply too.
 */

/** A count read from the inputs: a number, or why it cannot be known (not priced). */
export type Count = number | Money | Text;

interface Common {
  /** the line's name: "db.t3.micro instance" */
  item: Label;
  /** what one unit of the count is: "instance", "node", "GB" */
  what: Label;
  count?: Count;
}
export type Charge =
  | (Common & { kind: "hourly" | "monthly"; key: ScalarPriceKey })
  | (Common & { kind: "hourly"; key: PerPriceKey; dimension: string })
  | { kind: "usage"; item: Label; key: ScalarPriceKey; quantity: string; unit: string; perHour?: boolean };

/** One resource type: its charges from its inputs, or why none of it can be priced. */
export type Declared = (
  inputs: Inputs,
  resource: PricedInput,
  context: PricingContext,
) => Charge[] | Text | undefined;

/** Reading a resource's inputs: bounded numbers, strings, and counts that may be unknown until apply. */
export class Inputs {
  constructor(private readonly resource: PricedInput) {}

  string(path: string): string | undefined {
    return stringAt(this.resource.inputs, path);
  }

  /** A non-negative integer input (refused with exit 2 when it is not), or the default. */
  number(path: string, fallback?: number): number | undefined {
    return boundedAt(this.resource, path, BOUNDS.exactUnits) ?? fallback;
  }

  bool(path: string): boolean {
    return at(this.resource.inputs, path) === true;
  }

  /** How many entries a list input has, or undefined when the list is not known until apply. */
  length(path: string): number | undefined {
    return arrayAt(this.resource.inputs, path)?.length;
  }

  /** A count the bill needs: the input, its AWS default, or why it is not known. */
  count(path: string, fallback?: number): Count {
    return this.number(path, fallback) ?? t`${path} is not known until apply`;
  }
}

/** A usage quantity: the named resource's own, else the type's in the configuration. */
export function quantityOf(
  resource: PricedInput,
  context: PricingContext,
  name: string,
): [Money, Text] | undefined {
  // The side is asked only of a resource the configuration names: any other is priced alike on both sides.
  const own = context.resourceUsage.mentions(resource.name)
    ? context.resourceUsage.quantity(resource.name, resource.type, context.side, name)
    : undefined;
  if (own) return [own, t`resourceUsage ${resource.name}.quantities.${name}`];
  const byType = context.usage.byType?.get(resource.type)?.get(name);
  return byType ? [byType, t`usage.byType.${resource.type}.${name}`] : undefined;
}

export function addCharge(sheet: PriceSheet, charge: Charge, resource: PricedInput): void {
  const { context } = sheet;
  if (charge.kind === "usage") {
    const amount = quantityOf(resource, context, charge.quantity);
    const [label] = charge.unit.split("-").slice(-1);
    sheet.usageFor(
      { item: textItem(charge.item), unitPrice: sheet.need(charge.key), unit: charge.unit },
      amount?.[0],
      amount?.[1] ?? t`${charge.quantity}`,
      (quantity) =>
        charge.perHour
          ? [
              [quantity, charge.quantity],
              [context.hoursPerMonth, "h"],
            ]
          : [[quantity, label ?? charge.unit]],
      charge.perHour
        ? { unit: `${charge.unit}s`, priceUnit: charge.unit }
        : { unit: charge.unit, priceUnit: charge.unit },
    );
    return;
  }
  const count = charge.count ?? 1;
  if (typeof count === "object" && !("toFixed" in count)) {
    sheet.cannotPrice(t`${charge.item}: ${count}`);
    return;
  }
  const price = "dimension" in charge ? sheet.need(charge.key, charge.dimension) : sheet.need(charge.key);
  if (!price) return;
  if (charge.kind === "hourly") sheet.hourly(charge.item, charge.what, price, count as number | Money);
  else {
    const factors =
      count === 1
        ? [charge.what, [1, "month"] as [number, Label]]
        : [
            [count as number | Money, charge.what] as [number | Money, Label],
            [1, "month"] as [number, Label],
          ];
    sheet.add(component(charge.item, factors, price, { unit: "months", priceUnit: "month" }));
  }
}

const textItem = (item: Label): Text => textOf(item);

/** The pricer of a declared type. */
export function declaredPricer(declared: Declared): Pricer {
  return (resource, context) => {
    const sheet = new PriceSheet(context);
    const charges = declared(new Inputs(resource), resource, context);
    if (charges === undefined) return undefined;
    if (!Array.isArray(charges)) {
      sheet.cannotPrice(charges);
      return sheet.result();
    }
    for (const charge of charges) addCharge(sheet, charge, resource);
    return sheet.result();
  };
}

/** The usage quantities a type declares, for a charge's `quantity` (a typo fails the type-check). */
export const quantity = <T extends UsageType>(_type: T, name: keyof (typeof USAGE_QUANTITIES)[T] & string) =>
  name;
