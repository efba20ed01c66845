/**
 * The local alert receiver: an Alertmanager webhook target that prints each notification readably,
 * used by `npm start` when no Telegram bot is configured; it also serves the runbooks of this checkout
 * (`/runbooks/<Alert>.md`), where the local rule files point every alert's runbook link.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createLogger,
  createServiceKit,
  jsonError,
  mediaType,
  type RunningService,
  type ServiceKit,
  serveService,
  thisMachineOnly,
} from "@platform/service-kit";
import { marked } from "marked";
import { z } from "zod";
import { ALERTS_DIR } from "../configs.js";
import type { LocalContext, Row } from "./types.js";

/** Where the receiver serves the runbooks of alerts/runbooks/. */
export const RUNBOOK_PATH = "/runbooks";
const RUNBOOKS_DIR = join(ALERTS_DIR, "runbooks");

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function runbookPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body { font: 15px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d232a; }
code { background: #eeece8; padding: 0.05rem 0.3rem; border-radius: 0.2rem; } footer { color: #666; margin-top: 2rem; }</style>
</head>
<body>
${body}
<footer><small>From <code>alerts/runbooks/</code> in this checkout. <a href="${RUNBOOK_PATH}">All runbooks</a></small></footer>
</body>
</html>
`;
}

const webhookSchema = z.object({
  status: z.string(),
  receiver: z.string().optional(),
  alerts: z.array(
    z.object({
      status: z.string(),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()).default({}),
      startsAt: z.string().optional(),
    }),
  ),
});
export type AlertNotification = z.infer<typeof webhookSchema>;

/**
 * A label or annotation as terminal text: C0 controls (ESC among them), DEL and C1 controls removed, so
 * whatever can set a label (any target's relabelling, a rule's template) cannot clear the screen, move
 * the cursor, retitle the window or print a line that looks like another alert. Format characters go too
 * (bidi overrides and isolates, zero-width characters), so a label cannot reorder the rest of its line. A
 * line break, tab, or Unicode line or paragraph separator becomes one space.
 */
export function terminalText(text: string): string {
  // \p{Cc}, Unicode's "control" category, is exactly C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F);
  // \p{Cf} ("format") holds U+202A–202E, U+2066–2069, U+200B–200F, U+FEFF; \p{Zl} and \p{Zp} are U+2028, U+2029.
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, (run) =>
    /[\t\n\r\p{Zl}\p{Zp}]/u.test(run) ? " " : "",
  );
}

/**
 * One notification as a few lines a person reads in a terminal; with `dashboardsUrl` (Grafana, or the
 * read-only dashboards in its place) an alert's `dashboard_uid` becomes a link too.
 */
export function formatNotification(notification: AlertNotification, dashboardsUrl?: string): string {
  return notification.alerts
    .map((alert) => {
      const labels = (name: string) => terminalText(alert.labels[name] ?? "");
      const annotation = (name: string) => terminalText(alert.annotations[name] ?? "");
      const [alertname, severity, job] = [labels("alertname") || "alert", labels("severity"), labels("job")];
      const mark = alert.status === "firing" ? "FIRING  " : "RESOLVED";
      const lines = [
        `[alert] ${mark} ${alertname}${severity ? ` (${severity})` : ""}${job ? ` job=${job}` : ""}`,
      ];
      const [summary, value, runbook] = [
        annotation("summary"),
        annotation("value"),
        annotation("runbook_url"),
      ];
      if (summary) lines.push(`        ${summary}`);
      if (value) lines.push(`        value: ${value}`);
      if (runbook) lines.push(`        runbook: ${runbook}`);
      const dashboard = annotation("dashboard_uid");
      if (dashboard && dashboardsUrl) lines.push(`        dashboard: ${dashboardsUrl}/d/${dashboard}`);
      return lines.join("\n");
    })
    .join("\n");
}

export interface AlertReceiver extends ServiceKit {
  received: AlertNotification[];
}

export function createAlertReceiver({
  print = (text: string) => process.stdout.write(`${text}\n`),
  runbooksDir = RUNBOOKS_DIR,
  dashboardsUrl,
}: {
  print?: (text: string) => void;
  runbooksDir?: string;
  dashboardsUrl?: string;
} = {}): AlertReceiver {
  const kit = createServiceKit({
    name: "alert-receiver",
    logger: createLogger({ service: "alert-receiver", level: "warn" }),
  });
  const received: AlertNotification[] = [];
  // Alertmanager is on this machine and posts to 127.0.0.1; a page that re-points its own name here (DNS
  // rebinding) must not print alerts or read them.
  kit.app.use("*", thisMachineOnly());
  kit.app.post("/alerts", async (c) => {
    // Alertmanager sends JSON; a plain form on any site can post text, urlencoded or multipart bodies.
    if (mediaType(c.req.header("Content-Type")) !== "application/json") {
      return jsonError(
        c,
        415,
        "unsupported_media_type",
        "Send the webhook as Content-Type: application/json.",
      );
    }
    const parsed = webhookSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_webhook", message: parsed.error.message }, 400);
    received.push(parsed.data);
    print(formatNotification(parsed.data, dashboardsUrl));
    return c.json({ status: "ok" });
  });
  kit.app.get("/alerts", (c) => c.json(received));
  kit.app.get(RUNBOOK_PATH, (c) => {
    const items = readdirSync(runbooksDir)
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map(
        (f) =>
          `<li><a href="${RUNBOOK_PATH}/${encodeURIComponent(f)}">${escapeHtml(f.replace(/\.md$/, ""))}</a></li>`,
      )
      .join("\n");
    return c.html(runbookPage("Runbooks", `<h1>Runbooks</h1>\n<ul>\n${items}\n</ul>`));
  });
  kit.app.get(`${RUNBOOK_PATH}/:file`, (c) => {
    const file = c.req.param("file");
    // Only a runbook of that directory, by its plain name: no path reaches anything else.
    const path = join(runbooksDir, file);
    if (!/^[A-Za-z0-9_-]+\.md$/.test(file) || !existsSync(path)) {
      return c.html(
        runbookPage("No such runbook", `<h1>No such runbook</h1><p>${escapeHtml(file)}</p>`),
        404,
      );
    }
    const markdown = readFileSync(path, "utf8");
    const title = /^#\s+(.+)$/m.exec(markdown)?.[1] ?? file;
    return c.html(runbookPage(title, marked.parse(markdown, { async: false })));
  });
  return { ...kit, received };
}

/** Serves the receiver in the runner's own process on its port. */
export async function startAlertReceiver(
  context: LocalContext,
  { print, telegram }: { print: (text: string) => void; telegram: boolean },
): Promise<{ receiver: AlertReceiver; running: RunningService; row: Row }> {
  const receiver = createAlertReceiver({
    print,
    dashboardsUrl: context.settings.GRAFANA_URL ?? context.url("grafana"),
  });
  const running = await serveService(receiver, {
    config: { PORT: context.ports["alert-receiver"] as number, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 2000 },
    handleSignals: false,
  });
  return {
    receiver,
    running,
    row: {
      name: "alert-receiver",
      url: `${running.url}/alerts`,
      status: telegram ? "skipped" : "running",
      note: `${telegram ? "alerts go to Telegram" : "prints alerts here"}; runbooks at ${running.url}${RUNBOOK_PATH}`,
    },
  };
}
