/**
 * The local platform's read-only view of the committed dashboards, for machines without Grafana: the
 * files of `dashboards/` as they are (read on every request, never a second definition), drawn in the
 * browser from the local Prometheus with uPlot (the charting library of Grafana's own time-series panel).
 *
 * It answers Grafana's addresses (`/d/<uid>`, `/api/dashboards/uid/<uid>`), so the dashboards' links
 * between each other and the alerts' dashboard links work unchanged when it runs on Grafana's port. The
 * page's script is TypeScript (`browser/`, and the pure `grafana.ts`, `grafana-variables.ts` and `units.ts`
 * it shares with the tests), turned into JavaScript once, when first asked for; uPlot is served from
 * node_modules. Nothing comes from the network.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  createLogger,
  createServiceKit,
  type Logger,
  pageHeaders,
  type ServiceKit,
  thisMachineOnly,
} from "@platform/service-kit";
import type { Context } from "hono";
import { DASHBOARDS_DIR } from "../configs.js";
import { allPanels, type Dashboard, parseInterval } from "./grafana.js";

const HERE = import.meta.dirname;

/** The page's modules, by the path the browser asks for under /assets/app/ (no other file is served). */
const BROWSER_MODULES = [
  "browser/viewer",
  "browser/panels",
  "browser/panel-kit",
  "browser/timeseries",
  "browser/prometheus",
  "grafana",
  "grafana-variables",
  "units",
] as const;

/** The Prometheus HTTP API paths the page may read through the viewer: queries and label values only. */
const PROMETHEUS_READS =
  /^\/api\/v1\/(query|query_range|series|labels|label\/[a-zA-Z_][a-zA-Z0-9_]*\/values)$/;

export interface DashboardViewerOptions {
  /** Base URL of the Prometheus the panels query. */
  prometheusUrl: string;
  /** The data source's scrape interval (Grafana's "Scrape interval"): the local SCRAPE_INTERVAL. */
  scrapeInterval: string;
  /** Other Prometheus data sources panels name by uid (the long-term store), uid → base URL. */
  datasources?: Record<string, string>;
  dashboardsDir?: string;
  logger?: Logger;
}

export interface DashboardFile {
  file: string;
  dashboard: Dashboard;
}

/** The committed dashboards, read afresh so an edited (regenerated) file shows on the next load. */
export function readDashboards(dir = DASHBOARDS_DIR): DashboardFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(dir, file), "utf8")) as Dashboard }));
}

const uplotDir = dirname(createRequire(import.meta.url).resolve("uplot/package.json"));
/** uPlot's files by the name the page asks for: a Map, so no name reaches a prototype's property. */
const UPLOT_FILES = new Map([
  ["uplot.esm.js", { path: join(uplotDir, "dist", "uPlot.esm.js"), type: "text/javascript; charset=utf-8" }],
  ["uplot.min.css", { path: join(uplotDir, "dist", "uPlot.min.css"), type: "text/css; charset=utf-8" }],
]);

/** The page's one inline script: the import map that names uPlot's module. */
const IMPORT_MAP = '{"imports":{"uplot":"/assets/uplot.esm.js"}}';
/**
 * The headers of every HTML answer (the 404 page too): scripts only from the viewer itself and the import
 * map above (by its hash), reads only from the viewer, inline styles (the page's and uPlot's), no framing.
 */
const PAGE_HEADERS = pageHeaders(
  [
    "default-src 'none'",
    `script-src 'self' 'sha256-${createHash("sha256").update(IMPORT_MAP).digest("base64")}'`,
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; "),
);

/** TypeScript to browser JavaScript, file by file (types erased, imports kept for the import map). */
async function transpile(file: string): Promise<string> {
  const ts = (await import("typescript")).default;
  const source = readFileSync(file, "utf8");
  return ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  }).outputText;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** A read passed on to one Prometheus: queries and label values only. */
