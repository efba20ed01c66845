import {
  exact,
  formatQuantity,
  formatUnitPrice,
  formatUsd,
  type Money,
  toCents,
  ZERO,
} from "@platform/prices";
import { literal, type Part, Text } from "./text.js";

/**
 * One priced line of a resource, as data a reviewer can check: quantity × unit price = monthly, with the
 * factors that made the quantity ("2 × t3.large × 730 h × $0.0832/h = $121.47"). The monthly figure is
 * rounded to the cent here, once; every total above is a sum of these cents, so the comment adds up.
 */
export interface CostComponent {
  name: Text;
  quantity: Money;
  /** what the quantity counts, e.g. "instance-hours", "GiB-months" */
  unit: string;
  unitPrice: Money;
  /** the price's own unit as AWS writes it, e.g. "h", "GiB-month" */
  priceUnit: string;
  monthly: Money;
  arithmetic: Text;
}

/** A label of the engine's own (a string) or of the input (a part or a text, e.g. an instance type). */
export type Label = string | Part | Text;
export type Factor = number | Money | Label;

function partsOf(label: Label): Part[] {
  if (typeof label === "string") return [literal(label)];
  return label instanceof Text ? [...label.parts] : [label];
}

function shown(value: Money | number): string {
  return typeof value === "number" && Number.isSafeInteger(value)
    ? formatQuantity(value)
    : formatQuantity(asMoney(value));
}

const isLabel = (factor: Factor): factor is Label =>
  typeof factor === "string" || factor instanceof Text || (typeof factor === "object" && "kind" in factor);

export const textOf = (...labels: Label[]): Text =>
  // a Text is immutable: one label that is a Text already is its own text
  labels.length === 1 && labels[0] instanceof Text ? labels[0] : new Text(labels.flatMap(partsOf));

/** A component whose arithmetic is written out only when something reads it (most are never shown). */
class Line implements CostComponent {
  private written: Text | undefined;
  private named: Text | undefined;

  constructor(
    private readonly label: Label,
    readonly quantity: Money,
    readonly unit: string,
    readonly unitPrice: Money,
    readonly priceUnit: string,
    readonly monthly: Money,
    private readonly factors: readonly (Factor | [Money | number, Label])[],
  ) {}

  get name(): Text {
    this.named ??= textOf(this.label);
    return this.named;
  }

  get arithmetic(): Text {
    if (this.written) return this.written;
    const parts: Part[] = [];
    for (const factor of this.factors) {
      if (parts.length > 0) parts.push(literal(" × "));
      if (Array.isArray(factor)) parts.push(literal(`${shown(factor[0])} `), ...partsOf(factor[1]));
      else if (isLabel(factor)) parts.push(...partsOf(factor));
      else parts.push(literal(shown(factor)));
    }
    parts.push(
      literal(` × ${formatUnitPrice(this.unitPrice)}/${this.priceUnit} = ${formatUsd(this.monthly)}`),
    );
    this.written = new Text(parts);
    return this.written;
  }
}

const asMoney = (value: Money | number): Money => (typeof value === "number" ? exact(value) : value);

/**
 * A component from its factors: numbers multiply into the quantity, labels only label ("t3.large").
 * `component("instances", [2, value("t3.large"), [730, "h"]], …)` reads "2 × t3.large × 730 h".
 */
export function component(
  name: Label,
  factors: (Factor | [Money | number, Label])[],
  unitPrice: Money,
  { unit, priceUnit }: { unit: string; priceUnit: string },
): CostComponent {
  let quantity: Money | undefined;
  for (const factor of factors) {
    const amount = Array.isArray(factor) ? factor[0] : isLabel(factor) ? undefined : factor;
    if (amount !== undefined) quantity = quantity ? quantity.times(asMoney(amount)) : asMoney(amount);
  }
  const total = quantity ?? exact(1);
  const monthly = toCents(total.times(unitPrice));
  return new Line(name, total, unit, unitPrice, priceUnit, monthly, factors);
}

export function componentsTotal(components: readonly CostComponent[]): Money {
  let total = ZERO;
  for (const c of components) if (!c.monthly.isZero()) total = total.plus(c.monthly);
  return total;
}
