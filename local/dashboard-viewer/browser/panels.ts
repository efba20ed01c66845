/**
 * Draws one panel from its query results, in the panel's own settings (unit, decimals, min and max,
 * thresholds, colours, value mappings, legend format, reducer): time series with uPlot, stat, gauge and
 * bar gauge in a simple form, tables and text. Another panel type says so instead of drawing nothing.
 */
import uPlot from "uplot";
import type { FieldDefaults, Panel, QueryTiming } from "../grafana.js";
import { cssColor } from "../units.js";
import {
  charts,
  clear,
  countPoints,
  type DrawOutcome,
  display,
  type Frame,
  finite,
  message,
  nothingToShow,
  reduced,
  seriesName,
  textElement,
  withAlpha,
} from "./panel-kit.js";
import { drawTimeseries } from "./timeseries.js";

function sparkline(container: HTMLElement, frame: Frame, color: string, height: number) {
  const data = [frame.times, frame.values.map(finite)] as uPlot.AlignedData;
  return new uPlot(
    {
      width: Math.max(60, container.clientWidth),
      height,
      legend: { show: false },
      cursor: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: true } },
      series: [
        {},
        { stroke: color, fill: withAlpha(color, 0.15), width: 1, spanGaps: true, points: { show: false } },
      ],
    },
    data,
    container,
  );
}

function drawStat(panel: Panel, body: HTMLElement, frames: Frame[]): DrawOutcome {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const options = panel.options ?? {};
  const empty = nothingToShow(body, frames, panel);
  if (empty) return empty;
  const points = countPoints(frames);
  const stat = document.createElement("div");
  stat.className = "stat";
  body.append(stat);
  // Grafana's text modes: auto (the value, with names when there are several), value, name, value_and_name.
  const mode = String(options.textMode ?? "auto");
  const showName = mode === "name" || mode === "value_and_name" || (mode === "auto" && frames.length > 1);
  const showValue = mode !== "name" && mode !== "none";
  const lines = showName && showValue ? 2 : 1;
  frames.forEach((frame) => {
    const { text: valueText, color } = display(reduced(panel, frame), defaults);
    const text = showValue ? valueText : seriesName(frame);
    const item = document.createElement("div");
    item.className = "item";
    const value = textElement("div", "value", text);
    const share = body.clientWidth / frames.length;
    const size = Math.min((body.clientHeight / lines) * 0.55, (share / Math.max(3, text.length)) * 1.6, 64);
    value.style.fontSize = `${Math.max(12, size)}px`;
    if (options.colorMode === "background") item.style.background = color;
    else if (options.colorMode !== "none") value.style.color = color;
    if (showName && showValue) {
      item.append(textElement("div", "name", seriesName(frame)));
    }
    item.append(value);
    stat.append(item);
  });
  const first = frames[0] as Frame;
  if (options.graphMode === "area" && frames.length === 1 && first.times.length > 1) {
    const spark = document.createElement("div");
    body.append(spark);
    stat.style.height = "62%";
    charts.set(
      body,
      sparkline(spark, first, display(reduced(panel, first), defaults).color, body.clientHeight * 0.35),
    );
  }
  return { state: "ok", points };
}

const SVG = "http://www.w3.org/2000/svg";
function arc(cx: number, cy: number, r: number, from: number, to: number): string {
  const point = (deg: number) => {
    const rad = ((deg - 90) * Math.PI) / 180;
    return `${cx + r * Math.cos(rad)} ${cy + r * Math.sin(rad)}`;
  };
  const large = Math.abs(to - from) > 180 ? 1 : 0;
  return `M ${point(from)} A ${r} ${r} 0 ${large} 1 ${point(to)}`;
}

function gaugeRange(defaults: FieldDefaults, values: number[]): [number, number] {
  const min = defaults.min ?? 0;
  const fallback =
    defaults.unit === "percentunit" ? 1 : defaults.unit === "percent" ? 100 : Math.max(min + 1, ...values);
  return [min, defaults.max ?? fallback];
}

