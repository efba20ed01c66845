/**
 * Runs the whole platform on this machine: the services as child processes, the real Prometheus and
 * Alertmanager, Grafana where installed, and the local alert receiver in this process.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { env, loadConfig, type RunningService, serveService } from "@platform/service-kit";
import { freePort } from "@platform/testkit";
import {
  type AlertTiming,
  grafanaProvisioning,
  localAlertmanagerConfig,
  localTemplates,
  prometheusConfig,
  REPO_ROOT,
  ruleFiles,
  type Telegram,
  withShorterFor,
} from "./configs.js";
import { type AlertReceiver, createAlertReceiver } from "./receiver.js";

/** Settings of the local platform; each port can be moved when something else already uses it. */
export const localEnv = {
  STOREFRONT_PORT: env.port(8080),
  COST_EXPORTER_PORT: env.port(8081),
  TRAFFIC_PORT: env.port(8082),
  ALERT_RECEIVER_PORT: env.port(8083),
  PROMETHEUS_PORT: env.port(9090),
  ALERTMANAGER_PORT: env.port(9093),
  GRAFANA_PORT: env.port(3000),
  /** Where Prometheus, Alertmanager and Grafana keep data and the services their logs (git-ignored). */
  LOCAL_DATA_DIR: env.string(".local"),
  /** Scrape and rule-evaluation interval of the local Prometheus. */
  SCRAPE_INTERVAL: env.oneOf(["1s", "2s", "5s", "10s", "15s"], "5s"),
  /** Longest `for:` of any alert locally (the cluster keeps the values in alerts/). */
  LOCAL_MAX_FOR: env.string("30s"),
  TELEGRAM_BOT_TOKEN: env.optionalString(),
  TELEGRAM_CHAT_ID: env.number(Number.NaN, { int: true }),
  TELEGRAM_API_URL: env.optionalUrl(),
  /** Where the Telegram message's dashboard links point (the local Grafana by default). */
  GRAFANA_URL: env.optionalUrl(),
};
export type LocalSettings = ReturnType<typeof loadLocalSettings>;
export function loadLocalSettings(source: Record<string, string | undefined> = process.env) {
  return loadConfig(localEnv, source);
}

const PORT_SETTING = {
  storefront: "STOREFRONT_PORT",
  "cost-exporter": "COST_EXPORTER_PORT",
  traffic: "TRAFFIC_PORT",
  "alert-receiver": "ALERT_RECEIVER_PORT",
  prometheus: "PROMETHEUS_PORT",
  alertmanager: "ALERTMANAGER_PORT",
  grafana: "GRAFANA_PORT",
} as const satisfies Record<string, keyof LocalSettings>;
export type ComponentName = keyof typeof PORT_SETTING;

export interface Component {
  name: ComponentName;
  url?: string;
  status: "running" | "skipped";
  note: string;
}

export interface PlatformOptions {
  settings?: LocalSettings;
  /** Alertmanager grouping; fast by default so a demo incident arrives within seconds. */
  alertTiming?: AlertTiming;
  /** Start from empty Prometheus/Alertmanager data (checks and tests). */
  freshData?: boolean;
  /** Where the receiver and progress lines go. */
  print?: (text: string) => void;
  /** Extra environment for every service (e.g. LOG_LEVEL). */
  serviceEnv?: Record<string, string>;
}

export interface Platform {
  components: Component[];
  urls: Record<ComponentName, string>;
  dataDir: string;
  receiver: AlertReceiver;
  /** Stops one child (e.g. to cause TargetDown) and starts it again with `restart`. */
  stopComponent(name: "storefront" | "cost-exporter" | "traffic"): Promise<void>;
  restartComponent(name: "storefront" | "cost-exporter" | "traffic"): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when a child exits on its own (the platform is then broken). */
  crashed: Promise<string>;
}

const execFileAsync = promisify(execFile);

/** The first of these names on PATH, or undefined. */
export async function findBinary(...names: string[]): Promise<string | undefined> {
  for (const name of names) {
    try {
      const { stdout } = await execFileAsync("sh", ["-c", `command -v ${name}`]);
      if (stdout.trim()) return stdout.trim();
    } catch {
      // not this one
    }
  }
  return undefined;
}

async function assertPortFree(port: number, component: ComponentName) {
  await new Promise<void>((done, fail) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) =>
      fail(
        new Error(
          err.code === "EADDRINUSE"
            ? `Port ${port} (${component}) on 127.0.0.1 is already in use; set ${PORT_SETTING[component]} to a free port, or stop what uses it.`
            : `Cannot listen on 127.0.0.1:${port} for ${component}: ${err.message}`,
        ),
      ),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => done()));
  });
}

