/**
 * How the request rate moves over time, as a multiplier of the base rate:
 *
 * - `steady`: 1.
 * - `diurnal`: a day of a shop, by the clock (UTC): 0.1 at midnight rising to 1 at noon and back,
 *   0.1 + 0.9 × sin²(π × time of day / period). With a period shorter than a day, a compressed day.
 * - `dip`: 1, then 0.5 for the middle third of every period (traffic halves), then 1.
 * - `surge`: 1, then 2 for the middle third of every period (traffic doubles), then 1.
 *
 * `dip` and `surge` count the period from the moment the shape was chosen, so a test or a demo sees the
 * change a third of a period later; `diurnal` follows the wall clock, so night is night.
 */
export const SHAPES = ["steady", "diurnal", "dip", "surge"] as const;
export type Shape = (typeof SHAPES)[number];

export const DEFAULT_PERIOD_MS: Record<Shape, number> = {
  steady: 0,
  diurnal: 24 * 3_600_000,
  dip: 10 * 60_000,
  surge: 10 * 60_000,
};

/** The lowest the diurnal shape goes: a shop's night, a tenth of its afternoon. */
export const NIGHT_MULTIPLIER = 0.1;

export function shapeMultiplier(shape: Shape, periodMs: number, sinceStartMs: number, nowMs: number): number {
  switch (shape) {
    case "steady":
      return 1;
    case "diurnal": {
      const phase = (((nowMs % periodMs) + periodMs) % periodMs) / periodMs;
      return NIGHT_MULTIPLIER + (1 - NIGHT_MULTIPLIER) * Math.sin(Math.PI * phase) ** 2;
    }
    case "dip":
    case "surge": {
      const phase = (sinceStartMs % periodMs) / periodMs;
      const inMiddleThird = phase >= 1 / 3 && phase < 2 / 3;
      return inMiddleThird ? (shape === "dip" ? 0.5 : 2) : 1;
    }
  }
}

export interface PaceSettings {
  /** Requests per second before the shape's multiplier; 0 sends nothing. */
  rate: number;
  shape: Shape;
  /** The shape's period (ignored by steady). */
  periodMs: number;
}

/** The demo's pace: a base rate and a shape, changeable while traffic runs. */
export interface Pace {
  /** Requests per second wanted now. */
  rateNow(): number;
  settings(): PaceSettings;
  /** Replaces the named settings; a new shape (or period) starts its cycle now. */
  change(next: Partial<PaceSettings>): PaceSettings;
}

export function createPace(initial: PaceSettings, now: () => number = Date.now): Pace {
  let settings = { ...initial };
  let startedAt = now();
  return {
    rateNow() {
      const t = now();
      return settings.rate * shapeMultiplier(settings.shape, settings.periodMs, t - startedAt, t);
    },
    settings: () => ({ ...settings }),
    change(next) {
      const shape = next.shape ?? settings.shape;
      const periodMs =
        next.periodMs ?? (next.shape !== undefined ? DEFAULT_PERIOD_MS[shape] : settings.periodMs);
      const restarts = next.shape !== undefined || next.periodMs !== undefined;
      settings = { rate: next.rate ?? settings.rate, shape, periodMs };
      if (restarts) startedAt = now();
      return { ...settings };
    },
  };
}

export const MIN_PERIOD_MS = 1_000;
export const MAX_PERIOD_MS = 7 * 24 * 3_600_000;
