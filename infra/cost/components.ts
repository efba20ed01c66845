import {
  exact,
  formatQuantity,
  formatUnitPrice,
  formatUsd,
  type Money,
  sum,
  toCents,
  ZERO,
} from "@platform/prices";

/**
 * One priced line of a resource, as data a reviewer can check: quantity × unit price = monthly, with the
 * factors that made the quantity ("2 × t3.large × 730 h × $0.0832/h = $121.47"). The monthly figure is
 * rounded to the cent here, once; every total above is a sum of these cents, so the comment adds up.
 */
export interface CostComponent {
  name: string;
  quantity: Money;
  /** what the quantity counts, e.g. "instance-hours", "GiB-months" */
  unit: string;
  unitPrice: Money;
  /** the price's own unit as AWS writes it, e.g. "h", "GiB-month" */
  priceUnit: string;
  monthly: Money;
  arithmetic: string;
}

export type Factor = number | Money | string;

function shown(factor: Factor): string {
  if (typeof factor === "string") return factor;
  return formatQuantity(typeof factor === "number" ? exact(factor) : factor);
}

/**
 * A component from its factors: numbers multiply into the quantity, strings only label ("t3.large").
 * `component("instances", [2, "t3.large", [730, "h"]], …)` reads "2 × t3.large × 730 h".
 */
export function component(
  name: string,
  factors: (Factor | [Money | number, string])[],
  unitPrice: Money,
  { unit, priceUnit }: { unit: string; priceUnit: string },
): CostComponent {
  let quantity = exact(1);
  const parts: string[] = [];
  for (const factor of factors) {
    if (Array.isArray(factor)) {
      const [value, label] = factor;
      quantity = quantity.times(typeof value === "number" ? exact(value) : value);
      parts.push(`${shown(value)} ${label}`);
    } else if (typeof factor === "string") {
      parts.push(factor);
    } else {
      quantity = quantity.times(typeof factor === "number" ? exact(factor) : factor);
      parts.push(shown(factor));
    }
  }
  const monthly = toCents(quantity.times(unitPrice));
  const arithmetic = `${parts.join(" × ")} × ${formatUnitPrice(unitPrice)}/${priceUnit} = ${formatUsd(monthly)}`;
  return { name, quantity, unit, unitPrice, priceUnit, monthly, arithmetic };
}

export function componentsTotal(components: readonly CostComponent[]): Money {
  return components.length === 0 ? ZERO : sum(components.map((c) => c.monthly));
}
