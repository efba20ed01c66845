/**
 * Draws one panel from its query results, in the panel's own settings (unit, decimals, min and max,
 * thresholds, colours, value mappings, legend format, reducer): time series with uPlot, stat, gauge and
 * bar gauge in a simple form, tables and text. Another panel type says so instead of drawing nothing.
 */
import uPlot from "uplot";
import {
  type FieldDefaults,
  type Panel,
  type QueryTiming,
  reduce,
  renderLegend,
  type Target,
} from "../grafana.js";
import { cssColor, formatTick, formatValue, mappedValue, PALETTE, thresholdColor } from "../units.js";

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

const charts = new WeakMap<HTMLElement, uPlot>();
const AXIS = "#8e8e98";
const GRID = "rgba(204, 204, 220, 0.08)";

export const isDrawn = (element: HTMLElement) => element.dataset.state !== "loading";

function clear(body: HTMLElement) {
  charts.get(body)?.destroy();
  charts.delete(body);
  body.replaceChildren();
}

function message(body: HTMLElement, text: string) {
  body.append(textElement("div", "message", text));
}

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
const countPoints = (frames: Frame[]) =>
  frames.reduce((n, f) => n + f.values.filter((v) => finite(v) !== null).length, 0);

/**
 * "No data" in the panel (or the panel's own no-value text), when the queries gave no value to show;
 * undefined when there is something.
 */
function nothingToShow(body: HTMLElement, frames: Frame[], panel: Panel): DrawOutcome | undefined {
  if (countPoints(frames) > 0) return undefined;
  message(body, panel.fieldConfig?.defaults?.noValue ?? "No data");
  return { state: "empty", points: 0 };
}

/** An element with a class and a text. */
function textElement(tag: "div" | "span", className: string, text: string): HTMLElement {
  return Object.assign(document.createElement(tag), { className, textContent: text });
}

