import { num, percent } from "../../thresholds/units";
import type { RuleGroupBuilder } from "./rule";

/** Checkouts the storefront turned away although the order was valid: what a customer could not buy. */
export const REFUSED_OUTCOMES = ["out_of_stock", "payment_failed"] as const;
const refused = REFUSED_OUTCOMES.join("|");

/**
 * The windows the orders are counted over against what the product views predict: a short one that tells a
 * stop from chance within minutes, a longer one that sees a partial drop.
 */
export const SHORTFALL_WINDOWS = ["3m", "10m"] as const;

/**
 * The windows of the full-stop test, every scrape interval of the cluster from 60 s to 120 s: no order at all
 * in one of them while the product views of the span it observed predict enough of them. Together they
 * approximate "the silence since the last order predicts N orders", so a busy shop pages after the shortest
 * window that predicts N (the false rates: alerts/README.md, "How RevenueDropWhileHealthy's numbers were chosen").
 */
export const FULL_STOP_WINDOWS = ["60s", "75s", "90s", "105s", "120s"] as const;

/**
 * The window of the worthless-orders test. Every real order is worth something, so the window needs only
 * enough orders, not a baseline, and a shorter one sees a worthless order sooner (alerts/README.md, as above).
 */
export const WORTHLESS_ORDERS_WINDOW = "45s";

/**
 * Where the shop's baseline (its 6-hour conversion and order value) ends: before the windows the fast tests
 * look at (3 minutes at most), so a stop, refusals or worthless orders being tested are not part of the
 * normal they are tested against, which matters most in the few minutes a fresh Prometheus has.
 */
export const BASELINE_OFFSET = "3m";

/**
 * The orders the part of the baseline that ends BASELINE_OFFSET ago must hold before it is used. Until then
 * (the first minutes of a fresh Prometheus) the baseline is all the history up to now: the same samples the
 * tests' windows hold, so it cannot disagree with them, as a baseline of a few seconds could.
 */
export const MIN_BASELINE_ORDERS = 30;

const ACCEPTED = 'app_checkouts_total{outcome="accepted"}';

/**
 * `numerator / denominator` per job over the 6 hours that end BASELINE_OFFSET ago once those hold
 * MIN_BASELINE_ORDERS orders, else over the 6 hours up to now.
 */
const baselineRatio = (numerator: string, denominator: string) => `(
  sum by (job) (rate(${numerator}[6h] offset ${BASELINE_OFFSET}))
  /
  (sum by (job) (rate(${denominator}[6h] offset ${BASELINE_OFFSET})) > 0)
  and on (job)
  sum by (job) (increase(${ACCEPTED}[6h] offset ${BASELINE_OFFSET})) >= ${MIN_BASELINE_ORDERS}
)
or
(
  sum by (job) (rate(${numerator}[6h]))
  /
  (sum by (job) (rate(${denominator}[6h])) > 0)
)`;

/** "60 to 120" from ["60s", …, "120s"]: the windows as the alert's description names them. */
const secondsRange = (windows: readonly string[]) =>
  `${windows[0]?.replace(/s$/, "")} to ${windows.at(-1)?.replace(/s$/, "")}`;