function drawGauge(panel: Panel, body: HTMLElement, frames: Frame[]): DrawOutcome {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const empty = nothingToShow(body, frames, panel);
  if (empty) return empty;
  const points = countPoints(frames);
  const values = frames.map((f) => reduced(panel, f));
  const [min, max] = gaugeRange(
    defaults,
    values.filter((v): v is number => v !== null),
  );
  const holder = document.createElement("div");
  holder.className = "stat";
  body.append(holder);
  const START = -120;
  const SWEEP = 240;
  const angle = (v: number) => START + (SWEEP * (Math.min(max, Math.max(min, v)) - min)) / (max - min || 1);
  frames.forEach((frame, i) => {
    const value = values[i] ?? null;
    const { text, color } = display(value, defaults);
    const size = Math.max(60, Math.min(body.clientHeight - 6, body.clientWidth / frames.length - 6));
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 100 86");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size * 0.86));
    const path = (d: string, stroke: string, width: number) => {
      const p = document.createElementNS(SVG, "path");
      p.setAttribute("d", d);
      p.setAttribute("stroke", stroke);
      p.setAttribute("stroke-width", String(width));
      p.setAttribute("fill", "none");
      svg.append(p);
      return p;
    };
    path(arc(50, 52, 36, START, START + SWEEP), "#2c3235", 10);
    if (value !== null) path(arc(50, 52, 36, START, angle(value)), color, 10).classList.add("gauge-value");
    if ((panel.options as { showThresholdMarkers?: boolean } | undefined)?.showThresholdMarkers !== false) {
      const steps = defaults.thresholds?.steps ?? [];
      steps.forEach((step, s) => {
        const from = step.value === null ? min : step.value;
        const next = steps[s + 1]?.value ?? max;
        if (next <= min || from >= max) return;
        path(arc(50, 52, 44, angle(from), angle(next)), cssColor(step.color), 3);
      });
    }
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", "50");
    label.setAttribute("y", "58");
    label.setAttribute("text-anchor", "middle");
    label.setAttribute("font-size", String(Math.min(18, 110 / Math.max(4, text.length))));
    label.setAttribute("fill", color);
    label.textContent = text;
    svg.append(label);
    const item = document.createElement("div");
    item.className = "item";
    if (frames.length > 1) {
      item.append(textElement("div", "name", seriesName(frame)));
    }
    item.append(svg);
    holder.append(item);
  });
  return { state: "ok", points };
}

function drawBarGauge(panel: Panel, body: HTMLElement, frames: Frame[]): DrawOutcome {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const empty = nothingToShow(body, frames, panel);
  if (empty) return empty;
  const points = countPoints(frames);
  const values = frames.map((f) => reduced(panel, f));
  const present = values.filter((v): v is number => v !== null);
  const min = defaults.min ?? Math.min(0, ...present);
  const max = defaults.max ?? Math.max(min + Number.EPSILON, ...present);
  const gradient = (panel.options as { displayMode?: string } | undefined)?.displayMode === "gradient";
  const bars = document.createElement("div");
  bars.className = "bars";
  frames.forEach((frame, i) => {
    const value = values[i] ?? null;
    const { text, color } = display(value, defaults);
    const row = document.createElement("div");
    row.className = "bar";
    const track = document.createElement("div");
    track.className = "track";
    const fill = document.createElement("div");
    fill.className = "fill";
    const share = value === null ? 0 : Math.max(0, Math.min(1, (value - min) / (max - min || 1)));
    fill.style.width = `${(share * 100).toFixed(2)}%`;
    fill.style.background = gradient ? `linear-gradient(90deg, ${withAlpha(color, 0.35)}, ${color})` : color;
    track.append(fill);
    const valueText = textElement("span", "value", text);
    valueText.style.color = color;
    row.append(textElement("span", "name", seriesName(frame)), track, valueText);
    bars.append(row);
  });
  body.append(bars);
  return { state: "ok", points };
}

function drawTable(panel: Panel, body: HTMLElement, frames: Frame[]): DrawOutcome {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const points = countPoints(frames);
  if (frames.length === 0) {
    message(body, "No data");
    return { state: "empty", points };
  }
  const labels = [...new Set(frames.flatMap((f) => Object.keys(f.labels)))]
    .filter((l) => l !== "__name__")
    .sort();
  const table = document.createElement("table");
  table.className = "data";
  const head = table.createTHead().insertRow();
  for (const name of [...labels, "Value"])
    head.append(Object.assign(document.createElement("th"), { textContent: name }));
  const rows = table.createTBody();
  for (const frame of frames) {
    const row = rows.insertRow();
    for (const name of labels) row.insertCell().textContent = frame.labels[name] ?? "";
    row.insertCell().textContent = display(reduced(panel, frame), defaults).text;
  }
  body.style.overflow = "auto";
  body.append(table);
  return { state: points > 0 ? "ok" : "empty", points };
}

/** Draws `panel` into `body` (replacing what was there) and says how it went. */
export function drawPanel(
  panel: Panel,
  body: HTMLElement,
  frames: Frame[],
  _timing: QueryTiming,
): DrawOutcome {
  clear(body);
  switch (panel.type) {
    case "timeseries":
      return drawTimeseries(panel, body, frames);
    case "stat":
      return drawStat(panel, body, frames);
    case "gauge":
      return drawGauge(panel, body, frames);
    case "bargauge":
      return drawBarGauge(panel, body, frames);
    case "table":
      return drawTable(panel, body, frames);
    case "text": {
      const pre = document.createElement("pre");
      pre.textContent = String((panel.options as { content?: string } | undefined)?.content ?? "");
      body.append(pre);
      return { state: "ok", points: 0 };
    }
    default:
      message(body, `Panels of type "${panel.type}" are not drawn here; open this dashboard in Grafana.`);
      return { state: "unsupported", points: 0, detail: `panel type ${panel.type}` };
  }
}