function withAlpha(hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return hex;
  const [r, g, b] = [match[1], match[2], match[3]].map((part) => Number.parseInt(part as string, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** A series' colour: the classic palette in turn, a fixed colour, or the thresholds' base. */
function seriesColor(index: number, defaults: FieldDefaults): string {
  const mode = defaults.color?.mode ?? "palette-classic";
  if (mode === "fixed" && defaults.color?.fixedColor) return cssColor(defaults.color.fixedColor);
  if (mode === "thresholds") return thresholdColor(null, defaults.thresholds?.steps);
  return PALETTE[index % PALETTE.length] as string;
}

function seriesName(frame: Frame): string {
  return renderLegend(frame.target.legendFormat, frame.labels, frame.expr);
}

/** The single value a stat, gauge or bar gauge shows for a series. */
function reduced(panel: Panel, frame: Frame): number | null {
  const calcs = (panel.options?.reduceOptions as { calcs?: string[] } | undefined)?.calcs ?? ["lastNotNull"];
  return finite(reduce(frame.values, calcs[0] ?? "lastNotNull"));
}

function display(value: number | null, defaults: FieldDefaults): { text: string; color: string } {
  const mapped = mappedValue(value, defaults.mappings);
  const text = mapped?.text ?? formatValue(value, defaults.unit, defaults.decimals);
  const color = mapped?.color
    ? cssColor(mapped.color)
    : defaults.color?.mode === "fixed" && defaults.color.fixedColor
      ? cssColor(defaults.color.fixedColor)
      : thresholdColor(value, defaults.thresholds?.steps);
  return { text, color };
}

// ---------------------------------------------------------------------------------------------------

function drawTimeseries(panel: Panel, body: HTMLElement, frames: Frame[]): DrawOutcome {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const custom = defaults.custom ?? {};
  const times = [...new Set(frames.flatMap((f) => f.times))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const columns = frames.map((frame) => {
    const column: (number | null)[] = new Array(times.length).fill(null);
    frame.times.forEach((t, i) => {
      column[at.get(t) as number] = finite(frame.values[i] ?? null);
    });
    return column;
  });
  const empty = nothingToShow(body, frames, panel);
  if (empty) return empty;
  const points = countPoints(frames);

  const chart = document.createElement("div");
  body.append(chart);
  const names = frames.map(seriesName);
  const colors = frames.map((_, i) => seriesColor(i, defaults));
  const legendShown = (panel.options?.legend as { showLegend?: boolean } | undefined)?.showLegend !== false;
  if (legendShown) {
    const legend = document.createElement("div");
    legend.className = "legend";
    names.forEach((name, i) => {
      const item = Object.assign(document.createElement("span"), { textContent: name });
      item.style.setProperty("--swatch", colors[i] as string);
      legend.append(item);
    });
    body.append(legend);
  }
  const legendHeight = body.querySelector<HTMLElement>(".legend")?.offsetHeight ?? 0;
  const width = Math.max(120, body.clientWidth - 8);
  const height = Math.max(60, body.clientHeight - legendHeight - 6);
  const steps = defaults.thresholds?.steps ?? [];
  const thresholdMode = custom.thresholdsStyle?.mode ?? "off";
  const format = (v: number) => formatTick(v, defaults.unit, defaults.decimals);

  const options: uPlot.Options = {
    width,
    height,
    legend: { show: false },
    cursor: { points: { show: false } },
    scales: {
      x: { time: true },
      y: {
        range: (_u, dataMin, dataMax) => {
          // A flat line gets room around it (a flat zero the range 0–1), as Grafana gives it.
          const [low, high]: [number, number] =
            dataMin === dataMax
              ? dataMin === 0
                ? [0, 1]
                : [dataMin - Math.abs(dataMin) * 0.1, dataMax + Math.abs(dataMax) * 0.1]
              : (uPlot.rangeNum(dataMin, dataMax, 0.1, true) as [number, number]);
          // A line at the very edge would be half cut off: keep a sliver of room unless the panel fixes the edge.
          const room = (high - low) * 0.015;
          const min = defaults.min ?? (dataMin <= low ? low - room : low);
          const max = defaults.max ?? (dataMax >= high ? high + room : high);
          return [min, Math.max(max, min + Number.EPSILON)];
        },
      },
    },
    axes: [
      {
        stroke: AXIS,
        grid: { stroke: GRID, width: 1 },
        ticks: { stroke: GRID, width: 1 },
        // Room for an HH:MM:SS label between ticks.
        space: 90,
        values: (_u, splits) =>
          splits.map((t, i) =>
            timeTick(t, splits[1] !== undefined ? (splits[1] as number) - (splits[0] as number) : 60, i),
          ),
      },
      {
        stroke: AXIS,
        grid: { stroke: GRID, width: 1 },
        ticks: { stroke: GRID, width: 1 },
        values: (_u, splits) => splits.map(format),
        size: (_u, values) => (values ? Math.max(...values.map((v) => v.length)) * 7.2 + 18 : 40),
      },
    ],
    series: [
      {},
      ...frames.map((_, i) => ({
        label: names[i] as string,
        stroke: colors[i] as string,
        width: custom.lineWidth ?? 1,
        fill: withAlpha(colors[i] as string, (custom.fillOpacity ?? 0) / 100),
        spanGaps: custom.spanNulls !== false,
        points: { show: custom.showPoints === "always" },
      })),
    ],
    hooks: {
      draw: [
        (u) => {
          if (!["line", "dashed", "line+area", "dashed+area"].includes(thresholdMode)) return;
          const { ctx } = u;
          ctx.save();
          ctx.lineWidth = 1;
          if (thresholdMode.startsWith("dashed")) ctx.setLineDash([6, 4]);
          for (const step of steps) {
            if (step.value === null) continue;
            const y = u.valToPos(step.value, "y", true);
            if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
            ctx.strokeStyle = cssColor(step.color);
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
  charts.set(body, new uPlot(options, [times, ...columns] as uPlot.AlignedData, chart));
  return { state: "ok", points };
}

const two = (n: number) => String(n).padStart(2, "0");
/** Time ticks in the browser's time zone, 24-hour as Grafana writes them; the date where the range needs it. */
function timeTick(seconds: number, stepSeconds: number, index: number): string {
  const d = new Date(seconds * 1000);
  const time = `${two(d.getHours())}:${two(d.getMinutes())}${stepSeconds < 60 ? `:${two(d.getSeconds())}` : ""}`;
  return stepSeconds >= 86_400 || (index === 0 && stepSeconds >= 3_600)
    ? `${two(d.getMonth() + 1)}/${two(d.getDate())} ${time}`
    : time;
}

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
