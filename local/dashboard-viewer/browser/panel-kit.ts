/** What every kind of panel shares: the frames it is drawn from, its outcome, colours, names and values. */
import type uPlot from "uplot";
import { type FieldDefaults, type Panel, reduce, renderLegend, type Target } from "../grafana.js";
import { cssColor, formatValue, mappedValue, PALETTE, thresholdColor } from "../units.js";

/** One series of one target: times in seconds, values with null where Prometheus had none. */
export interface Frame {
  labels: Record<string, string>;
  times: number[];
  values: (number | null)[];
  target: Target;
  expr: string;
}

export interface DrawOutcome {
  state: "ok" | "empty" | "error" | "unsupported";
  /** Values drawn (non-null samples). */
  points: number;
  detail?: string;
}

export const charts = new WeakMap<HTMLElement, uPlot>();
export const AXIS = "#8e8e98";
export const GRID = "rgba(204, 204, 220, 0.08)";

export const isDrawn = (element: HTMLElement) => element.dataset.state !== "loading";

export function clear(body: HTMLElement) {
  charts.get(body)?.destroy();
  charts.delete(body);
  body.replaceChildren();
}

export function message(body: HTMLElement, text: string) {
  body.append(textElement("div", "message", text));
}

export const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
export const countPoints = (frames: Frame[]) =>
  frames.reduce((n, f) => n + f.values.filter((v) => finite(v) !== null).length, 0);

/**
 * "No data" in the panel (or the panel's own no-value text), when the queries gave no value to show;
 * undefined when there is something.
 */
export function nothingToShow(body: HTMLElement, frames: Frame[], panel: Panel): DrawOutcome | undefined {
  if (countPoints(frames) > 0) return undefined;
  message(body, panel.fieldConfig?.defaults?.noValue ?? "No data");
  return { state: "empty", points: 0 };
}

/** An element with a class and a text. */
export function textElement(tag: "div" | "span", className: string, text: string): HTMLElement {
  return Object.assign(document.createElement(tag), { className, textContent: text });
}

export function withAlpha(hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return hex;
  const [r, g, b] = [match[1], match[2], match[3]].map((part) => Number.parseInt(part as string, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** A series' colour: the classic palette in turn, a fixed colour, or the thresholds' base. */
export function seriesColor(index: number, defaults: FieldDefaults): string {
  const mode = defaults.color?.mode ?? "palette-classic";
  if (mode === "fixed" && defaults.color?.fixedColor) return cssColor(defaults.color.fixedColor);
  if (mode === "thresholds") return thresholdColor(null, defaults.thresholds?.steps);
  return PALETTE[index % PALETTE.length] as string;
}

export function seriesName(frame: Frame): string {
  return renderLegend(frame.target.legendFormat, frame.labels, frame.expr);
}

/** The single value a stat, gauge or bar gauge shows for a series. */
export function reduced(panel: Panel, frame: Frame): number | null {
  const calcs = (panel.options?.reduceOptions as { calcs?: string[] } | undefined)?.calcs ?? ["lastNotNull"];
  return finite(reduce(frame.values, calcs[0] ?? "lastNotNull"));
}

export function display(value: number | null, defaults: FieldDefaults): { text: string; color: string } {
  const mapped = mappedValue(value, defaults.mappings);
  const text = mapped?.text ?? formatValue(value, defaults.unit, defaults.decimals);
  const color = mapped?.color
    ? cssColor(mapped.color)
    : defaults.color?.mode === "fixed" && defaults.color.fixedColor
      ? cssColor(defaults.color.fixedColor)
      : thresholdColor(value, defaults.thresholds?.steps);
  return { text, color };
}
