/** PromQL fragments more than one panel uses. */

/** Grafana's rate window: several scrapes whatever the scrape interval. */
export const RI = "$__rate_interval";

/** The dashboard's `job` variable (multi-value safe). */
export const JOB = 'job=~"$job"';

export const requestRate = (selector: string) => `rate(app_requests_total{${selector}}[${RI}])`;

/** 5xx over all; `or … * 0` makes a service that never failed show 0 instead of no data. */
export const errorRatio = (by: string, selector: string) =>
  `sum by (${by}) (${requestRate(`${selector},status=~"5.."`)} or ${requestRate(selector)} * 0)\n/\nsum by (${by}) (${requestRate(selector)})`;

export const latencyQuantile = (q: number, by: string, selector: string) =>
  `histogram_quantile(${q}, sum by (${by}, le) (rate(app_request_duration_seconds_bucket{${selector}}[${RI}])))`;
