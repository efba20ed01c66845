// The demo's traffic as the storefront would count it, scrape by scrape, fed to the real business rules
// through promtool: what bench/business-rules.bench.ts measures false alerts and times to page with.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { requireTool } from "@platform/testkit";
import { stringify } from "yaml";
import { CATALOG } from "../services/storefront/src/catalog.js";
import { pickBasket } from "../services/traffic/src/basket.js";
import { DEFAULT_BAD_CHECKOUT_RATE, DEFAULT_RATE } from "../services/traffic/src/config.js";
import { DEFAULT_MIX, pickKind } from "../services/traffic/src/mix.js";
import { mulberry32 } from "../services/traffic/src/random.js";
import { shapeMultiplier } from "../services/traffic/src/shape.js";
import { previousRule } from "./business-previous-rule.js";

const run = promisify(execFile);
const ALERTS_DIR = join(import.meta.dirname, "..", "alerts");

/** A Prometheus configuration: how often the storefront is scraped and the rules evaluated. */
export interface Config {
  name: string;
  scrapeSeconds: number;
  evalSeconds: number;
  /** the `for:` the configuration gives the replaced rule */
  previousFor: string;
  /** the bench's goal: every fault pages within this many seconds, for every seed */
  goalSeconds: number;
}

export const CONFIGS: Config[] = [
  { name: "cluster", scrapeSeconds: 15, evalSeconds: 30, previousFor: "10m", goalSeconds: 180 },
  { name: "local", scrapeSeconds: 5, evalSeconds: 5, previousFor: "30s", goalSeconds: 90 },
];

/**
 * The silent failures RevenueDropWhileHealthy is for, as what happens to each valid checkout from the
 * fault on (every request still answered, no 5xx).
 */
export const FAULTS = {
  /** no checkout arrives at all (a Buy button that broke): views go on, orders stop */
  "full stop": "gone",
  /** every valid checkout answered 409 out of stock */
  refusals: "out_of_stock",
  /** every valid checkout answered 402 payment failed */
  "payment declined": "payment_failed",
  /** every order accepted (201) at $0: a pricing or payment-capture fault */
  "orders worth nothing": "free",
} as const;
export type Fault = keyof typeof FAULTS;

/** The demo's valid checkouts a minute at its steady rate: its orders while nothing is wrong. */
export const DEMO_ORDERS_PER_MINUTE =
  DEFAULT_RATE * DEFAULT_MIX.checkout * (1 - DEFAULT_BAD_CHECKOUT_RATE) * 60;
/** Orders per product view the demo's mix makes: what the conversion learned before a fault tends to. */
export const DEMO_CONVERSION = (DEFAULT_MIX.checkout * (1 - DEFAULT_BAD_CHECKOUT_RATE)) / DEFAULT_MIX.product;

/** An hour of the usual before anything happens: the rules' 1-hour averages and conversion settle. */
export const WARM_UP_SECONDS = 60 * 60;

export type Scenario =
  | { kind: "dip and surge" }
  | { kind: "steady"; durationSeconds: number }
  | { kind: "fault"; fault: Fault /** seconds after the warm-up */; at: number; durationSeconds: number };

/**
 * The demo's rate (the traffic generator's DEFAULT_RATE, with the dip-and-surge shape's multiplier, else
 * steady), each request drawn from the demo mix,
 * checkouts from its baskets (3% deliberately bad); a fault changes the valid checkouts from its instant on.
 */
export function simulate(seed: number, scrapeSeconds: number, scenario: Scenario) {
  const random = mulberry32(seed);
  const products = CATALOG.map((p) => ({ id: p.id, price: p.priceCents / 100 }));
  const cents = new Map(CATALOG.map((p) => [p.id, p.priceCents]));
  const after = scenario.kind === "dip and surge" ? 30 * 60 : scenario.durationSeconds;
  const steps = Math.ceil((WARM_UP_SECONDS + after) / scrapeSeconds);
  const totals = {
    views: 0,
    pages: 0,
    orders: 0,
    invalid: 0,
    outOfStock: 0,
    paymentFailed: 0,
    revenueCents: 0,
  };
  const series: Record<keyof typeof totals, number[]> = {
    views: [0],
    pages: [0],
    orders: [0],
    invalid: [0],
    outOfStock: [0],
    paymentFailed: [0],
    revenueCents: [0],
  };
  let owed = 0;
  for (let step = 1; step <= steps; step++) {
    const t = step * scrapeSeconds - WARM_UP_SECONDS;
    // Dip and surge: 0-15 min the dip shape (halved from 5 to 10 min); 15-30 min the surge (doubled 20-25).
    const multiplier =
      scenario.kind !== "dip and surge" || t <= 0
        ? 1
        : t < 900
          ? shapeMultiplier("dip", 900_000, t * 1000, 0)
          : shapeMultiplier("surge", 900_000, (t - 900) * 1000, 0);
    owed += DEFAULT_RATE * multiplier * scrapeSeconds;
    const requests = Math.floor(owed);
    owed -= requests;
    for (let i = 0; i < requests; i++) {
      // Requests spread evenly over the scrape interval, so a fault can start between two scrapes.
      const at = t - scrapeSeconds + ((i + 1) / (requests + 1)) * scrapeSeconds;
      const fault = scenario.kind === "fault" && at >= scenario.at ? FAULTS[scenario.fault] : undefined;
      const kind = pickKind(DEFAULT_MIX, random);
      if (kind === "page") totals.pages++;
      else if (kind === "product") totals.views++;
      else if (fault === "gone") continue;
      else if (random() < DEFAULT_BAD_CHECKOUT_RATE) totals.invalid++;
      else if (fault === "out_of_stock") totals.outOfStock++;
      else if (fault === "payment_failed") totals.paymentFailed++;
      else {
        totals.orders++;
        const basket = pickBasket(random, products);
        if (fault !== "free")
          for (const line of basket) totals.revenueCents += (cents.get(line.productId) ?? 0) * line.quantity;
      }
    }
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) series[key].push(totals[key]);
  }
  return series;
}