/** Requests, revenue and checkouts per job, and each series' own recent level. */
export const businessRecording: RuleGroupBuilder = () => ({
  name: "business-recording",
  rules: [
    { record: "job:app_requests:rate5m", expr: "sum by (job) (rate(app_requests_total[5m]))" },
    { record: "job:app_revenue_usd:rate5m", expr: "sum by (job) (rate(app_revenue_total[5m]))" },
    {
      record: "job:app_checkouts:rate5m",
      expr: "sum by (job) (rate(app_checkouts_total[5m]))",
    },
    {
      record: "job:app_checkout_success:ratio_rate5m",
      expr: `sum by (job) (rate(app_checkouts_total{outcome="accepted"}[5m]) or rate(app_checkouts_total[5m]) * 0)
/
sum by (job) (rate(app_checkouts_total[5m]))`,
    },
    // Platform-wide: what the long-term store keeps (alerts/long-term-store.ts) to set a month's cost against.
    { record: "platform:app_requests:rate5m", expr: "sum(job:app_requests:rate5m)" },
    { record: "platform:app_revenue_usd:rate5m", expr: "sum(job:app_revenue_usd:rate5m)" },
    { record: "platform:app_orders:rate5m", expr: `sum(rate(${ACCEPTED}[5m]))` },
    // Each series' own recent level: the baseline "normal" is measured against.
    { record: "job:app_requests:rate5m_avg1h", expr: "avg_over_time(job:app_requests:rate5m[1h])" },
    {
      record: "job:app_revenue_usd:rate5m_avg1h",
      expr: "avg_over_time(job:app_revenue_usd:rate5m[1h])",
    },
    // Conversion: orders per product view over 6 hours ending BASELINE_OFFSET ago, the shop's own baseline.
    {
      record: "job:app_conversion:ratio_rate6h",
      expr: baselineRatio(ACCEPTED, "app_product_views_total"),
    },
    ...[...SHORTFALL_WINDOWS, ...FULL_STOP_WINDOWS].map((window) => ({
      record: `job:app_orders:increase${window}`,
      expr: `sum by (job) (increase(app_checkouts_total{outcome="accepted"}[${window}]))`,
    })),
    // The orders this window's product views would have brought at the baseline conversion.
    ...SHORTFALL_WINDOWS.map((window) => ({
      record: `job:app_orders_expected:increase${window}`,
      expr: `sum by (job) (increase(app_product_views_total[${window}]))
* on (job) job:app_conversion:ratio_rate6h`,
    })),
    // The same over the span the window observed, which is all a window without an order proves silent:
    // increase() extrapolates to the whole window, but n evenly spaced samples span (n-1)/n of it under
    // Prometheus 3's left-open ranges (45 of 60 s at 15 s scrapes), and a little less than the span under
    // 2.42's closed ones (48 of 60 s when a sample sits on each end), the side that pages later, never
    // falsely. Any scrape interval: n is counted, not assumed.
    ...FULL_STOP_WINDOWS.map((window) => ({
      record: `job:app_orders_expected:observed${window}`,
      expr: `sum by (job) (
  increase(app_product_views_total[${window}])
  * (count_over_time(app_product_views_total[${window}]) - 1)
  / count_over_time(app_product_views_total[${window}])
)
* on (job) job:app_conversion:ratio_rate6h`,
    })),
    // What an order is usually worth (6 h ending BASELINE_OFFSET ago), and the last 45 seconds' orders and
    // revenue: orders that keep being accepted while they bring in nothing are a shop that stopped selling with
    // every answer a 201.
    {
      record: "job:app_revenue_per_order:ratio_rate6h",
      expr: baselineRatio("app_revenue_total", ACCEPTED),
    },
    {
      record: `job:app_orders:increase${WORTHLESS_ORDERS_WINDOW}`,
      expr: `sum by (job) (increase(app_checkouts_total{outcome="accepted"}[${WORTHLESS_ORDERS_WINDOW}]))`,
    },
    {
      record: `job:app_revenue_usd:increase${WORTHLESS_ORDERS_WINDOW}`,
      expr: `sum by (job) (increase(app_revenue_total[${WORTHLESS_ORDERS_WINDOW}]))`,
    },
    {
      // Valid checkout attempts of the last minute (what a customer tried to buy) and those turned away.
      record: "job:app_checkouts_placed:increase1m",
      expr: `sum by (job) (increase(app_checkouts_total{outcome=~"accepted|${refused}"}[1m]))`,
    },
    {
      record: "job:app_checkouts_refused:increase1m",
      expr: `sum by (job) (increase(app_checkouts_total{outcome=~"${refused}"}[1m]))`,
    },
  ],
});

