import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const PROMETHEUS_HINT =
  "install the Debian package `prometheus` (apt-get install prometheus; macOS: brew install prometheus), or run `npm run setup`";
const ALERTMANAGER_HINT =
  "install the Debian package `prometheus-alertmanager` (apt-get install prometheus-alertmanager; macOS: brew install alertmanager), or run `npm run setup`";

const INSTALL_HINTS: Record<string, string> = {
  promtool: PROMETHEUS_HINT,
  prometheus: PROMETHEUS_HINT,
  alertmanager: ALERTMANAGER_HINT,
  amtool: ALERTMANAGER_HINT,
  grafana:
    "Debian/Ubuntu: add Grafana's apt repository (https://apt.grafana.com, see local/README.md) and apt-get install grafana; macOS: brew install grafana",
  chromium:
    "install the Debian package `chromium` (apt-get install chromium; macOS: brew install --cask chromium), or run `npm run setup`",
};

/** Other names a tool goes by: Debian ships Alertmanager as `prometheus-alertmanager`, older Grafana as `grafana-server`. */
const ALIASES: Record<string, string[]> = {
  alertmanager: ["alertmanager", "prometheus-alertmanager"],
  grafana: ["grafana", "grafana-server"],
  chromium: ["chromium", "chromium-browser"],
};

/** The absolute path of a tool on PATH (under any of its names), or undefined. */
export async function findTool(name: string): Promise<string | undefined> {
  for (const candidate of ALIASES[name] ?? [name]) {
    if (!/^[\w.+-]+$/.test(candidate)) throw new Error(`not a tool name: ${candidate}`);
    try {
      const { stdout } = await execFileAsync("sh", ["-c", `command -v ${candidate}`]);
      const path = stdout.trim();
      if (path) return path;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/** What to do about a missing tool, one line. */
export function installHint(name: string): string {
  return INSTALL_HINTS[name] ?? `install ${name}`;
}

/**
 * The absolute path of a tool on PATH. A missing tool is an error with an install hint (in tests: a
 * failure, never a skipped test).
 */
export async function requireTool(name: string): Promise<string> {
  const path = await findTool(name);
  if (path) return path;
  throw new Error(`Required tool '${name}' is not on PATH: ${installHint(name)}.`);
}
