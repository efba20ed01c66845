/**
 * `npm start`: the whole platform on this machine (usage below, or `npm start -- --help`).
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { exitOnStartupError, terminalLine, terminalText } from "@platform/service-kit";
import { whenParentExits } from "@platform/supervisor";
import { type Catalogue, catalogue } from "../catalogue/services.js";
import { LONG_TERM_DATASOURCE } from "../thresholds/dashboards.js";
import { formatReport, runChecks } from "./check.js";
import { alertmanagerHasWebUi } from "./components/alertmanager.js";
import { HOME_DASHBOARD_UID } from "./components/dashboard-viewer.js";
import type { Row } from "./components/types.js";
import { ruleFiles } from "./configs.js";
import { formatTargetsUp, tryThis, waitForTargets } from "./guide.js";
import {
  CONTROLS,
  type ControlledComponent,
  causeIncident,
  INCIDENTS,
  type IncidentName,
  isIncident,
} from "./incidents.js";
import { type Platform, startPlatform } from "./platform.js";
import {
  ALERT_RECEIVER_KEEP,
  type LocalSettings,
  loadLocalSettings,
  localComponents,
  portSettingName,
} from "./settings.js";

export function usage(from: Catalogue = catalogue): string {
  const ports = localComponents(from)
    .map(({ name, defaultPort }) => `${portSettingName(name)} (${defaultPort})`)
    .join(", ");
  return `Usage: npm start [-- options]
Runs the platform on this machine: the catalogue's services, Prometheus, Alertmanager, Grafana if
installed, demo traffic and demo Cost Explorer data. Ctrl-C stops everything.

  --check            start, verify every target, rule file and dashboard query, stop; exit 0 or 1
  --incident NAME    run and, after a warm-up, cause an incident, by the component it sets:
${incidentLines()}
  -h, --help         this text

Settings (environment variables, see local/README.md): a port per component, 0 picks a free one:
${wrap(ports, 100, "  ")}
  LOCAL_DATA_DIR (.local), SCRAPE_INTERVAL (5s), LOCAL_MAX_FOR (30s), GRAFANA_URL,
  LOCAL_GRAFANA (auto: Grafana where installed, else read-only dashboards on its port; off),
  ALERT_RECEIVER_MAX_ALERTS (${ALERT_RECEIVER_KEEP.maxEntries}) and ALERT_RECEIVER_MAX_BYTES (${ALERT_RECEIVER_KEEP.maxBytes}): what GET /alerts keeps,
  TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID (alerts to Telegram), TELEGRAM_API_URL
`;
}

/** The incidents by the component whose control they set, a line each. */
function incidentLines(): string {
  const names = Object.keys(INCIDENTS) as IncidentName[];
  return (Object.keys(CONTROLS) as ControlledComponent[])
    .map((component) => {
      const of = names.filter((name) => INCIDENTS[name].component === component);
      return wrap(`${component}: ${of.join(", ")}`, 100, " ".repeat(21));
    })
    .join("\n");
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join("\n");
}

export class UsageError extends Error {
  override name = "UsageError";
}

export interface StartOptions {
  check: boolean;
  incident: IncidentName | undefined;
  help: boolean;
}