/**
 * The evaluations (seconds since the start of the series) at which each alert fired, from promtool's
 * failures of "no alert here" at every evaluation from `from` to `to` (seconds after the warm-up).
 */
export async function firingTimes(
  config: Config,
  series: ReturnType<typeof simulate>,
  window: { from: number; to: number },
  scratch: string,
): Promise<(alertname: string) => number[]> {
  const promtool = await requireTool("promtool");
  const dir = mkdtempSync(join(scratch, `${config.name}-`));
  for (const file of ["slo.rules.yml", "business.rules.yml"]) {
    writeFileSync(join(dir, file), readFileSync(join(ALERTS_DIR, file), "utf8"));
  }
  writeFileSync(join(dir, "previous.rules.yml"), previousRule(config.previousFor));
  const values = (points: number[], scale = 1) =>
    points.map((v) => String(Math.round((v / scale) * 100) / 100)).join(" ");
  const labels = 'job="storefront",instance="shop:8080"';
  const checkout = (outcome: string, status: string, points: number[]) => [
    { series: `app_checkouts_total{${labels},outcome="${outcome}"}`, values: values(points) },
    {
      series: `app_requests_total{${labels},method="POST",endpoint="/api/checkout",status="${status}"}`,
      values: values(points),
    },
  ];
  const input = [
    { series: `app_product_views_total{${labels}}`, values: values(series.views) },
    { series: `app_revenue_total{${labels}}`, values: values(series.revenueCents, 100) },
    {
      series: `app_requests_total{${labels},method="GET",endpoint="/",status="200"}`,
      values: values(series.pages.map((p, i) => p + (series.views[i] ?? 0))),
    },
    ...checkout("accepted", "201", series.orders),
    ...checkout("invalid", "400", series.invalid),
    ...checkout("out_of_stock", "409", series.outOfStock),
    ...checkout("payment_failed", "402", series.paymentFailed),
  ];
  const checks = [];
  const first = Math.ceil((WARM_UP_SECONDS + window.from) / config.evalSeconds) * config.evalSeconds;
  for (let t = first; t <= WARM_UP_SECONDS + window.to; t += config.evalSeconds) {
    checks.push({ expr: 'ALERTS{alertstate="firing"}', eval_time: `${t}s`, exp_samples: [] });
  }
  const file = join(dir, "scenario.test.yml");
  writeFileSync(
    file,
    stringify({
      rule_files: ["slo.rules.yml", "business.rules.yml", "previous.rules.yml"],
      evaluation_interval: `${config.evalSeconds}s`,
      tests: [{ interval: `${config.scrapeSeconds}s`, input_series: input, promql_expr_test: checks }],
    }),
  );
  const output = await run(promtool, ["test", "rules", file], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => stdout + stderr,
    (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ""}${err.stderr ?? ""}`,
  );
  if (!output.includes("SUCCESS") && !output.includes("FAILED")) throw new Error(`promtool: ${output}`);
  // Each failure names its evaluation time and what fired.
  const failures = [...output.matchAll(/time: ([^,]+),\s+exp: nil\s+got: ([^\n]+)/g)];
  return (alertname) =>
    failures
      .filter((m) => (m[2] ?? "").includes(`alertname="${alertname}"`))
      .map((m) => toSeconds(m[1] ?? ""))
      .sort((a, b) => a - b);
}

/** Firing episodes: runs of consecutive evaluations. */
export const episodes = (seconds: number[], evalSeconds: number) =>
  seconds.filter((s, i) => i === 0 || s - (seconds[i - 1] ?? 0) > evalSeconds).length;

/** promtool prints times as Go durations: 1h30m15s. */
function toSeconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) {
    total += Number(n) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  }
  return total;
}
