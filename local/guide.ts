/**
 * What `npm start` says once everything runs: when every scrape target is up (and how long that took
 * since `npm start`), then a short "try this" block with the next things to look at — the shop, the single
 * pane, one query, the incidents, where alerts show up.
 */
import { terminalLine, terminalText } from "@platform/service-kit";
import { waitFor } from "@platform/supervisor";
import { activeTargets, type Target } from "./check.js";
import { INCIDENTS, type IncidentName } from "./incidents.js";

export interface TargetsUp {
  ok: boolean;
  /** Seconds since the runner's process started (what a person waited since `npm start`). */
  seconds: number;
  jobs: string[];
  down: Target[];
}

/** Waits until Prometheus reports every scrape target up, or `timeoutMs` passed. */
export async function waitForTargets(prometheus: string, timeoutMs = 60_000): Promise<TargetsUp> {
  let last: Target[] = [];
  const everyTargetUp = async () => {
    last = await activeTargets(prometheus).catch(() => [] as Target[]);
    return last.length > 0 && last.every((t) => t.health === "up");
  };
  const ok = await waitFor(everyTargetUp, { what: "every target up", timeoutMs, intervalMs: 250 }).then(
    () => true,
    () => false,
  );
  return {
    ok,
    seconds: process.uptime(),
    jobs: last.map((t) => t.labels.job ?? "?"),
    down: last.filter((t) => t.health !== "up"),
  };
}

export function formatTargetsUp(result: TargetsUp, logDir: string): string {
  const after = `${result.seconds.toFixed(1)} s after npm start`;
  if (result.ok) return `All ${result.jobs.length} scrape targets are up, ${after}.`;
  if (result.down.length === 0)
    return `Prometheus lists no scrape targets yet, ${after}; see ${logDir}/prometheus.log.`;
  // A scrape error quotes what the target answered: each on a line of its own, cut to 80 columns.
  const jobOf = (t: Target) => terminalText(t.labels.job ?? "?", 30);
  const down = result.down.map(jobOf).join(", ");
  const logs = result.down.map((t) => `${logDir}/${jobOf(t)}.log`).join(", ");
  const errors = result.down.map((t) => terminalLine(`  ${jobOf(t)}: `, t.lastError || t.health));
  return [`Still down ${after}: ${down}; see ${logs}.`, ...errors].join("\n");
}

export interface GuideFacts {
  shop: string | undefined;
  /** The single pane: Grafana's or the read-only view's overview dashboard. */
  dashboards: string;
  grafana: boolean;
  prometheus: string;
  alertmanager: string;
  /** False for Debian's package, which ships without the web application. */
  alertmanagerWebUi: boolean;
  receiver: string;
  telegramChat: number | undefined;
  /** The traffic generator, whose `PUT /control` changes the demo's rate, shape and mix while it runs. */
  traffic: string | undefined;
}

/** The query offered to try: revenue per second, from the metric contract. */
export const TRY_QUERY = "sum(rate(app_revenue_total[1m]))";

export function tryThis(facts: GuideFacts): string {
  const query = `${facts.prometheus}/graph?g0.expr=${encodeURIComponent(TRY_QUERY)}&g0.tab=0&g0.range_input=15m`;
  // The quickest to show first: errors pages within about a minute.
  const incidents = (Object.keys(INCIDENTS) as IncidentName[]).sort(
    (a, b) => Number(b === "errors") - Number(a === "errors"),
  );
  const [first, ...others] = incidents as [IncidentName, ...IncidentName[]];
  const rows: [string, string][] = [
    ...(facts.shop
      ? [["buy something", `${facts.shop}  (the revenue panels move within seconds)`] as [string, string]]
      : []),
    [
      "the single pane",
      `${facts.dashboards}${facts.grafana ? "  (Grafana, admin/admin)" : "  (read-only; Grafana is not installed)"}`,
    ],
    ["one query", `${query}  (revenue per second)`],
    [
      "an incident",
      `npm start -- --incident ${first}  (also ${others.join(", ")}): pages ${INCIDENTS[first].expect}`,
    ],
    [
      "alerts",
      facts.telegramChat !== undefined
        ? `go to Telegram chat ${facts.telegramChat}; the runbooks are at ${facts.receiver}/runbooks`
        : `are printed here and listed at ${facts.receiver}/alerts; the runbooks are at ${facts.receiver}/runbooks`,
    ],
    [
      "alertmanager",
      facts.alertmanagerWebUi
        ? facts.alertmanager
        : `${facts.alertmanager} has no web UI (Debian's package ships without it): amtool --alertmanager.url=${facts.alertmanager} alert query`,
    ],
    ...(facts.traffic
      ? [
          [
            "demo traffic",
            `curl -X PUT ${facts.traffic}/control -d '{"shape":"surge","period":"3m"}'  (steady, diurnal, dip, surge; {"rate":0} stops it)`,
          ] as [string, string],
        ]
      : []),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return ["Try this:", ...rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`)].join("\n");
}
