/**
 * The local alert receiver: an Alertmanager webhook target that prints each notification readably,
 * used by `npm start` when no Telegram bot is configured.
 */
import {
  createLogger,
  createServiceKit,
  type RunningService,
  type ServiceKit,
  serveService,
} from "@platform/service-kit";
import { z } from "zod";
import type { LocalContext, Row } from "./types.js";

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

/** One notification as a few lines a person reads in a terminal. */
export function formatNotification(notification: AlertNotification): string {
  return notification.alerts
    .map((alert) => {
      const { alertname = "alert", severity = "", job } = alert.labels;
      const mark = alert.status === "firing" ? "FIRING  " : "RESOLVED";
      const lines = [
        `[alert] ${mark} ${alertname}${severity ? ` (${severity})` : ""}${job ? ` job=${job}` : ""}`,
      ];
      const { summary, value, runbook_url: runbook } = alert.annotations;
      if (summary) lines.push(`        ${summary}`);
      if (value) lines.push(`        value: ${value}`);
      if (runbook) lines.push(`        runbook: ${runbook}`);
      return lines.join("\n");
    })
    .join("\n");
}

export interface AlertReceiver extends ServiceKit {
  received: AlertNotification[];
}

export function createAlertReceiver({
  print = (text: string) => process.stdout.write(`${text}\n`),
}: {
  print?: (text: string) => void;
} = {}): AlertReceiver {
  const kit = createServiceKit({
    name: "alert-receiver",
    logger: createLogger({ service: "alert-receiver", level: "warn" }),
  });
  const received: AlertNotification[] = [];
  kit.app.post("/alerts", async (c) => {
    const parsed = webhookSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: "invalid_webhook", message: parsed.error.message }, 400);
    received.push(parsed.data);
    print(formatNotification(parsed.data));
    return c.json({ status: "ok" });
  });
  kit.app.get("/alerts", (c) => c.json(received));
  return { ...kit, received };
}

/** Serves the receiver in the runner's own process on its port. */
export async function startAlertReceiver(
  context: LocalContext,
  { print, telegram }: { print: (text: string) => void; telegram: boolean },
): Promise<{ receiver: AlertReceiver; running: RunningService; row: Row }> {
  const receiver = createAlertReceiver({ print });
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
      note: telegram ? "alerts go to Telegram" : "prints alerts here",
    },
  };
}
