import { PRICE_KEYS } from "@platform/prices";
import { component } from "../components.js";
import type { PricedInput } from "../inputs.js";
import { prose, t } from "../text.js";
import type { PriceSheet } from "./types.js";

/**
 * Usage charges the configuration gives for named resources (`resourceUsage`): a workload's own paid API
 * requests, say, which only its owner can count. Each is shown at its unit price and, when the configuration
 * gives the month's quantity, estimated with its arithmetic; like all usage, never in the fixed total.
 */
export function addResourceUsage(sheet: PriceSheet, resource: PricedInput): void {
  const { resourceUsage, side } = sheet.context;
  for (const entry of resourceUsage.of(resource.name, resource.type, side)) {
    for (const charge of entry.charges) {
      const unitPrice = sheet.price(charge.price);
      if (!unitPrice) {
        sheet.cannotPrice(t`${charge.price} is not in the price table for ${sheet.context.region}`);
        continue;
      }
      const unit = PRICE_KEYS[charge.price].unit;
      const item = prose(charge.item);
      const estimate = charge.quantity
        ? component(
            prose(charge.name ?? charge.item),
            charge.quantity.map((factor): [typeof factor.amount, ReturnType<typeof prose>] => [
              factor.amount,
              prose(factor.label),
            ]),
            unitPrice,
            { unit: charge.quantityUnit ?? unit, priceUnit: unit },
          )
        : undefined;
      sheet.usageCharge({
        item,
        unitPrice,
        unit,
        ...(estimate ? { estimate } : {}),
        ...(estimate && charge.basis ? { basis: prose(charge.basis) } : {}),
      });
    }
    for (const note of entry.notes) sheet.note(prose(note));
  }
}
