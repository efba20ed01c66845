// The business alert on the real local platform: seconds from a silent failure to RevenueDropWhileHealthy in
// Alertmanager (Prometheus scraping and evaluating every 5 s, `for:` capped at 30 s), for the two ways a shop
// stops selling while every page answers, each caused as `npm start -- --incident` causes it:
// - every payment declined (`payment-failure`: the storefront's simulation), paged by the refusals test;
// - a full stop of orders (`checkout-unreachable`: the traffic generator's mix without checkouts, visitors
//   browse on and none reaches checkout), paged by the full-stop test.
// Goal: within 90 s each (exit code 1 if either misses it). Baseline in the same run, for each fault: the rule
// it replaced (5-minute revenue below half its hourly average, for 10 minutes), loaded beside it.
//
// One platform per fault, both running at once on free ports: each fault meets a shop with a clean history
// (the full-stop test predicts orders from the conversion since the start, up to 3 minutes ago, which a
// fault before it would have lowered), and the baseline needs up to 7 minutes a fault, so one platform after the other would take
// about 20 minutes; side by side the bench takes about 10. Each warms up for its incident's own warm-up
// (what `npm start -- --incident` waits), and at least 2 minutes, so the replaced rule's hourly average has
// something to average before the fault.
// business-rules.bench.ts measures false alerts and the time to page of every silent failure through promtool.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@platform/testkit";
import { BASELINE_OFFSET } from "../alerts/rules/business.js";
import { catalogue } from "../catalogue/services.js";
import { promGet } from "../local/check.js";
import { causeIncident, INCIDENTS, type IncidentName } from "../local/incidents.js";
import { startPlatform } from "../local/platform.js";
import { loadLocalSettings, localComponents, portSettingName } from "../local/settings.js";
import { PREVIOUS_ALERT, previousRule } from "./business-previous-rule.js";
import { DEMO_CONVERSION } from "./business-traffic.js";

const GOAL_SECONDS = 90;
const MIN_WARM_UP_MS = 120_000;
/** How long the replaced rule is waited for after the fault before it counts as not firing. */
const BASELINE_TIMEOUT_MS = 420_000;

const FAULTS: { incident: IncidentName; fault: string }[] = [
  { incident: "payment-failure", fault: "every payment declined" },
  { incident: "checkout-unreachable", fault: "no checkout arrives (a full stop)" },
];

interface Detection {
  /** Seconds from the fault to RevenueDropWhileHealthy in Alertmanager. */
  alert: number;
  /** The same for the replaced rule; undefined when it did not fire within BASELINE_TIMEOUT_MS. */
  previous: number | undefined;
}