/** Says whether the numbers are real, from the exporter's own info metric, so demo data is never mistaken. */
async function costExporterModeNote(base: string): Promise<string> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const mode = /aws_cost_exporter_info\{[^}]*mode="(\w+)"/.exec(text)?.[1];
    if (mode === "demo") return "demo data from the local Cost Explorer simulator (no AWS credentials)";
    if (mode === "aws") return "real AWS Cost Explorer (credentials found; each refresh is billed)";
  } catch {
    // fall through: the table still shows the component
  }
  return "mode unknown: see aws_cost_exporter_info";
}

/** The configured port, or a free one when it is 0. */
async function pickPort(port: number): Promise<number> {
  return port !== 0 ? port : freePort();
}

async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  dead?: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const died = dead?.();
    if (died) throw new Error(`${what}: ${died}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

const ok = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

interface Child {
  name: string;
  process: ChildProcess;
  log: string;
  exitCode: () => number | null | undefined;
  stop(): Promise<void>;
}

function launch(
  name: string,
  command: string,
  args: string[],
  childEnv: NodeJS.ProcessEnv,
  log: string,
): Child {
  const fd = openSync(log, "a");
  const proc = spawn(command, args, { cwd: REPO_ROOT, env: childEnv, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  let exit: number | null | undefined;
  const exited = new Promise<void>((done) =>
    proc.once("exit", (code, signal) => {
      exit = code ?? (signal ? 128 : null);
      done();
    }),
  );
  proc.once("error", () => {
    exit = 127;
  });
  return {
    name,
    process: proc,
    log,
    exitCode: () => exit,
    async stop() {
      if (exit !== undefined || proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const SERVICE_DIRS = {
  storefront: "services/storefront",
  "cost-exporter": "services/cost-exporter",
  traffic: "services/traffic",
} as const;

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const settings = options.settings ?? loadLocalSettings();
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const timing = options.alertTiming ?? { groupWait: "5s", groupInterval: "30s", repeatInterval: "1h" };
  const dataDir = resolve(REPO_ROOT, settings.LOCAL_DATA_DIR);
  const logs = join(dataDir, "logs");
  mkdirSync(logs, { recursive: true });
  if (options.freshData) {
    rmSync(join(dataDir, "prometheus"), { recursive: true, force: true });
    rmSync(join(dataDir, "alertmanager"), { recursive: true, force: true });
  }

  const prometheusBin = await findBinary("prometheus");
  const alertmanagerBin = await findBinary("alertmanager", "prometheus-alertmanager");
  const grafanaBin = await findBinary("grafana", "grafana-server");
  const missing = [
    prometheusBin ? "" : "prometheus (Debian: apt-get install prometheus; macOS: brew install prometheus)",
    alertmanagerBin
      ? ""
      : "alertmanager (Debian: apt-get install prometheus-alertmanager; macOS: brew install alertmanager)",
  ].filter(Boolean);
  if (missing.length) throw new Error(`Not on PATH: ${missing.join("; ")}. Or run npm run setup.`);

  const ports = {} as Record<ComponentName, number>;
  for (const name of Object.keys(PORT_SETTING) as ComponentName[]) {
    if (name === "grafana" && !grafanaBin) continue;
    ports[name] = await pickPort(settings[PORT_SETTING[name]]);
    await assertPortFree(ports[name], name);
  }
  const url = (name: ComponentName) => `http://127.0.0.1:${ports[name]}`;
  const urls = Object.fromEntries((Object.keys(ports) as ComponentName[]).map((n) => [n, url(n)])) as Record<
    ComponentName,
    string
  >;

  const children = new Map<string, Child>();
  let receiverServer: RunningService | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // Reverse start order: nothing scrapes or alerts about a service that is already gone.
    for (const child of [...children.values()].reverse()) await child.stop();
    await receiverServer?.shutdown("platform stopping");
    process.removeListener("exit", killChildren);
  };
  let reportCrash: (message: string) => void = () => {};
  const crashed = new Promise<string>((done) => {
    reportCrash = done;
  });
  const watch = (child: Child) => {
    child.process.once("exit", (code) => {
      if (!stopping && children.get(child.name) === child)
        reportCrash(`${child.name} exited (code ${code}); see ${child.log}`);
    });
  };
  const deadChild = (name: string) => () => {
    const child = children.get(name);
    const code = child?.exitCode();
    return code === undefined ? "" : `exited with code ${code}; see ${child?.log}`;
  };

  // Last resort when this process ends without stop() (an uncaught error, a closed output pipe):
  // never leave services, Prometheus or Alertmanager running behind.
  const killChildren = () => {
    for (const child of children.values()) if (child.exitCode() === undefined) child.process.kill("SIGTERM");
  };
  process.once("exit", killChildren);

  const components: Component[] = [];
  try {
    const receiver = createAlertReceiver({ print });
    receiverServer = await serveService(receiver, {
      config: { PORT: ports["alert-receiver"], HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 2000 },
      handleSignals: false,
    });

    const serviceEnv = (
      name: keyof typeof SERVICE_DIRS,
      extra: Record<string, string>,
    ): NodeJS.ProcessEnv => ({
      ...process.env,
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      ...options.serviceEnv,
      ...extra,
      PORT: String(ports[name]),
    });
    const envFor = {
      storefront: () => serviceEnv("storefront", { ADMIN_ENABLED: "true" }),
      // The exporter chooses demo (its Cost Explorer simulator) or aws from the credentials it finds.
      "cost-exporter": () =>
        serviceEnv("cost-exporter", { COST_TAG_KEY: process.env.COST_TAG_KEY ?? "team" }),
      traffic: () => serviceEnv("traffic", { TARGET_URL: url("storefront") }),
    };
    const startService = async (name: keyof typeof SERVICE_DIRS) => {
      const child = launch(
        name,
        process.execPath,
        ["--import", "tsx", "--conditions=development", join(SERVICE_DIRS[name], "src/main.ts")],
        envFor[name](),
        join(logs, `${name}.log`),
      );
      children.set(name, child);
      watch(child);
      await waitUntil(name, ok(`${url(name)}/ready`), 60_000, deadChild(name));
    };

    await Promise.all([startService("storefront"), startService("cost-exporter")]);
    await startService("traffic");
    components.push(
      {
        name: "storefront",
        url: url("storefront"),
        status: "running",
        note: "shop; /admin/simulation enabled",
      },
      {
        name: "cost-exporter",
        url: `${url("cost-exporter")}/metrics`,
        status: "running",
        note: await costExporterModeNote(url("cost-exporter")),
      },
      {
        name: "traffic",
        url: `${url("traffic")}/metrics`,
        status: "running",
        note: `→ ${url("storefront")}`,
      },
    );

    const telegram: Telegram | undefined =
      settings.TELEGRAM_BOT_TOKEN && !Number.isNaN(settings.TELEGRAM_CHAT_ID)
        ? {
            botToken: settings.TELEGRAM_BOT_TOKEN,
            chatId: settings.TELEGRAM_CHAT_ID,
            apiUrl: settings.TELEGRAM_API_URL,
          }
        : undefined;
    const grafanaUrl = settings.GRAFANA_URL ?? `http://127.0.0.1:${ports.grafana ?? settings.GRAFANA_PORT}`;

    const amDir = join(dataDir, "alertmanager");
    mkdirSync(join(amDir, "templates"), { recursive: true });
    for (const [file, text] of Object.entries(localTemplates(grafanaUrl)))
      writeFileSync(join(amDir, "templates", file), text);
    writeFileSync(
      join(amDir, "alertmanager.yml"),
      localAlertmanagerConfig({
        telegram,
        webhookUrl: `${url("alert-receiver")}/alerts`,
        templateGlob: join(amDir, "templates", "*.tmpl"),
        timing,
      }),
    );
    const am = launch(
      "alertmanager",
      alertmanagerBin as string,
      [
        `--config.file=${join(amDir, "alertmanager.yml")}`,
        `--storage.path=${join(amDir, "data")}`,
        `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
        // A single instance: no gossip port to collide with.
        "--cluster.listen-address=",
      ],
      process.env,
      join(logs, "alertmanager.log"),
    );
    children.set("alertmanager", am);
    watch(am);

    const promDir = join(dataDir, "prometheus");
    const rulesDir = join(promDir, "rules");
    mkdirSync(rulesDir, { recursive: true });
    for (const [file, text] of Object.entries(ruleFiles()))
      writeFileSync(join(rulesDir, file), withShorterFor(text, settings.LOCAL_MAX_FOR));
    writeFileSync(
      join(promDir, "prometheus.yml"),
      prometheusConfig({
        interval: settings.SCRAPE_INTERVAL,
        ruleGlob: join(rulesDir, "*.rules.yml"),
        alertmanager: `127.0.0.1:${ports.alertmanager}`,
        targets: [
          { job: "storefront", address: `127.0.0.1:${ports.storefront}` },
          { job: "cost-exporter", address: `127.0.0.1:${ports["cost-exporter"]}` },
          { job: "traffic", address: `127.0.0.1:${ports.traffic}` },
          { job: "prometheus", address: `127.0.0.1:${ports.prometheus}` },
          { job: "alertmanager", address: `127.0.0.1:${ports.alertmanager}` },
        ],
      }),
    );
    const prom = launch(
      "prometheus",
      prometheusBin as string,
      [
        `--config.file=${join(promDir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(promDir, "data")}`,
        "--storage.tsdb.retention.time=2d",
        `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        "--web.enable-lifecycle",
      ],
      process.env,
      join(logs, "prometheus.log"),
    );
    children.set("prometheus", prom);
    watch(prom);
    await waitUntil("alertmanager", ok(`${url("alertmanager")}/-/ready`), 30_000, deadChild("alertmanager"));
    await waitUntil("prometheus", ok(`${url("prometheus")}/-/ready`), 30_000, deadChild("prometheus"));
    components.push(
      {
        name: "prometheus",
        url: url("prometheus"),
        status: "running",
        note: `scrape/eval every ${settings.SCRAPE_INTERVAL}; alert for: ≤ ${settings.LOCAL_MAX_FOR}`,
      },
      {
        name: "alertmanager",
        url: url("alertmanager"),
        status: "running",
        note: telegram
          ? `→ Telegram chat ${telegram.chatId}${telegram.apiUrl ? ` via ${telegram.apiUrl}` : ""}`
          : "→ alert-receiver (set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID for Telegram)",
      },
      {
        name: "alert-receiver",
        url: `${url("alert-receiver")}/alerts`,
        status: telegram ? "skipped" : "running",
        note: telegram ? "alerts go to Telegram" : "prints alerts here",
      },
    );

    if (grafanaBin) {
      const grafanaDir = join(dataDir, "grafana");
      const provisioning = join(grafanaDir, "provisioning");
      mkdirSync(join(provisioning, "datasources"), { recursive: true });
      mkdirSync(join(provisioning, "dashboards"), { recursive: true });
      for (const dir of ["plugins", "alerting", "notifiers"])
        mkdirSync(join(provisioning, dir), { recursive: true });
      const files = grafanaProvisioning(url("prometheus"));
      writeFileSync(join(provisioning, "datasources", "platform.yml"), files.datasource);
      writeFileSync(join(provisioning, "dashboards", "platform.yml"), files.dashboards);
      const homepath = grafanaHome(grafanaBin);
      const grafana = launch(
        "grafana",
        grafanaBin,
        [
          ...(grafanaBin.endsWith("grafana") ? ["server"] : []),
          ...(homepath ? [`--homepath=${homepath}`] : []),
        ],
        {
          ...process.env,
          GF_PATHS_DATA: join(grafanaDir, "data"),
          GF_PATHS_LOGS: join(grafanaDir, "logs"),
          GF_PATHS_PLUGINS: join(grafanaDir, "plugins"),
          GF_PATHS_PROVISIONING: provisioning,
          GF_SERVER_HTTP_ADDR: "127.0.0.1",
          GF_SERVER_HTTP_PORT: String(ports.grafana),
          GF_AUTH_ANONYMOUS_ENABLED: "true",
          GF_AUTH_ANONYMOUS_ORG_ROLE: "Viewer",
          GF_ANALYTICS_REPORTING_ENABLED: "false",
          GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: join(REPO_ROOT, "dashboards", "platform-overview.json"),
        },
        join(logs, "grafana.log"),
      );
      children.set("grafana", grafana);
      watch(grafana);
      await waitUntil("grafana", ok(`${url("grafana")}/api/health`), 60_000, deadChild("grafana"));
      components.push({
        name: "grafana",
        url: url("grafana"),
        status: "running",
        note: "admin/admin; dashboards/ provisioned",
      });
    } else {
      components.push({
        name: "grafana",
        status: "skipped",
        note: "not on PATH (grafana / grafana-server); macOS: brew install grafana; dashboards still checked against Prometheus",
      });
    }

    return {
      components,
      urls,
      dataDir,
      receiver,
      crashed,
      stop,
      async stopComponent(name) {
        const child = children.get(name);
        if (!child) return;
        children.delete(name);
        await child.stop();
      },
      async restartComponent(name) {
        await startService(name);
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Grafana needs its install directory (public/, conf/); packages put it in different places. */
function grafanaHome(binary: string): string | undefined {
  const candidates = [
    process.env.GRAFANA_HOME,
    "/usr/share/grafana",
    "/opt/homebrew/opt/grafana/share/grafana",
    "/usr/local/opt/grafana/share/grafana",
    resolve(binary, "..", "..", "share", "grafana"),
    resolve(binary, "..", ".."),
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, "conf", "defaults.ini")));
}
