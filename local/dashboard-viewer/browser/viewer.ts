/**
 * The viewer's page: loads one committed dashboard, resolves its variables and time range the way Grafana
 * does (../grafana.ts), queries the local Prometheus through the viewer for every panel and draws it
 * (./panels.ts), then refreshes at the dashboard's interval. URL parameters as in Grafana: `from`, `to`
 * (`now-1h`, epoch ms), `refresh` (`30s`), `var-<name>`.
 *
 * Each panel element says how its drawing went in `data-state` (`ok`, `empty`, `error`, `unsupported`)
 * and how many points it drew in `data-points`: what a person sees, and what the browser tests read.
 */
import {
  type Dashboard,
  interpolateBuiltins,
  type Panel,
  parseInterval,
  parseTime,
  queryTiming,
  type Variable,
} from "../grafana.js";
import {
  ALL,
  chooseValue,
  interpolateVariables,
  parseLabelValuesQuery,
  savedValues,
  staticOptions,
  type VariableValue,
  variableOptions,
  variableQueryText,
} from "../grafana-variables.js";
import { isDrawn } from "./panel-kit.js";
import { drawPanel } from "./panels.js";
import { PROMETHEUS, promGet, runTarget } from "./prometheus.js";

interface ViewerConfig {
  uid: string;
  file: string;
  scrapeIntervalMs: number;
  dashboards: { uid: string; title: string }[];
  /** Data sources panels name by uid, read through /api/datasources/<uid>/ (the long-term store). */
  datasources: string[];
}

const config = JSON.parse(document.getElementById("viewer-config")?.textContent ?? "{}") as ViewerConfig;
// ---------------------------------------------------------------------------------------------------
// Variables

async function resolveVariables(
  dashboard: Dashboard,
  params: URLSearchParams,
  range: { fromMs: number; toMs: number },
): Promise<Map<string, VariableValue>> {
  const values = new Map<string, VariableValue>();
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === "datasource") continue; // one data source here: the local Prometheus
    const wanted = params.getAll(`var-${variable.name}`);
    const options = await optionsOf(variable, values, range);
    const value = chooseValue(variable, options, wanted.length ? wanted : savedValues(variable));
    values.set(variable.name, {
      name: variable.name,
      value,
      options,
      multi: variable.multi === true,
      includeAll: variable.includeAll === true,
      allValue: variable.allValue,
    });
  }
  return values;
}

async function optionsOf(
  variable: Variable,
  earlier: Map<string, VariableValue>,
  range: { fromMs: number; toMs: number },
): Promise<string[]> {
  const written = staticOptions(variable);
  if (written) return written;
  if (variable.type !== "query") return savedValues(variable);
  const query = parseLabelValuesQuery(interpolateVariables(variableQueryText(variable), earlier));
  if (!query) return savedValues(variable);
  const found = await promGet<string[]>(`/api/v1/label/${query.label}/values`, {
    ...(query.metric ? { "match[]": query.metric } : {}),
    start: String(Math.floor(range.fromMs / 1000)),
    end: String(Math.ceil(range.toMs / 1000)),
  });
  return variableOptions(found, variable.regex, variable.sort ?? 0);
}

function variableControls(dashboard: Dashboard, values: Map<string, VariableValue>, onChange: () => void) {
  const controls: HTMLElement[] = [];
  for (const variable of dashboard.templating?.list ?? []) {
    const value = values.get(variable.name);
    if (!value || variable.hide === 2) continue;
    const label = document.createElement("label");
    label.textContent = `${variable.label ?? variable.name} `;
    const select = document.createElement("select");
    select.name = `var-${variable.name}`;
    select.multiple = value.multi;
    const choices = value.includeAll ? [ALL, ...value.options] : value.options;
    const selected = Array.isArray(value.value) ? value.value : [value.value];
    for (const choice of choices) {
      const option = document.createElement("option");
      option.value = choice;
      option.textContent = choice === ALL ? "All" : choice;
      option.selected = selected.includes(choice);
      select.append(option);
    }
    select.addEventListener("change", () => {
      const url = new URL(location.href);
      url.searchParams.delete(select.name);
      for (const option of select.selectedOptions) url.searchParams.append(select.name, option.value);
      history.replaceState(null, "", url);
      onChange();
    });
    label.append(select);
    controls.push(label);
  }
  return controls;
}