/** The command line of `npm start`; anything else than the options above is a UsageError. */
export function parseStartArgs(argv: string[]): StartOptions {
  let values: { check?: boolean; incident?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        check: { type: "boolean" },
        incident: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const incident = values.incident;
  if (incident !== undefined && !isIncident(incident)) {
    throw new UsageError(
      `Unknown incident "${incident}"; choose one of ${Object.keys(INCIDENTS).join(", ")}.`,
    );
  }
  return { check: values.check ?? false, incident, help: values.help ?? false };
}

export function formatTable(components: Row[]): string {
  // A note may be a service's own `/ready` answer: each cell one line, nothing a terminal acts on.
  const rows = components.map((c) =>
    [c.name, c.status, c.url ?? "-", c.note].map((cell) => terminalText(cell)),
  );
  const header = ["component", "status", "where", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The command line and the local settings, or the process exits: 2 with the usage, 0 after --help. */
function optionsOrExit(): { options: StartOptions; settings: LocalSettings } {
  let options: StartOptions;
  try {
    options = parseStartArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`npm start: ${terminalText(err.message)}\n\n${usage()}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(usage());
    process.exit(0);
  }
  let settings: LocalSettings;
  try {
    settings = loadLocalSettings();
  } catch (err) {
    exitOnStartupError("npm start", err);
  }
  return { options, settings };
}

async function main() {
  // A closed pipe (npm start | head) must not crash the runner before it stops its children.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});

  // Installed first: a signal or npm's death while the platform still starts calls the start-up off, which
  // stops what has started so far (startPlatform's `signal`); once it runs, the platform is stopped.
  const startup = new AbortController();
  let starting: Promise<Platform | undefined> = Promise.resolve(undefined);
  let stopping: Promise<void> | undefined;
  const shutdown = (code: number) => {
    stopping ??= (async () => {
      console.log("\nStopping the platform…");
      startup.abort();
      // A start-up called off rejects once it has stopped what it started.
      const platform = await starting.catch(() => undefined);
      await platform?.stop();
      console.log("Stopped.");
      process.exit(code);
    })();
    return stopping;
  };
  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));
  process.on("SIGHUP", () => void shutdown(129));
  // npm killed (even with SIGKILL): nobody is left to stop us, so stop the platform ourselves.
  whenParentExits(() => {
    console.error("npm start: the process that started the runner is gone; stopping.");
    void shutdown(1);
  });

  const { options, settings } = optionsOrExit();

  console.log(`Starting the local platform (data and logs in ${settings.LOCAL_DATA_DIR}/)…`);
  const started = startPlatform({ settings, freshData: options.check, signal: startup.signal });
  starting = started;
  let platform: Platform;
  try {
    platform = await started;
  } catch (err) {
    // Called off by a signal: shutdown() reports and exits once everything started is stopped.
    if (startup.signal.aborted) return;
    console.error(`npm start: ${(err as Error).message}`);
    process.exit(1);
  }
  // A signal just as the start-up ended: shutdown() stops the platform now; print nothing more.
  if (stopping) return;
  void platform.crashed.then((message) => {
    console.error(`npm start: ${message}`);
    void shutdown(1);
  });

  console.log(`\n${formatTable(platform.components)}\n`);

  if (options.check) {
    const scrapeSeconds = Number.parseInt(settings.SCRAPE_INTERVAL, 10);
    const lines = await runChecks({
      prometheus: platform.url("prometheus"),
      ruleFiles: Object.keys(ruleFiles()),
      datasources: { [LONG_TERM_DATASOURCE.uid]: platform.url("long-term-store") },
      scrapeSeconds,
    });
    console.log(formatReport(lines));
    await shutdown(lines.every((l) => l.ok) ? 0 : 1);
    return;
  }

  console.log("Running. Press Ctrl-C to stop everything.");
  if (options.incident) void incidentAfterWarmUp(platform, options.incident);
  console.log(
    formatTargetsUp(await waitForTargets(platform.url("prometheus")), `${settings.LOCAL_DATA_DIR}/logs`),
  );
  console.log(`\n${await guide(platform, settings)}\n`);
}

/** Waits for the incident's warm-up so the alerts have a normal level to compare with, then causes it. */
async function incidentAfterWarmUp(platform: Platform, name: IncidentName) {
  const { expect, warmUpMs } = INCIDENTS[name];
  console.log(`Incident ${name}: warming up for ${warmUpMs / 1000} s so alerts have a baseline…`);
  await new Promise((r) => setTimeout(r, warmUpMs));
  try {
    const incident = await causeIncident(name, (component) => platform.url(component));
    console.log(`Incident ${name} started: ${incident.request}. Expect ${expect}.`);
    console.log(`Undo it with: ${incident.undoCommand}`);
  } catch (err) {
    // The platform keeps running: only the incident failed (a component stopped, a refused setting).
    console.error(formatIncidentFailure(name, err));
  }
}

/** Why an incident could not be caused; the error quotes a component's answer, on a line of its own. */
export function formatIncidentFailure(name: IncidentName, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `npm start: incident ${name} could not be caused:\n${terminalLine("  ", message)}`;
}

/** The "try this" block, from what this run's start-up table says runs where. */
async function guide(platform: Platform, settings: LocalSettings): Promise<string> {
  const row = (name: string) => platform.components.find((c) => c.name === name);
  const grafana = row("grafana")?.status === "running";
  return tryThis({
    shop: row("storefront")?.url,
    dashboards: grafana
      ? `${platform.url("grafana")}/d/${HOME_DASHBOARD_UID}`
      : (row("dashboards")?.url ?? platform.url("grafana")),
    grafana,
    prometheus: platform.url("prometheus"),
    alertmanager: platform.url("alertmanager"),
    alertmanagerWebUi: await alertmanagerHasWebUi(platform.url("alertmanager")),
    receiver: platform.url("alert-receiver"),
    traffic: row("traffic")?.status === "running" ? platform.url("traffic") : undefined,
    telegramChat:
      settings.TELEGRAM_BOT_TOKEN && !Number.isNaN(settings.TELEGRAM_CHAT_ID)
        ? settings.TELEGRAM_CHAT_ID
        : undefined,
  });
}

// Run only as the entry point, so tests can import the helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
