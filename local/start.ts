/**
 * `npm start`: the whole platform on this machine.
 *   npm start                          run until Ctrl-C
 *   npm start -- --check               bring everything up, verify it, stop, exit 0 or 1
 *   npm start -- --incident <name>     run and cause an incident (revenue-drop, slow-checkout, errors)
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { exitOnStartupError } from "@platform/service-kit";
import { formatReport, runChecks } from "./check.js";
import { ruleFiles } from "./configs.js";
import { type Component, loadLocalSettings, type Platform, startPlatform } from "./platform.js";

/** The storefront simulation settings (PUT /admin/simulation) that cause each incident. */
export const INCIDENTS = {
  "revenue-drop": {
    simulation: { checkout: { outOfStockRate: 1 } },
    expect: "RevenueDropWhileHealthy (about 5 minutes: revenue must fall below half its own average)",
  },
  "slow-checkout": {
    simulation: { checkout: { delayMs: { min: 1200, max: 2000 } } },
    expect: "LatencyBudgetBurnFast (about a minute)",
  },
  errors: {
    simulation: { checkout: { errorRate: 0.6 }, products: { errorRate: 0.6 } },
    expect: "AvailabilityBudgetBurnFast (about a minute)",
  },
} as const;
export type IncidentName = keyof typeof INCIDENTS;

/** Warm-up before an incident, so the alerts have a normal level to compare against. */
const INCIDENT_WARMUP_MS = 60_000;

export function formatTable(components: Component[]): string {
  const rows = components.map((c) => [c.name, c.status, c.url ?? "-", c.note]);
  const header = ["component", "status", "where", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export async function setIncident(storefrontUrl: string, simulation: unknown): Promise<void> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (process.env.ADMIN_TOKEN) headers.Authorization = `Bearer ${process.env.ADMIN_TOKEN}`;
  const res = await fetch(`${storefrontUrl}/admin/simulation`, {
    method: "PUT",
    headers,
    body: JSON.stringify(simulation),
  });
  if (!res.ok) throw new Error(`PUT /admin/simulation answered ${res.status}: ${await res.text()}`);
}

async function main() {
  // A closed pipe (npm start | head) must not crash the runner before it stops its children.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  const { values } = parseArgs({
    options: { check: { type: "boolean", default: false }, incident: { type: "string" } },
    strict: true,
  });
  const incident = values.incident as IncidentName | undefined;
  if (incident !== undefined && !(incident in INCIDENTS)) {
    console.error(`Unknown incident "${incident}"; choose one of ${Object.keys(INCIDENTS).join(", ")}.`);
    process.exit(2);
  }
  let settings: ReturnType<typeof loadLocalSettings>;
  try {
    settings = loadLocalSettings();
  } catch (err) {
    exitOnStartupError("npm start", err);
  }

  console.log(`Starting the local platform (data and logs in ${settings.LOCAL_DATA_DIR}/)…`);
  let platform: Platform;
  try {
    platform = await startPlatform({ settings, freshData: values.check });
  } catch (err) {
    console.error(`npm start: ${(err as Error).message}`);
    process.exit(1);
  }

  let stopping: Promise<void> | undefined;
  const shutdown = (code: number) => {
    stopping ??= (async () => {
      console.log("\nStopping the platform…");
      await platform.stop();
      console.log("Stopped.");
      process.exit(code);
    })();
    return stopping;
  };
  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));
  void platform.crashed.then((message) => {
    console.error(`npm start: ${message}`);
    void shutdown(1);
  });

  console.log(`\n${formatTable(platform.components)}\n`);

  if (values.check) {
    const scrapeSeconds = Number.parseInt(settings.SCRAPE_INTERVAL, 10);
    const lines = await runChecks({
      prometheus: platform.urls.prometheus,
      ruleFiles: Object.keys(ruleFiles()),
      scrapeSeconds,
    });
    console.log(formatReport(lines));
    await shutdown(lines.every((l) => l.ok) ? 0 : 1);
    return;
  }

  if (incident) {
    const { simulation, expect } = INCIDENTS[incident];
    console.log(
      `Incident ${incident}: warming up for ${INCIDENT_WARMUP_MS / 1000} s so alerts have a baseline…`,
    );
    await new Promise((r) => setTimeout(r, INCIDENT_WARMUP_MS));
    await setIncident(platform.urls.storefront, simulation);
    console.log(`Incident ${incident} started: ${JSON.stringify(simulation)}. Expect ${expect}.`);
    console.log(
      `Undo it with: curl -X PUT -H 'Content-Type: application/json' -d '{}' ${platform.urls.storefront}/admin/simulation`,
    );
  }
  console.log("Running. Press Ctrl-C to stop everything.");
}

// Run only as the entry point, so tests can import the helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
