/**
 * Runs the whole platform on this machine: the catalogue's local services as child processes, the real
 * Prometheus and Alertmanager, Grafana where installed, and the local alert receiver in this process.
 * Every child dies with this process, however it ends (see children.ts and @platform/supervisor).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RunningService } from "@platform/service-kit";
import { findTool, freePort, portIsFree, requireTool } from "@platform/supervisor";
import { stringify } from "yaml";
import {
  type Catalogue,
  catalogue as realCatalogue,
  type ServiceEntry,
  servicesIn,
  validateCatalogue,
} from "../catalogue/services.js";
import { Children } from "./children.js";
import { type AlertReceiver, startAlertReceiver } from "./components/alert-receiver.js";
import { startAlertmanager } from "./components/alertmanager.js";
import { startDashboardViewer } from "./components/dashboard-viewer.js";
import {
  DEMO_INVENTORY_PATH,
  type DemoStack,
  mirrorStack,
  startDemoInventory,
} from "./components/demo-inventory.js";
import { startGrafana } from "./components/grafana.js";
import { startLongTermStore } from "./components/long-term-store.js";
import { startPrometheus } from "./components/prometheus.js";
import { type EntryPoint, scrapeTargets, startOrder, startService } from "./components/services.js";
import type { LocalContext, Row } from "./components/types.js";
import { type AlertTiming, REPO_ROOT, type Telegram } from "./configs.js";
import { type LocalSettings, loadLocalSettings, localComponents, portSettingName } from "./settings.js";
import { localRightsizeRuleFile, localUsageRuleFile } from "./usage.js";

export interface PlatformOptions {
  /** The services to run (default: the real catalogue); tests add a fixture service. */
  catalogue?: Catalogue;
  /** Where each service's entry point is (default services/<name>/src/main.ts). */
  serviceEntryPoint?: EntryPoint;
  settings?: LocalSettings;
  /** Alertmanager grouping; fast by default so a demo incident arrives within seconds. */
  alertTiming?: AlertTiming;
  /** Start from empty Prometheus/Alertmanager data (checks and tests). */
  freshData?: boolean;
  /** Where the receiver and progress lines go. */
  print?: (text: string) => void;
  /** Extra environment for every service (e.g. LOG_LEVEL). */
  serviceEnv?: Record<string, string>;
  /** Rule files to load besides alerts/ (file name → YAML), e.g. a benchmark's baseline rule. */
  extraRuleFiles?: Record<string, string>;
  /**
   * Calls the start-up off (Ctrl-C or npm gone while it starts): no further component starts, the ones
   * started so far are stopped, and `startPlatform` rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

export interface Platform {
  /** The start-up table's rows, in start order. */
  components: Row[];
  /** Base URL of every component by name. */
  urls: Record<string, string>;
  /** Base URL of one component; throws for a name that does not run. */
  url(name: string): string;
  dataDir: string;
  receiver: AlertReceiver;
  /** Stops one service (e.g. to cause TargetDown) and starts it again with `restartComponent`. */
  stopComponent(name: string): Promise<void>;
  restartComponent(name: string): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when a child exits on its own (the platform is then broken). */
  crashed: Promise<string>;
}

/** Every component's port: as set, or a free one for 0; a port in use stops the start, naming its setting. */
async function bindPorts(names: string[], settings: LocalSettings): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const name of names) {
    const wanted = settings.ports[name];
    if (wanted === undefined)
      throw new Error(`no port setting for ${name}; load the settings with this catalogue`);
    const port = wanted === 0 ? await freePort() : wanted;
    if (!(await portIsFree(port))) {
      throw new Error(
        `Port ${port} (${name}) on 127.0.0.1 is already in use; set ${portSettingName(name)} to a free port (0 picks one), or stop what uses it.`,
      );
    }
    ports[name] = port;
  }
  return ports;
}

/** `promise`, or the signal's reason as soon as it is aborted (the promise runs on, unheeded). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The data folder, with its logs folder; fresh data drops what Prometheus and Alertmanager kept. */
function prepareDataDir(settings: LocalSettings, freshData: boolean | undefined): string {
  const dataDir = resolve(REPO_ROOT, settings.LOCAL_DATA_DIR);
  mkdirSync(join(dataDir, "logs"), { recursive: true });
  if (freshData) {
    rmSync(join(dataDir, "prometheus"), { recursive: true, force: true });
    rmSync(join(dataDir, "alertmanager"), { recursive: true, force: true });
  }
  return dataDir;
}

