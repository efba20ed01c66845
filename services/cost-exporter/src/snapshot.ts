import type { IsoDay } from "./dates.js";
import type { Amount } from "./decimal.js";
import type { RefreshCalendar } from "./requests.js";
import type { CostRow, DailyCosts, Forecast } from "./responses.js";

/** The series every service beyond TOP_SERVICES (and every tag value beyond it) is added to. */
export const OTHER = "other";
/** The tag_value of spend on resources that do not carry the tag (Cost Explorer's "key$"). */
export const UNTAGGED = "untagged";

export interface DailyAmount {
  day: IsoDay;
  service: string;
  currency: string;
  estimated: boolean;
  amount: Amount;
}
export interface ServiceAmount {
  service: string;
  currency: string;
  amount: Amount;
}
export interface TagAmount {
  value: string;
  currency: string;
  amount: Amount;
}

/** What one successful refresh learned; `/metrics` renders only this, never calling AWS. */
export interface CostSnapshot {
  /** When the refresh that produced it finished (epoch ms). */
  takenAt: number;
  calendar: RefreshCalendar;
  daily: DailyAmount[];
  lastCompleteDay: (ServiceAmount & { estimated: boolean })[];
  today: ServiceAmount[];
  monthToDate: ServiceAmount[];
  /** Month-end totals: actual spend of the month's complete days plus the forecast from today on. */
  monthForecast?: Forecast;
  tag?: { key: string; monthToDate: TagAmount[]; lastCompleteDay: TagAmount[] };
}

export interface SnapshotInput {
  takenAt: number;
  calendar: RefreshCalendar;
  services: DailyCosts;
  tags?: { key: string; costs: DailyCosts };
  forecast?: Forecast;
  topServices: number;
}

/** The keys to keep by name: the largest `limit` by total over every row, ties broken by name. */
export function topKeys(rows: readonly CostRow[], limit: number): Set<string> {
  const totals = new Map<string, Amount>();
  for (const r of rows) totals.set(r.key, (totals.get(r.key) ?? 0n) + r.amount);
  const ranked = [...totals.entries()].sort(([ka, a], [kb, b]) =>
    a === b ? (ka < kb ? -1 : 1) : a > b ? -1 : 1,
  );
  return new Set(ranked.slice(0, limit).map(([key]) => key));
}

/** Sums rows into groups; `groupOf` returns the group's identity fields, which become the result's fields. */
function sumBy<K extends Record<string, string | boolean>>(
  rows: readonly CostRow[],
  groupOf: (row: CostRow) => K,
): (K & { amount: Amount })[] {
  const groups = new Map<string, K & { amount: Amount }>();
  for (const row of rows) {
    const fields = groupOf(row);
    const id = JSON.stringify(fields);
    const group = groups.get(id) ?? { ...fields, amount: 0n };
    group.amount += row.amount;
    groups.set(id, group);
  }
  return [...groups.values()];
}

/**
 * Turns one refresh's answers into a snapshot: small services folded into "other" (so every total
 * still adds up and the series count stays bounded), then summed per metric window.
 */
export function buildSnapshot({
  takenAt,
  calendar,
  services,
  tags,
  forecast,
  topServices,
}: SnapshotInput): CostSnapshot {
  const { today, lastCompleteDay, monthStart, historyStart } = calendar;
  const kept = topKeys(services.rows, topServices);
  const folded = services.rows.map((r) => ({ ...r, key: kept.has(r.key) ? r.key : OTHER }));
  const estimatedOn = (day: IsoDay) => services.days.get(day)?.estimated ?? false;

  const snapshot: CostSnapshot = {
    takenAt,
    calendar,
    daily: sumBy(
      folded.filter((r) => r.day >= historyStart && r.day <= today),
      (r) => ({ day: r.day, service: r.key, currency: r.currency, estimated: estimatedOn(r.day) }),
    ),
    lastCompleteDay: sumBy(
      folded.filter((r) => r.day === lastCompleteDay),
      (r) => ({ service: r.key, currency: r.currency, estimated: estimatedOn(r.day) }),
    ),
    today: sumBy(
      folded.filter((r) => r.day === today),
      (r) => ({ service: r.key, currency: r.currency }),
    ),
    monthToDate: sumBy(
      folded.filter((r) => r.day >= monthStart && r.day <= today),
      (r) => ({ service: r.key, currency: r.currency }),
    ),
  };

  if (forecast) {
    // Today's partial estimate is left out: the forecast already covers all of today.
    let actual = 0n;
    for (const r of services.rows) {
      if (r.day >= monthStart && r.day < today && r.currency === forecast.currency) actual += r.amount;
    }
    snapshot.monthForecast = {
      currency: forecast.currency,
      mean: actual + forecast.mean,
      lower: actual + forecast.lower,
      upper: actual + forecast.upper,
    };
  }

  if (tags) {
    const named = tags.costs.rows.map((r) => ({ ...r, key: r.key === "" ? UNTAGGED : r.key }));
    const keptValues = topKeys(named, topServices);
    const foldedTags = named.map((r) => ({ ...r, key: keptValues.has(r.key) ? r.key : OTHER }));
    snapshot.tag = {
      key: tags.key,
      monthToDate: sumBy(
        foldedTags.filter((r) => r.day >= monthStart && r.day <= today),
        (r) => ({ value: r.key, currency: r.currency }),
      ),
      lastCompleteDay: sumBy(
        foldedTags.filter((r) => r.day === lastCompleteDay),
        (r) => ({ value: r.key, currency: r.currency }),
      ),
    };
  }
  return snapshot;
}