// ---------------------------------------------------------------------------------------------------
// Layout

interface PanelView {
  panel: Panel;
  element: HTMLElement;
  body: HTMLElement;
  visible: () => boolean;
}

function panelElement(panel: Panel, rowTop: number): PanelView {
  const element = document.createElement("article");
  element.className = "panel";
  element.dataset.panelId = String(panel.id);
  element.dataset.panelType = panel.type;
  element.dataset.state = "loading";
  const { x = 0, y = 0, w = 12, h = 8 } = panel.gridPos ?? {};
  element.style.gridColumn = `${x + 1} / span ${w}`;
  element.style.gridRow = `${y - rowTop + 1} / span ${h}`;
  const title = document.createElement("h3");
  title.textContent = panel.title;
  if (panel.description) title.title = panel.description;
  const body = document.createElement("div");
  body.className = "body";
  element.append(title, body);
  return { panel, element, body, visible: () => element.offsetParent !== null };
}

/** Sections by row, each with its own 24-column grid; a collapsed row is a closed <details>. */
function layout(dashboard: Dashboard, main: HTMLElement, onOpen: () => void): PanelView[] {
  const views: PanelView[] = [];
  let grid: HTMLElement | undefined;
  let rowTop = 0;
  const section = (row?: Panel) => {
    const container = row?.collapsed ? document.createElement("details") : document.createElement("section");
    container.className = "row";
    if (row) {
      const heading = document.createElement(row.collapsed ? "summary" : "h2");
      heading.textContent = row.title;
      container.append(heading);
      container.dataset.rowId = String(row.id);
      if (row.collapsed) container.addEventListener("toggle", onOpen);
    }
    grid = document.createElement("div");
    grid.className = "grid";
    container.append(grid);
    main.append(container);
    rowTop = row ? (row.gridPos?.y ?? 0) + 1 : 0;
    return grid;
  };
  for (const panel of dashboard.panels ?? []) {
    if (panel.type === "row") {
      const rowGrid = section(panel);
      for (const inner of panel.panels ?? []) {
        const view = panelElement(inner, rowTop);
        rowGrid.append(view.element);
        views.push(view);
      }
      continue;
    }
    const target = grid ?? section();
    const view = panelElement(panel, rowTop);
    target.append(view.element);
    views.push(view);
  }
  return views;
}

// ---------------------------------------------------------------------------------------------------
// Drawing

async function drawView(
  view: PanelView,
  variables: Map<string, VariableValue>,
  range: { fromMs: number; toMs: number },
) {
  const { panel, body, element } = view;
  const width = Math.max(100, body.clientWidth);
  // A relative time override (`1y`) shows that much up to the dashboard's end, as Grafana does.
  const fromMs = panel.timeFrom ? range.toMs - parseInterval(panel.timeFrom) : range.fromMs;
  const timing = queryTiming({
    fromMs,
    toMs: range.toMs,
    maxDataPoints: panel.maxDataPoints ?? width,
    scrapeIntervalMs: config.scrapeIntervalMs,
    minIntervalMs: panel.interval
      ? parseInterval(interpolateVariables(panel.interval, variables))
      : undefined,
    utcOffsetSec: -new Date(range.toMs).getTimezoneOffset() * 60,
  });
  const targets = (panel.targets ?? []).filter((t) => t.expr && !t.hide);
  try {
    const frames = (
      await Promise.all(
        targets.map((target) => {
          const expr = interpolateBuiltins(interpolateVariables(target.expr as string, variables), timing);
          const uid = target.datasource?.uid ?? panel.datasource?.uid ?? "";
          const base = config.datasources.includes(uid) ? `/api/datasources/${uid}` : PROMETHEUS;
          return runTarget(target, expr, timing, base);
        }),
      )
    ).flat();
    const outcome = drawPanel(panel, body, frames, timing);
    element.dataset.state = outcome.state;
    element.dataset.points = String(outcome.points);
    if (outcome.detail) element.dataset.detail = outcome.detail;
    else delete element.dataset.detail;
  } catch (err) {
    body.replaceChildren(
      Object.assign(document.createElement("div"), {
        className: "message",
        textContent: String((err as Error).message),
      }),
    );
    element.dataset.state = "error";
    element.dataset.detail = (err as Error).message;
  }
}

