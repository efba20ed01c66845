/** Alertmanager on this machine: alerts/alertmanager.yml made local (configs.ts), on its port. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AlertTiming, localAlertmanagerConfig, localTemplates, type Telegram } from "../configs.js";
import type { LocalContext, Row } from "./types.js";

/**
 * Whether this Alertmanager serves its web application: Debian's package ships without it and answers
 * `/` with a page saying so (and pointing at amtool).
 */
export async function alertmanagerHasWebUi(url: string): Promise<boolean> {
  try {
    const page = await (await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) })).text();
    return !page.includes("does not include a web");
  } catch {
    return false;
  }
}

export async function startAlertmanager(
  context: LocalContext,
  {
    binary,
    telegram,
    timing,
    grafanaUrl,
  }: { binary: string; telegram: Telegram | undefined; timing: AlertTiming; grafanaUrl: string },
): Promise<Row> {
  const dir = join(context.dataDir, "alertmanager");
  mkdirSync(join(dir, "templates"), { recursive: true });
  for (const [file, text] of Object.entries(localTemplates(grafanaUrl))) {
    writeFileSync(join(dir, "templates", file), text);
  }
  writeFileSync(
    join(dir, "alertmanager.yml"),
    localAlertmanagerConfig({
      telegram,
      webhookUrl: `${context.url("alert-receiver")}/alerts`,
      templateGlob: join(dir, "templates", "*.tmpl"),
      timing,
    }),
  );
  context.children.start("alertmanager", binary, [
    `--config.file=${join(dir, "alertmanager.yml")}`,
    `--storage.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${context.ports.alertmanager}`,
    // A single instance: no gossip port to collide with.
    "--cluster.listen-address=",
  ]);
  await context.children.waitReady("alertmanager", `${context.url("alertmanager")}/-/ready`, 30_000);
  const webUi = (await alertmanagerHasWebUi(context.url("alertmanager")))
    ? ""
    : "; no web UI in this package (amtool, or the receiver's /alerts)";
  return {
    name: "alertmanager",
    url: context.url("alertmanager"),
    status: "running",
    note: telegram
      ? `→ Telegram chat ${telegram.chatId}${telegram.apiUrl ? ` via ${telegram.apiUrl}` : ""}${webUi}`
      : `→ alert-receiver (TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID for Telegram)${webUi}`,
  };
}