/**
 * A shop that answers but does not sell, paged within minutes and never on traffic alone. Four tests, each
 * with its own guard against chance: checkouts refused (at least a share of the last minute's attempts, and
 * at least a count, so a quiet night's single refusal pages nobody), orders missing (fewer than the
 * product views predict at the shop's own conversion by more than a number of standard deviations, a test
 * that scales with traffic and cannot fire while too few orders are expected), orders stopped (not one in
 * one of the last 60 to 120 seconds while the product views of the span it observed predict at least a set
 * number, which pages a full stop before the 3-minute shortfall can; alerts/README.md has the false rates),
 * or orders worth nothing (45 seconds of accepted orders that brought in under 1% of what orders are usually
 * worth: a pricing or payment-capture fault with every checkout answered 201; order values vary too much for
 * a smaller drop to be told from chance in minutes). All only while 5xx errors are normal: a failing shop is the availability
 * alerts' page. The value is the share of sales lost.
 */
export const businessAlerts: RuleGroupBuilder = ({ thresholds: { business } }) => ({
  name: "business-alerts",
  rules: [
    {
      alert: "RevenueDropWhileHealthy",
      expr: `(
  (
    job:app_checkouts_refused:increase1m / job:app_checkouts_placed:increase1m >= ${num(business.refusedCheckoutShare)}
    and on (job)
    job:app_checkouts_refused:increase1m >= ${num(business.minRefusedCheckouts)}
  )
${SHORTFALL_WINDOWS.map(
  (w) => `  or on (job)
  (
    1 - job:app_orders:increase${w} / job:app_orders_expected:increase${w}
    and on (job)
    job:app_orders:increase${w}
      < job:app_orders_expected:increase${w} - ${num(business.orderShortfallSigmas)} * sqrt(job:app_orders_expected:increase${w})
  )
`,
).join("")}${FULL_STOP_WINDOWS.map(
  (w) => `  or on (job)
  (
    1 - job:app_orders:increase${w} / job:app_orders_expected:observed${w}
    and on (job)
    job:app_orders:increase${w} == 0
    and on (job)
    job:app_orders_expected:observed${w} >= ${num(business.minPredictedOrdersForFullStop)}
  )
`,
).join("")}  or on (job)
  (
    1 - job:app_revenue_usd:increase${WORTHLESS_ORDERS_WINDOW} / (job:app_orders:increase${WORTHLESS_ORDERS_WINDOW} * on (job) job:app_revenue_per_order:ratio_rate6h)
    and on (job)
    job:app_orders:increase${WORTHLESS_ORDERS_WINDOW} >= ${num(business.minOrdersWorthNothing)}
    and on (job)
    job:app_revenue_usd:increase${WORTHLESS_ORDERS_WINDOW} < 0.01 * job:app_orders:increase${WORTHLESS_ORDERS_WINDOW} * on (job) job:app_revenue_per_order:ratio_rate6h
  )
)
and on (job)
job:slo_availability_errors:ratio_rate5m < ${num(business.errorRatioNormal)}`,
      // One more evaluation in the cluster, three locally, before a page: a chance silence must last that much
      // longer, and the shortfall tests' 4-sigma clauses must hold at two evaluations instead of one.
      for: "15s",
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $labels.job }} answers but does not sell",
        description: `{{ $labels.job }} loses {{ $value | humanizePercentage }} of its sales while fewer than ${percent(business.errorRatioNormal)} of requests fail: at least ${percent(business.refusedCheckoutShare)} (and ${business.minRefusedCheckouts} or more) of the last minute's checkouts were refused as out of stock or payment failed, or the last 3 or 10 minutes brought far fewer orders than their product views predict at the conversion of the 6 hours before the last 3 minutes (by more than ${business.orderShortfallSigmas} standard deviations), or not one order came in one of the last ${secondsRange(FULL_STOP_WINDOWS)} seconds while the product views of the span that window observed predict ${business.minPredictedOrdersForFullStop} or more, or the last ${WORTHLESS_ORDERS_WINDOW.replace(/s$/, "")} seconds' ${business.minOrdersWorthNothing} or more orders brought in next to nothing. Stock, payment, pricing or a checkout that customers cannot reach.`,
        value: "{{ $value | humanizePercentage }} of sales lost",
      },
    },
  ],
});
