/** Calendar days in UTC, written the way Cost Explorer wants them: "YYYY-MM-DD". */
export type IsoDay = string;

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function utcDay(at: number | Date): IsoDay {
  return new Date(typeof at === "number" ? at : at.getTime()).toISOString().slice(0, 10);
}

/** Midnight UTC at the start of the day, in epoch milliseconds; undefined for text that is not a real date. */
export function dayStart(day: IsoDay): number | undefined {
  const match = ISO_DAY.exec(day);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return utcDay(ms) === day ? ms : undefined;
}

function startOf(day: IsoDay): number {
  const ms = dayStart(day);
  if (ms === undefined) throw new RangeError(`Not a calendar day: ${day}`);
  return ms;
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return utcDay(startOf(day) + days * DAY_MS);
}

export function firstOfMonth(day: IsoDay): IsoDay {
  return `${day.slice(0, 7)}-01`;
}

export function firstOfNextMonth(day: IsoDay): IsoDay {
  const d = new Date(startOf(day));
  return utcDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

/** Every day from start (inclusive) to end (exclusive), the way Cost Explorer reads a TimePeriod. */
export function daysBetween(start: IsoDay, endExclusive: IsoDay): IsoDay[] {
  const days: IsoDay[] = [];
  for (let d = start; d < endExclusive; d = addDays(d, 1)) days.push(d);
  return days;
}

export function earlierDay(a: IsoDay, b: IsoDay): IsoDay {
  return a < b ? a : b;
}
