import type { PerPriceKey, ScalarPriceKey } from "@platform/prices";
import { type Label, textOf } from "../components.js";
import { type Text, t, value } from "../text.js";
import type { Charge, Count, Inputs } from "./declared.js";

/** The charges a declared resource type is made of (catalog.ts), each one line. */
export const hourly = (item: Label, what: Label, key: ScalarPriceKey, count?: Count): Charge => ({
  kind: "hourly",
  item,
  what,
  key,
  ...(count === undefined ? {} : { count }),
});
/** Per-hour, priced by a type (instance class, node type) the resource names. */
export const typed = (key: PerPriceKey, type: string, what: string, count?: Count): Charge => ({
  kind: "hourly",
  item: textOf(value(type), ` ${what}`),
  what: value(type),
  key,
  dimension: type,
  ...(count === undefined ? {} : { count }),
});
export const monthly = (item: Label, what: Label, key: ScalarPriceKey, count?: Count): Charge => ({
  kind: "monthly",
  item,
  what,
  key,
  ...(count === undefined ? {} : { count }),
});
export const usage = (
  item: Label,
  key: ScalarPriceKey,
  quantity: string,
  unit: string,
  perHour = false,
): Charge => ({
  kind: "usage",
  item,
  key,
  quantity,
  unit,
  ...(perHour ? { perHour } : {}),
});
/** Storage by the GB-month, from a size input. */
export const storage = (item: Label, key: ScalarPriceKey, gb: Count, count: number = 1): Charge =>
  monthly(item, "GB", key, typeof gb === "number" ? gb * count : gb);

/** An input that names what is billed (an instance class): missing, it is not known until apply. */
export const named = (i: Inputs, path: string): string | Text =>
  i.string(path) ?? t`${path} is not known until apply`;
export const isText = (v: unknown): v is Text => typeof v === "object";
