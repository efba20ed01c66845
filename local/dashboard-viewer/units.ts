/**
 * Values as the viewer shows them: Grafana's unit ids (`percentunit`, `s`, `currencyUSD`, `bytes`,
 * `reqps`, `short`, `suffix:…`; an unknown id is a suffix, as in Grafana), its automatic number of
 * decimals, threshold and named colours, value mappings. Pure: the page runs it in the browser, the unit
 * tests in Node.
 */
import type { Threshold, ValueMapping } from "./grafana.js";

/** Grafana's classic palette, the colours series take in turn (`palette-classic`). */
export const PALETTE = [
  "#7EB26D",
  "#EAB839",
  "#6ED0E0",
  "#EF843C",
  "#E24D42",
  "#1F78C1",
  "#BA43A6",
  "#705DA0",
  "#508642",
  "#CCA300",
  "#447EBC",
  "#C15C17",
  "#890F02",
  "#0A437C",
  "#6D1F62",
  "#584477",
];

const NAMED_COLORS: Record<string, string> = {
  green: "#73BF69",
  "dark-green": "#37872D",
  "semi-dark-green": "#56A64B",
  "light-green": "#96D98D",
  red: "#F2495C",
  "dark-red": "#C4162A",
  "semi-dark-red": "#E02F44",
  "light-red": "#FF7383",
  orange: "#FF9830",
  "dark-orange": "#FA6400",
  "light-orange": "#FFB357",
  yellow: "#FADE2A",
  "dark-yellow": "#E0B400",
  "light-yellow": "#FFEE52",
  blue: "#5794F2",
  "dark-blue": "#1F60C4",
  "light-blue": "#8AB8FF",
  purple: "#B877D9",
  "dark-purple": "#8F3BB8",
  "light-purple": "#CA95E5",
  text: "#CCCCDC",
  transparent: "transparent",
};

/** A colour as a dashboard names it (`green`, `dark-red`, `#73BF69`) in CSS. */
export function cssColor(name: string): string {
  return NAMED_COLORS[name] ?? name;
}

/** The colour of the highest threshold step at or below `value` (the first step has no value: the base). */
export function thresholdColor(value: number | null, steps: readonly Threshold[] | undefined): string {
  let color = steps?.[0]?.color ?? "green";
  if (value !== null) {
    for (const step of steps ?? []) if (step.value !== null && value >= step.value) color = step.color;
  }
  return cssColor(color);
}

/** A value mapping's text and colour for `value`, if one applies (type `value` only: exact matches). */
export function mappedValue(
  value: number | null,
  mappings: readonly ValueMapping[] | undefined,
): { text?: string; color?: string } | undefined {
  if (value === null) return undefined;
  for (const mapping of mappings ?? []) {
    if (mapping.type !== "value") continue;
    const hit = mapping.options?.[String(value)];
    if (hit) return hit;
  }
  return undefined;
}

/**
 * How many decimals a value needs to be read, as Grafana decides when a panel sets none (its
 * getDecimalsForValue): two past the value's order of magnitude (12.3, 4.20, 0.0123), none for whole numbers.
 */
export function autoDecimals(value: number): number {
  if (!Number.isFinite(value) || value === 0 || Number.isInteger(value)) return 0;
  return Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
}

function fixed(value: number, decimals: number | undefined): string {
  const d = decimals ?? autoDecimals(value);
  return value.toFixed(Math.min(20, Math.max(0, d)));
}

/** A value scaled by `factor` per step through `suffixes` (K, Mil, …), with its own decimals. */
function scaled(value: number, decimals: number | undefined, factor: number, suffixes: string[]): string {
  let index = 0;
  let size = value;
  while (Math.abs(size) >= factor && index < suffixes.length - 1) {
    size /= factor;
    index++;
  }
  // Decimals asked for apply to the unscaled value in Grafana; scaled numbers get readable ones.
  return `${fixed(size, index > 0 ? autoDecimals(size) : decimals)}${suffixes[index]}`;
}

function duration(seconds: number, decimals: number | undefined): string {
  const abs = Math.abs(seconds);
  if (abs === 0) return "0 s";
  if (abs < 1e-6) return `${fixed(seconds * 1e9, decimals)} ns`;
  if (abs < 1e-3) return `${fixed(seconds * 1e6, decimals)} µs`;
  if (abs < 1) return `${fixed(seconds * 1e3, decimals)} ms`;
  if (abs < 60) return `${fixed(seconds, decimals)} s`;
  if (abs < 3600) return `${fixed(seconds / 60, decimals)} min`;
  if (abs < 86_400) return `${fixed(seconds / 3600, decimals)} hour`;
  if (abs < 604_800) return `${fixed(seconds / 86_400, decimals)} day`;
  if (abs < 31_536_000) return `${fixed(seconds / 604_800, decimals)} week`;
  return `${fixed(seconds / 31_536_000, decimals)} year`;
}

const RATE_SUFFIXES: Record<string, string> = {
  reqps: " req/s",
  rps: " rd/s",
  wps: " wr/s",
  iops: " io/s",
  ops: " ops/s",
  reqpm: " req/min",
  opm: " ops/min",
};

/** A value in a Grafana unit, e.g. `formatValue(0.0123, "percentunit")` → `1.23%`. */
export function formatValue(value: number | null, unit = "none", decimals?: number): string {
  if (value === null || Number.isNaN(value)) return "No data";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (unit.startsWith("suffix:")) return `${fixed(value, decimals)}${unit.slice("suffix:".length)}`;
  if (unit.startsWith("prefix:")) return `${unit.slice("prefix:".length)}${fixed(value, decimals)}`;
  const suffix = RATE_SUFFIXES[unit];
  if (suffix) return `${fixed(value, decimals)}${suffix}`;
  switch (unit) {
    case "":
    case "none":
      return fixed(value, decimals);
    case "short":
      return scaled(value, decimals, 1000, ["", " K", " Mil", " Bil", " Tri", " Quadr", " Quint"]);
    case "percent":
      return `${fixed(value, decimals)}%`;
    case "percentunit":
      return `${fixed(value * 100, decimals)}%`;
    case "s":
      return duration(value, decimals);
    case "ms":
      return duration(value / 1e3, decimals);
    case "µs":
      return duration(value / 1e6, decimals);
    case "ns":
      return duration(value / 1e9, decimals);
    case "bytes":
      return scaled(value, decimals, 1024, [" B", " KiB", " MiB", " GiB", " TiB", " PiB"]);
    case "decbytes":
      return scaled(value, decimals, 1000, [" B", " kB", " MB", " GB", " TB", " PB"]);
    case "currencyUSD": {
      const text = scaled(Math.abs(value), decimals, 1000, ["", "K", "M", "B", "T"]);
      return `${value < 0 ? "-" : ""}$${text}`;
    }
    case "dateTimeAsIso":
      return new Date(value).toISOString();
    default:
      // Grafana shows an id it does not know as a custom suffix.
      return `${fixed(value, decimals)} ${unit}`;
  }
}

/**
 * An axis tick: the value as `formatValue` writes it, without trailing zeros when the panel sets no
 * decimals, so a scale reads 0.5, 1, 1.5 rather than 0.500, 1, 1.50.
 */
export function formatTick(value: number, unit = "none", decimals?: number): string {
  const text = formatValue(value, unit, decimals);
  if (decimals !== undefined) return text;
  return text.replace(/(\d+)\.(\d*?)0+(?!\d)/, (_all, whole: string, fraction: string) =>
    fraction ? `${whole}.${fraction}` : whole,
  );
}