interface Tools {
  prometheus: string;
  alertmanager: string;
  /** Absent when not installed or turned off: the read-only dashboards take its place. */
  grafana: string | undefined;
}

async function findTools(settings: LocalSettings): Promise<Tools> {
  const prometheus = await requireTool("prometheus");
  const alertmanager = await requireTool("alertmanager");
  const grafana = settings.LOCAL_GRAFANA === "off" ? undefined : await findTool("grafana");
  return { prometheus, alertmanager, grafana };
}

function telegramOf(settings: LocalSettings): Telegram | undefined {
  return settings.TELEGRAM_BOT_TOKEN && !Number.isNaN(settings.TELEGRAM_CHAT_ID)
    ? {
        botToken: settings.TELEGRAM_BOT_TOKEN,
        chatId: settings.TELEGRAM_CHAT_ID,
        apiUrl: settings.TELEGRAM_API_URL,
      }
    : undefined;
}

/** The servers that run in this process, stopped after the children. */
interface InProcessServers {
  receiver?: RunningService;
  viewer?: RunningService;
  inventory?: RunningService;
}

async function stopEverything(children: Children, servers: InProcessServers): Promise<void> {
  await children.stopAll();
  await servers.viewer?.shutdown("platform stopping");
  await servers.inventory?.shutdown("platform stopping");
  await servers.receiver?.shutdown("platform stopping");
}

type StackEnv = DemoStack["inventory"]["stackEnv"];

/** Starts one service; `stackEnv` is read at each start, so a restart sees what the mirrored stack set. */
function serviceStarter(context: LocalContext, options: PlatformOptions, stackEnv: () => StackEnv) {
  return (service: ServiceEntry) =>
    startService(service, context, {
      ...(options.serviceEntryPoint ? { entryPoint: options.serviceEntryPoint } : {}),
      extraEnv: {
        // The dev stack's settings for this service that describe the stack (the cost exporter's prices and
        // parts), unless the user's own environment sets them.
        ...Object.fromEntries(
          Object.entries(stackEnv()[service.name] ?? {}).filter(([name]) => process.env[name] === undefined),
        ),
        ...options.serviceEnv,
      },
    });
}

/** The services, wave by wave (a service after those it calls); their rows in catalogue order. */
async function startServices(
  services: ServiceEntry[],
  start: (service: ServiceEntry) => Promise<Row>,
  checkpoint: () => void,
): Promise<Row[]> {
  const serviceRows = new Map<string, Row>();
  for (const wave of startOrder(services)) {
    checkpoint();
    const rows = await Promise.all(wave.map(start));
    for (const row of rows) serviceRows.set(row.name, row);
  }
  return services.map((s) => serviceRows.get(s.name) as Row);
}

interface MonitoringOptions {
  tools: Tools;
  services: ServiceEntry[];
  demo: DemoStack;
  telegram: Telegram | undefined;
  timing: AlertTiming;
  extraRuleFiles: Record<string, string> | undefined;
  checkpoint: () => void;
}

/** Alertmanager, the long-term store and Prometheus; their rows in the table's order (Prometheus first). */
async function startMonitoring(context: LocalContext, options: MonitoringOptions): Promise<Row[]> {
  const { settings, ports } = context;
  const { tools, services, demo, checkpoint } = options;
  // Alertmanager first, so Prometheus has somewhere to send alerts from its first evaluation.
  checkpoint();
  const alertmanagerRow = await startAlertmanager(context, {
    binary: tools.alertmanager,
    telegram: options.telegram,
    timing: options.timing,
    grafanaUrl: settings.GRAFANA_URL ?? `http://127.0.0.1:${ports.grafana ?? settings.ports.grafana}`,
  });
  // The long-term store before Prometheus, so the first remote write finds it.
  checkpoint();
  const longTermStoreRow = await startLongTermStore(context, tools.prometheus);
  checkpoint();
  const prometheusRow = await startPrometheus(context, {
    binary: tools.prometheus,
    services: [
      ...scrapeTargets(services, context),
      {
        job: "demo-inventory",
        address: `127.0.0.1:${ports["demo-inventory"]}`,
        metricsPath: DEMO_INVENTORY_PATH,
      },
    ],
    extraRuleFiles: {
      "cost-estimate.rules.yml": stringify({ groups: [demo.estimate] }),
      ...localUsageRuleFile(services, demo.inventory),
      ...localRightsizeRuleFile(settings.SCRAPE_INTERVAL, settings.RIGHTSIZE_WINDOW),
      ...options.extraRuleFiles,
    },
  });
  return [prometheusRow, longTermStoreRow, alertmanagerRow];
}

