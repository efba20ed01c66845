import { DASHBOARD_UIDS } from "../../dashboards/src/uids";
import { num, percent, type RuleGroupBuilder } from "./rule";

/** Checkouts the storefront turned away although the order was valid: what a customer could not buy. */
export const REFUSED_OUTCOMES = ["out_of_stock", "payment_failed"] as const;
const refused = REFUSED_OUTCOMES.join("|");

/**
 * The windows the orders are counted over against what the product views predict: a short one that tells a
 * stop from chance within minutes, a longer one that sees a partial drop.
 */
export const SHORTFALL_WINDOWS = ["3m", "10m"] as const;

/**
 * The windows of the full-stop test: no order at all in one of them while its product views predict enough
 * of them. Together they approximate "the silence since the last order predicts N orders" in steps: a busy
 * shop pages after the shortest window that predicts N, the demo's 8-9 orders a minute after 75 s (90 s
 * when its views run low), a quieter shop not at all (the shortfall tests' case). The chance of a false page
 * stays e^-N per silence whichever window sees it. The longest is the 90 s the test had with one window.
 */
export const FULL_STOP_WINDOWS = ["60s", "75s", "90s"] as const;

/**
 * The window of the worthless-orders test. Every real order is worth something, so the window needs only
 * enough orders, not a baseline: 45 s holds at least 3 scrapes at 15 s (2 in the worst alignment on
 * Prometheus 3's left-open ranges) and 6 of the demo's orders, and a worthless order is in it 15 s sooner
 * than in a minute.
 */
export const WORTHLESS_ORDERS_WINDOW = "45s";

/** "60, 75 or 90" from ["60s", "75s", "90s"]: windows as the alert's description names them. */
const seconds = (windows: readonly string[]) =>
  windows
    .map((w) => w.replace(/s$/, ""))
    .join(", ")
    .replace(/, (?=[^,]*$)/, " or ");

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
    // Each series' own recent level: the baseline "normal" is measured against.
    { record: "job:app_requests:rate5m_avg1h", expr: "avg_over_time(job:app_requests:rate5m[1h])" },
    {
      record: "job:app_revenue_usd:rate5m_avg1h",
      expr: "avg_over_time(job:app_revenue_usd:rate5m[1h])",
    },
    // Conversion: orders per product view over the last 6 hours, the shop's own baseline (long enough that a
    // drop of the last minutes hardly moves it).
    {
      record: "job:app_conversion:ratio_rate6h",
      expr: `sum by (job) (rate(app_checkouts_total{outcome="accepted"}[6h]))
/
(sum by (job) (rate(app_product_views_total[6h])) > 0)`,
    },
    ...[...SHORTFALL_WINDOWS, ...FULL_STOP_WINDOWS].flatMap((window) => [
      {
        record: `job:app_orders:increase${window}`,
        expr: `sum by (job) (increase(app_checkouts_total{outcome="accepted"}[${window}]))`,
      },
      {
        // The orders this window's product views would have brought at the baseline conversion.
        record: `job:app_orders_expected:increase${window}`,
        expr: `sum by (job) (increase(app_product_views_total[${window}]))
* on (job) job:app_conversion:ratio_rate6h`,
      },
    ]),
    // What an order is usually worth (6 h), and the last 45 seconds' orders and revenue: orders that keep being
    // accepted while they bring in nothing are a shop that stopped selling with every answer a 201.
    {
      record: "job:app_revenue_per_order:ratio_rate6h",
      expr: `sum by (job) (rate(app_revenue_total[6h]))
/
(sum by (job) (rate(app_checkouts_total{outcome="accepted"}[6h])) > 0)`,
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
 * the last 60, 75 or 90 seconds while that window's product views predict at least a set number: the chance of that in a
 * healthy shop is e^-N, and it pages a full stop a minute or two before the 3-minute shortfall can), or
 * orders worth nothing (45
 * seconds of accepted orders that brought in under 1% of what orders are usually worth: a pricing or
 * payment-capture fault with every checkout answered 201; order values vary too much for a smaller drop to
 * be told from chance in minutes). All only while 5xx errors are normal: a failing shop is the availability
 * alerts' page. The value is the share of sales lost.
 */
export const businessAlerts: RuleGroupBuilder = ({ settings: { business }, runbook }) => ({
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
    1 - job:app_orders:increase${w} / job:app_orders_expected:increase${w}
    and on (job)
    job:app_orders:increase${w} == 0
    and on (job)
    job:app_orders_expected:increase${w} >= ${num(business.minPredictedOrdersForFullStop)}
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
      // No `for:`: each test carries its own guard against chance, and a `for:` would only add an evaluation
      // (30 s in the cluster, 15 s locally) to every page.
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $labels.job }} answers but does not sell",
        description: `{{ $labels.job }} loses {{ $value | humanizePercentage }} of its sales while fewer than ${percent(business.errorRatioNormal)} of requests fail: at least ${percent(business.refusedCheckoutShare)} (and ${business.minRefusedCheckouts} or more) of the last minute's checkouts were refused as out of stock or payment failed, or the last 3 or 10 minutes brought far fewer orders than their product views predict at the last 6 hours' conversion (by more than ${business.orderShortfallSigmas} standard deviations), or not one order came in the last ${seconds(FULL_STOP_WINDOWS)} seconds while their product views predict ${business.minPredictedOrdersForFullStop} or more, or the last ${seconds([WORTHLESS_ORDERS_WINDOW])} seconds' ${business.minOrdersWorthNothing} or more orders brought in next to nothing. Stock, payment, pricing or a checkout that customers cannot reach.`,
        value: "{{ $value | humanizePercentage }} of sales lost",
        runbook_url: runbook("RevenueDropWhileHealthy"),
        dashboard_uid: DASHBOARD_UIDS.overview,
      },
    },
  ],
});
