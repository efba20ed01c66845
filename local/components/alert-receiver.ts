/**
 * The local alert receiver: an Alertmanager webhook target that prints each notification readably,
 * used by `npm start` when no Telegram bot is configured; it also serves the runbooks of this checkout
 * (`/runbooks/<Alert>.md`), where the local rule files point every alert's runbook link.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  BoundedList,
  createLogger,
  createServiceKit,
  jsonError,
  type KeepBounds,
  mediaType,
  pageHeaders,
  type RunningService,
  type ServiceKit,
  serveService,
  terminalLine,
  terminalText,
  thisMachineOnly,
} from "@platform/service-kit";
import { marked } from "marked";
import { z } from "zod";
import { ALERTS_DIR } from "../configs.js";
import { ALERT_RECEIVER_KEEP } from "../settings.js";
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

/** Where each line of a printed alert after the first starts: no text of the alert starts a line. */
const INDENT = "        ";

/**
 * One notification as a few lines a person reads in a terminal; with `dashboardsUrl` (Grafana, or the
 * read-only dashboards in its place) an alert's `dashboard_uid` becomes a link too. Whatever can set a
 * label or an annotation (a target's relabelling, a rule's template) is untrusted: each line is the
 * receiver's own prefix and the service kit's terminal-safe text, cut to 80 columns, so no label can drive
 * the terminal, hide or reorder text, or push text of its own to the start of a terminal row.
 */
export function formatNotification(notification: AlertNotification, dashboardsUrl?: string): string {
  return notification.alerts
    .map((alert) => {
      const label = (name: string) => terminalText(alert.labels[name] ?? "");
      const annotation = (name: string) => alert.annotations[name] ?? "";
      const [alertname, severity, job] = [label("alertname") || "alert", label("severity"), label("job")];
      const mark = alert.status === "firing" ? "FIRING  " : "RESOLVED";
      const lines = [
        terminalLine(
          `[alert] ${mark} `,
          `${alertname}${severity ? ` (${severity})` : ""}${job ? ` job=${job}` : ""}`,
        ),
      ];
      const [summary, value, runbook] = [
        annotation("summary"),
        annotation("value"),
        annotation("runbook_url"),
      ];
      if (terminalText(summary)) lines.push(terminalLine(INDENT, summary));
      if (terminalText(value)) lines.push(terminalLine(`${INDENT}value: `, value));
      if (terminalText(runbook)) lines.push(terminalLine(`${INDENT}runbook: `, runbook));
      const dashboard = terminalText(annotation("dashboard_uid"));
      if (dashboard && dashboardsUrl) {
        lines.push(terminalLine(`${INDENT}dashboard: `, `${dashboardsUrl}/d/${dashboard}`));
      }
      return lines.join("\n");
    })
    .join("\n");
}

export interface AlertReceiver extends ServiceKit {
  /** The notifications kept, oldest first (what `GET /alerts` lists). */
  readonly received: AlertNotification[];
}

const PAGE_HEADERS = pageHeaders();

export function createAlertReceiver({
  print = (text: string) => process.stdout.write(`${text}\n`),
  runbooksDir = RUNBOOKS_DIR,
  dashboardsUrl,
  keep = ALERT_RECEIVER_KEEP,
}: {
  print?: (text: string) => void;
  runbooksDir?: string;
  dashboardsUrl?: string;
  /** What is kept for `GET /alerts` (ALERT_RECEIVER_MAX_ALERTS, ALERT_RECEIVER_MAX_BYTES). */
  keep?: KeepBounds;
} = {}): AlertReceiver {
  const kit = createServiceKit({
    name: "alert-receiver",
    logger: createLogger({ service: "alert-receiver", level: "warn" }),
  });
  const received = new BoundedList<AlertNotification>(keep);
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
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const parsed = webhookSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: "invalid_webhook", message: parsed.error.message }, 400);
    // Counted as the bytes that arrived: what listing it costs, within the kit's 64 KiB body limit.
    received.push(parsed.data, Buffer.byteLength(text));
    print(formatNotification(parsed.data, dashboardsUrl));
    return c.json({ status: "ok" });
  });
  kit.app.get("/alerts", (c) => c.json(received.values()));
  kit.app.get(RUNBOOK_PATH, (c) => {
    const items = readdirSync(runbooksDir)
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map(
        (f) =>
          `<li><a href="${RUNBOOK_PATH}/${encodeURIComponent(f)}">${escapeHtml(f.replace(/\.md$/, ""))}</a></li>`,
      )
      .join("\n");
    return c.html(runbookPage("Runbooks", `<h1>Runbooks</h1>\n<ul>\n${items}\n</ul>`), 200, PAGE_HEADERS);
  });
  kit.app.get(`${RUNBOOK_PATH}/:file`, (c) => {
    const file = c.req.param("file");
    // Only a runbook of that directory, by its plain name: no path reaches anything else.
    const path = join(runbooksDir, file);
    if (!/^[A-Za-z0-9_-]+\.md$/.test(file) || !existsSync(path)) {
      return c.html(
        runbookPage("No such runbook", `<h1>No such runbook</h1><p>${escapeHtml(file)}</p>`),
        404,
        PAGE_HEADERS,
      );
    }
    const markdown = readFileSync(path, "utf8");
    const title = /^#\s+(.+)$/m.exec(markdown)?.[1] ?? file;
    return c.html(runbookPage(title, marked.parse(markdown, { async: false })), 200, PAGE_HEADERS);
  });
  return {
    ...kit,
    get received() {
      return received.values();
    },
  };
}

/** Serves the receiver in the runner's own process on its port. */
export async function startAlertReceiver(
  context: LocalContext,
  { print, telegram }: { print: (text: string) => void; telegram: boolean },
): Promise<{ receiver: AlertReceiver; running: RunningService; row: Row }> {
  const { settings } = context;
  const receiver = createAlertReceiver({
    print,
    dashboardsUrl: settings.GRAFANA_URL ?? context.url("grafana"),
    keep: { maxEntries: settings.ALERT_RECEIVER_MAX_ALERTS, maxBytes: settings.ALERT_RECEIVER_MAX_BYTES },
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