async function passOn(c: Context, base: string, prefix: string): Promise<Response> {
  const url = new URL(c.req.url);
  const path = url.pathname.slice(prefix.length);
  if (!PROMETHEUS_READS.test(path)) {
    return c.json({ status: "error", error: `not a read this viewer passes on: ${path}` }, 404);
  }
  try {
    const res = await fetch(`${base}${path}${url.search}`, {
      signal: AbortSignal.timeout(15_000),
    });
    return new Response(res.body, {
      status: res.status,
      headers: { "Content-Type": res.headers.get("Content-Type") ?? "application/json" },
    });
  } catch (err) {
    return c.json({ status: "error", error: `Prometheus did not answer: ${(err as Error).message}` }, 502);
  }
}

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const STYLE = `
  :root { color-scheme: dark; --bg: #111217; --panel: #181b1f; --border: #2c3235; --text: #ccccdc; --dim: #8e8e98; }
  body { margin: 0; background: var(--bg); color: var(--text); font: 13px/1.4 system-ui, sans-serif; }
  a { color: #6e9fff; }
  header.top { display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: center; padding: 0.6rem 1rem;
    border-bottom: 1px solid var(--border); }
  header.top h1 { font-size: 1.15rem; margin: 0; font-weight: 500; }
  header.top .note { color: var(--dim); }
  header.top label { color: var(--dim); }
  select { background: var(--panel); color: var(--text); border: 1px solid var(--border); padding: 0.15rem 0.3rem; }
  nav.links a { margin-right: 0.8rem; }
  main { padding: 0.5rem 0.8rem 2rem; }
  section.row > h2 { font-size: 0.95rem; font-weight: 500; margin: 0.8rem 0 0.4rem; }
  details.row > summary { font-size: 0.95rem; font-weight: 500; margin: 0.8rem 0 0.4rem; cursor: pointer; }
  .grid { display: grid; grid-template-columns: repeat(24, minmax(0, 1fr)); grid-auto-rows: 30px; gap: 8px; }
  .panel { background: var(--panel); border: 1px solid var(--border); border-radius: 2px; display: flex;
    flex-direction: column; min-width: 0; overflow: hidden; }
  .panel > h3 { font-size: 0.85rem; font-weight: 500; margin: 0; padding: 0.35rem 0.6rem 0.15rem; white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis; }
  .panel .body { flex: 1; min-height: 0; position: relative; padding: 0 0.4rem 0.3rem; }
  .panel .message { color: var(--dim); display: flex; height: 100%; align-items: center; justify-content: center;
    text-align: center; }
  .panel[data-state=error] .message { color: #f2495c; }
  .legend { display: flex; flex-wrap: wrap; gap: 0 0.9rem; font-size: 0.75rem; max-height: 3.2em; overflow: auto; }
  .legend span::before { content: ""; display: inline-block; width: 0.9em; height: 0.22em; margin-right: 0.35em;
    vertical-align: middle; background: var(--swatch); }
  .stat { display: flex; flex-wrap: wrap; height: 100%; align-items: center; justify-content: space-around; }
  .stat .item { text-align: center; padding: 0 0.4rem; }
  .stat .value { font-weight: 500; line-height: 1.1; }
  .stat .name { color: var(--dim); font-size: 0.8rem; }
  .bars { display: flex; flex-direction: column; justify-content: space-evenly; height: 100%; gap: 2px; }
  .bar { display: grid; grid-template-columns: minmax(4rem, 28%) 1fr auto; align-items: center; gap: 0.5rem; font-size: 0.8rem; }
  .bar .name { color: var(--dim); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .bar .track { background: #22252b; height: 100%; min-height: 0.7rem; max-height: 1.6rem; }
  .bar .fill { height: 100%; }
  .bar .value { font-variant-numeric: tabular-nums; }
  table.data { width: 100%; border-collapse: collapse; font-size: 0.8rem; }
  table.data th, table.data td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid var(--border); }
  .u-legend { display: none; }
`;