/** A dashboard time as a person reads it: `now-1h` as written, epoch milliseconds as a local time. */
function describeTime(text: string): string {
  return /^\d+$/.test(text) ? new Date(Number(text)).toLocaleString() : text;
}

async function render() {
  const params = new URLSearchParams(location.search);
  const res = await fetch(`/api/dashboards/uid/${encodeURIComponent(config.uid)}`);
  if (!res.ok) throw new Error(`dashboard ${config.uid}: HTTP ${res.status}`);
  const { dashboard } = (await res.json()) as { dashboard: Dashboard };
  const fromText = params.get("from") ?? dashboard.time?.from ?? "now-6h";
  const toText = params.get("to") ?? dashboard.time?.to ?? "now";
  const refreshText = params.get("refresh") ?? dashboard.refresh ?? "";
  const now = () => {
    const at = Date.now();
    return { fromMs: parseTime(fromText, at), toMs: parseTime(toText, at) };
  };

  let range = now();
  let variables = await resolveVariables(dashboard, params, range);
  const header = document.querySelector("header.top") as HTMLElement;
  const main = document.getElementById("dashboard") as HTMLElement;
  let views: PanelView[] = [];
  let drawing = Promise.resolve();

  const drawAll = () => {
    drawing = drawing.then(async () => {
      range = now();
      await Promise.all(views.filter((v) => v.visible()).map((v) => drawView(v, variables, range)));
      document.body.dataset.drawnAt = String(Date.now());
      document.body.dataset.drawn = String(views.filter((v) => isDrawn(v.element)).length);
    });
    return drawing;
  };
  const rebuild = async () => {
    variables = await resolveVariables(dashboard, new URLSearchParams(location.search), range);
    const title = Object.assign(document.createElement("h1"), { textContent: dashboard.title });
    const note = Object.assign(document.createElement("span"), {
      className: "note",
      textContent: `${describeTime(fromText)} to ${describeTime(toText)}${refreshText ? `, every ${refreshText}` : ""} · read-only view of ${config.file} (Grafana is not installed)`,
    });
    const links = document.createElement("nav");
    links.className = "links";
    for (const other of config.dashboards.filter((d) => d.uid !== config.uid)) {
      const a = Object.assign(document.createElement("a"), {
        textContent: other.title,
        href: `/d/${other.uid}${keptTime()}`,
      });
      links.append(a);
    }
    header.replaceChildren(
      title,
      ...variableControls(dashboard, variables, () => void rebuild()),
      note,
      links,
    );
    main.replaceChildren();
    views = layout(dashboard, main, () => void drawAll());
    document.body.dataset.panels = String(views.length);
    await drawAll();
  };
  const keptTime = () => {
    const kept = new URLSearchParams();
    for (const key of ["from", "to", "refresh"]) {
      const value = params.get(key);
      if (value) kept.set(key, value);
    }
    const text = kept.toString();
    return text ? `?${text}` : "";
  };

  await rebuild();
  if (refreshText) {
    const every = parseInterval(refreshText);
    const loop = () => setTimeout(() => void drawAll().then(loop), every);
    loop();
  }
  window.addEventListener("resize", () => void drawAll());
}

render().catch((err: unknown) => {
  const main = document.getElementById("dashboard");
  if (main) main.textContent = `Could not show the dashboard: ${(err as Error).message}`;
  document.body.dataset.error = String((err as Error).message);
});