/** Grafana's row, and where it is not installed the read-only dashboards that take its port. */
async function startDashboards(
  context: LocalContext,
  grafana: string | undefined,
  servers: InProcessServers,
  checkpoint: () => void,
): Promise<Row[]> {
  const rows = [await startGrafana(context, grafana)];
  if (!grafana) {
    checkpoint();
    const viewer = await startDashboardViewer(context);
    servers.viewer = viewer.running;
    rows.push(viewer.row);
  }
  return rows;
}

interface RunningPlatform {
  components: Row[];
  context: LocalContext;
  receiver: AlertReceiver;
  stop: () => Promise<void>;
  services: ServiceEntry[];
  start: (service: ServiceEntry) => Promise<Row>;
}

/** What the caller holds: the rows, the URLs, and the controls over the running components. */
function platformHandle({ components, context, receiver, stop, services, start }: RunningPlatform): Platform {
  const { ports, url, dataDir, children } = context;
  const byName = new Map(services.map((s) => [s.name, s]));
  return {
    components,
    urls: Object.fromEntries(Object.keys(ports).map((name) => [name, url(name)])),
    url(name) {
      if (ports[name] === undefined) throw new Error(`no component ${name} runs here`);
      return url(name);
    },
    dataDir,
    receiver,
    crashed: children.crashed,
    stop,
    stopComponent: (name) => children.stop(name),
    async restartComponent(name) {
      const service = byName.get(name);
      if (!service) throw new Error(`${name} is not a service of this platform`);
      await start(service);
    },
  };
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const from = validateCatalogue(options.catalogue ?? realCatalogue);
  const settings = options.settings ?? loadLocalSettings(process.env, from);
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const timing = options.alertTiming ?? { groupWait: "5s", groupInterval: "30s", repeatInterval: "1h" };
  const dataDir = prepareDataDir(settings, options.freshData);
  const tools = await findTools(settings);

  const services = servicesIn("local", from);
  // Grafana's port is always taken: by Grafana, or by the read-only dashboards in its place.
  const ports = await bindPorts(
    localComponents(from).map((c) => c.name),
    settings,
  );
  const url = (name: string) => `http://127.0.0.1:${ports[name]}`;
  const { signal } = options;
  const children = new Children(join(dataDir, "logs"), signal);
  const context: LocalContext = { settings, ports, url, dataDir, children };
  const servers: InProcessServers = {};
  const stop = () => stopEverything(children, servers);
  // The dev stack's program under mocks (a couple of seconds): the demo inventory, the estimate, and the
  // settings that make the local cost exporter price the dev stack. Started now, awaited before the services.
  const mirrored: Promise<DemoStack> = mirrorStack();
  // Awaited below; a failure before then must not also surface as an unhandled rejection.
  mirrored.catch(() => undefined);

  const telegram = telegramOf(settings);
  let stackEnv: StackEnv = {};
  const start = serviceStarter(context, options, () => stackEnv);

  // Between steps: once the start-up is called off, nothing more starts (the catch below stops the rest).
  const checkpoint = () => signal?.throwIfAborted();
  try {
    checkpoint();
    const receiver = await startAlertReceiver(context, { print, telegram: telegram !== undefined });
    servers.receiver = receiver.running;
    // The program under mocks holds no port and no process, so the start-up need not wait for it to end.
    const demo = await untilAborted(mirrored, signal);
    stackEnv = demo.inventory.stackEnv;
    checkpoint();
    const inventory = await startDemoInventory(context, demo);
    servers.inventory = inventory.running;

    const components = await startServices(services, start, checkpoint);
    const monitoring = await startMonitoring(context, {
      tools,
      services,
      demo,
      telegram,
      timing,
      extraRuleFiles: options.extraRuleFiles,
      checkpoint,
    });
    checkpoint();
    components.push(
      ...monitoring,
      receiver.row,
      inventory.row,
      ...(await startDashboards(context, tools.grafana, servers, checkpoint)),
    );
    checkpoint();

    return platformHandle({ components, context, receiver: receiver.receiver, stop, services, start });
  } catch (err) {
    await stop();
    throw err;
  }
}
