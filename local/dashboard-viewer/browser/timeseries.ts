/** A time series panel drawn with uPlot, in the panel's own unit, decimals, min and max, thresholds and legend. */
import uPlot from "uplot";
import type { FieldDefaults, Panel, Threshold } from "../grafana.js";
import { cssColor, formatTick } from "../units.js";
import {
  AXIS,
  charts,
  countPoints,
  type DrawOutcome,
  type Frame,
  finite,
  GRID,
  nothingToShow,
  seriesColor,
  seriesName,
  withAlpha,
} from "./panel-kit.js";

/** Every frame's values on one shared, sorted time axis (null where a frame has no sample). */
function alignedColumns(frames: Frame[]): { times: number[]; columns: (number | null)[][] } {
  const times = [...new Set(frames.flatMap((f) => f.times))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const columns = frames.map((frame) => {
    const column: (number | null)[] = new Array(times.length).fill(null);
    frame.times.forEach((t, i) => {
      column[at.get(t) as number] = finite(frame.values[i] ?? null);
    });
    return column;
  });
  return { times, columns };
}

/** The legend under the chart: each series' name beside its colour. */
function legendOf(names: string[], colors: string[]): HTMLElement {
  const legend = document.createElement("div");
  legend.className = "legend";
  names.forEach((name, i) => {
    const item = Object.assign(document.createElement("span"), { textContent: name });
    item.style.setProperty("--swatch", colors[i] as string);
    legend.append(item);
  });
  return legend;
}

/** The y axis' range: the data's with room around it, unless the panel fixes min or max. */
function yRange(defaults: FieldDefaults): uPlot.Range.Function {
  return (_u, dataMin, dataMax) => {
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
  };
}

/** The panel's thresholds drawn as lines across the chart (solid or dashed), when its style asks for them. */
function thresholdLines(steps: Threshold[], thresholdMode: string): (u: uPlot) => void {
  return (u) => {
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
  };
}

export function drawTimeseries(panel: Panel, body: HTMLElement, frames: Frame[]): DrawOutcome {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const custom = defaults.custom ?? {};
  const { times, columns } = alignedColumns(frames);
  const empty = nothingToShow(body, frames, panel);
  if (empty) return empty;
  const points = countPoints(frames);

  const chart = document.createElement("div");
  body.append(chart);
  const names = frames.map(seriesName);
  const colors = frames.map((_, i) => seriesColor(i, defaults));
  const legendShown = (panel.options?.legend as { showLegend?: boolean } | undefined)?.showLegend !== false;
  if (legendShown) body.append(legendOf(names, colors));
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
        range: yRange(defaults),
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
      draw: [thresholdLines(steps, thresholdMode)],
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