function shell(title: string, config: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · local dashboards</title>
<link rel="stylesheet" href="/assets/uplot.min.css">
<style>${STYLE}</style>
<script type="importmap">${IMPORT_MAP}</script>
<script type="application/json" id="viewer-config">${scriptJson(config)}</script>
<script type="module" src="/assets/app/browser/viewer.js"></script>
</head>
<body>
<header class="top"><h1>${escapeHtml(title)}</h1><span class="note">loading…</span></header>
<main id="dashboard"></main>
</body>
</html>
`;
}

function indexPage(dashboards: DashboardFile[]): string {
  const items = dashboards
    .map(
      ({ file, dashboard }) =>
        `<li><a href="/d/${encodeURIComponent(dashboard.uid)}">${escapeHtml(dashboard.title)}</a> <span class="note">dashboards/${escapeHtml(file)}: ${allPanels(dashboard.panels).filter((p) => p.type !== "row").length} panels</span></li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Local dashboards</title><style>${STYLE} li { margin: 0.4rem 0; }</style></head>
<body>
<header class="top"><h1>Dashboards</h1><span class="note">read-only, drawn from the local Prometheus; Grafana is not installed</span></header>
<main><ul>
${items}
</ul></main>
</body>
</html>
`;
}

export function createDashboardViewer({
  prometheusUrl,
  scrapeInterval,
  datasources = {},
  dashboardsDir = DASHBOARDS_DIR,
  logger = createLogger({ service: "dashboards", level: "warn" }),
}: DashboardViewerOptions): ServiceKit {
  const kit = createServiceKit({ name: "dashboards", logger, summary: () => "read-only dashboards" });
  const { app } = kit;
  const scrapeIntervalMs = parseInterval(scrapeInterval);
  const modules = new Map<string, Promise<string>>();

  // A page on another site that re-points its own name at 127.0.0.1 (DNS rebinding) would otherwise read
  // Prometheus through the viewer.
  app.use("*", thisMachineOnly());

  const find = (uid: string) => readDashboards(dashboardsDir).find((d) => d.dashboard.uid === uid);

  app.get("/", (c) => c.html(indexPage(readDashboards(dashboardsDir)), 200, PAGE_HEADERS));
  app.get("/favicon.ico", (c) => c.body(null, 204));
  const page = (c: Context) => {
    const uid = c.req.param("uid") ?? "";
    const found = find(uid);
    if (!found) return c.html(indexPage(readDashboards(dashboardsDir)), 404, PAGE_HEADERS);
    const others = readDashboards(dashboardsDir).map(({ dashboard }) => ({
      uid: dashboard.uid,
      title: dashboard.title,
    }));
    return c.html(
      shell(found.dashboard.title, {
        uid,
        file: found.file,
        scrapeIntervalMs,
        dashboards: others,
        datasources: Object.keys(datasources),
      }),
      200,
      PAGE_HEADERS,
    );
  };
  app.get("/d/:uid", page);
  app.get("/d/:uid/:slug", page);
  app.get("/api/dashboards/uid/:uid", (c) => {
    const found = find(c.req.param("uid"));
    if (!found) return c.json({ message: "Dashboard not found" }, 404);
    return c.json({ dashboard: found.dashboard, meta: { file: `dashboards/${found.file}` } });
  });

  app.get("/api/prometheus/*", (c) => passOn(c, prometheusUrl, "/api/prometheus"));
  app.get("/api/datasources/:uid/*", (c) => {
    const uid = c.req.param("uid");
    const base = datasources[uid];
    if (!base) return c.json({ status: "error", error: `no data source ${uid} here` }, 404);
    return passOn(c, base, `/api/datasources/${uid}`);
  });

  app.get("/assets/:file", (c) => {
    const asset = UPLOT_FILES.get(c.req.param("file"));
    if (!asset) return c.notFound();
    return c.body(readFileSync(asset.path, "utf8"), 200, { "Content-Type": asset.type });
  });
  app.get("/assets/app/*", async (c) => {
    const path = new URL(c.req.url).pathname.slice("/assets/app/".length).replace(/\.js$/, "");
    if (!(BROWSER_MODULES as readonly string[]).includes(path)) return c.notFound();
    let code = modules.get(path);
    if (!code) {
      code = transpile(join(HERE, `${path}.ts`));
      modules.set(path, code);
      code.catch(() => modules.delete(path));
    }
    return c.body(await code, 200, { "Content-Type": "text/javascript; charset=utf-8" });
  });

  return kit;
}
