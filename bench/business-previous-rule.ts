// The rule RevenueDropWhileHealthy replaced (5-minute revenue below half its hourly average while traffic is
// normal), under its own name: the baseline the business benches measure the alert against, in the same run.
import { stringify } from "yaml";

export const PREVIOUS_ALERT = "RevenueDropWhileHealthyPrevious";

/** A rule file holding the replaced rule with the given `for:` (10m in the cluster, 30s locally). */
export const previousRule = (forDuration: string) =>
  stringify({
    groups: [
      {
        name: "previous-business-alert",
        rules: [
          {
            alert: PREVIOUS_ALERT,
            expr: `job:app_revenue_usd:rate5m < 0.5 * job:app_revenue_usd:rate5m_avg1h
and on (job) job:app_requests:rate5m > 0.7 * job:app_requests:rate5m_avg1h
and on (job) job:slo_availability_errors:ratio_rate5m < 0.05`,
            for: forDuration,
            labels: { severity: "critical" },
          },
        ],
      },
    ],
  });