async function detectionTime(incident: IncidentName): Promise<Detection> {
  const log = (text: string) => console.log(`[${incident}] ${text}`);
  const dataDir = mkdtempSync(join(tmpdir(), `business-bench-${incident}-`));
  const freePorts = Object.fromEntries(localComponents(catalogue).map((c) => [portSettingName(c.name), "0"]));
  const settings = loadLocalSettings({ ...freePorts, LOCAL_DATA_DIR: dataDir }, catalogue);
  const platform = await startPlatform({
    settings,
    freshData: true,
    print: () => {},
    serviceEnv: { LOG_LEVEL: "warn" },
    // Locally every `for:` is capped at 30 s; the previous rule's 10 minutes too.
    extraRuleFiles: { "previous-business.rules.yml": previousRule("30s") },
  });
  const firingIn = async (alertname: string) => {
    const res = await fetch(
      `${platform.url("alertmanager")}/api/v2/alerts?filter=alertname%3D%22${alertname}%22`,
    );
    return ((await res.json()) as unknown[]).length > 0;
  };
  /** The storefront's value of a recorded series now, for the log. */
  const storefrontValue = async (series: string) => {
    const data = await promGet<{ result: { value: [number, string] }[] }>(
      platform.url("prometheus"),
      `/api/v1/query?query=${encodeURIComponent(`${series}{job="storefront"}`)}`,
    );
    return Number(data.result[0]?.value[1] ?? Number.NaN);
  };
  try {
    const warmUpMs = Math.max(INCIDENTS[incident].warmUpMs, MIN_WARM_UP_MS);
    log(`warming up for ${warmUpMs / 1000} s of demo traffic…`);
    await new Promise((done) => setTimeout(done, warmUpMs));
    if (await firingIn("RevenueDropWhileHealthy"))
      throw new Error("RevenueDropWhileHealthy fired before the failure");
    // The full-stop test predicts from this; on a fresh platform it rests on a few minutes of orders.
    const learned = await storefrontValue("job:app_conversion:ratio_rate6h");
    const failedAt = Date.now();
    const caused = await causeIncident(incident, (component) => platform.url(component));
    log(
      `caused: ${caused.request}; conversion learned before it ${Number.isNaN(learned) ? `none yet (the baseline ends ${BASELINE_OFFSET} ago)` : `${(learned * 100).toFixed(2)}%`} (the demo mix's ${(DEMO_CONVERSION * 100).toFixed(2)}%)`,
    );
    await waitFor(() => firingIn("RevenueDropWhileHealthy"), {
      what: `RevenueDropWhileHealthy in Alertmanager after ${incident}`,
      timeoutMs: 300_000,
      intervalMs: 500,
    });
    const alert = (Date.now() - failedAt) / 1000;
    const predicted = await storefrontValue("job:app_orders_expected:observed60s");
    log(
      `RevenueDropWhileHealthy after ${alert.toFixed(0)} s (the last 60 s window's views predict ${Number.isNaN(predicted) ? "nothing yet" : `${predicted.toFixed(1)} orders`}); waiting for the rule it replaced…`,
    );
    let previous: number | undefined;
    try {
      await waitFor(() => firingIn(PREVIOUS_ALERT), {
        what: "the previous rule in Alertmanager",
        timeoutMs: Math.max(0, BASELINE_TIMEOUT_MS - (Date.now() - failedAt)),
        intervalMs: 1000,
      });
      previous = (Date.now() - failedAt) / 1000;
    } catch {
      previous = undefined;
    }
    return { alert, previous };
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    "time from each fault to the alert in Alertmanager (npm start, 5 s scrapes), one platform each",
  );
  const results = await Promise.allSettled(FAULTS.map(({ incident }) => detectionTime(incident)));
  const baselineSeconds = BASELINE_TIMEOUT_MS / 1000;
  console.log(
    "\n| fault | incident | RevenueDropWhileHealthy, s | the rule it replaced, s | × the rule it replaced |",
  );
  console.log("| --- | --- | ---: | ---: | ---: |");
  const verdicts: string[] = [];
  FAULTS.forEach(({ incident, fault }, i) => {
    const result = results[i] as PromiseSettledResult<Detection>;
    if (result.status === "rejected") {
      console.log(`| ${fault} | ${incident} | failed | | |`);
      verdicts.push(`${incident}: FAILED (${(result.reason as Error).message})`);
      process.exitCode = 1;
      return;
    }
    const { alert, previous } = result.value;
    console.log(
      `| ${fault} | ${incident} | ${alert.toFixed(0)} | ${previous ? previous.toFixed(0) : `> ${baselineSeconds}`} | ${previous ? (alert / previous).toFixed(2) : `< ${(alert / baselineSeconds).toFixed(2)}`} |`,
    );
    const met = alert <= GOAL_SECONDS;
    verdicts.push(`${incident}: ${met ? "met" : "MISSED"} (${alert.toFixed(0)} s)`);
    if (!met) process.exitCode = 1;
  });
  console.log(`\ngoal: within ${GOAL_SECONDS} s locally, each fault: ${verdicts.join("; ")}`);
}

await main();
