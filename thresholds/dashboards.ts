/**
 * The dashboards' uids, titles and file names, declared once: the dashboards use them, their links to each
 * other use them, the alerts' `dashboard_uid` annotations (turned into Grafana links by the Telegram
 * message, alerts/alert-links.ts) use them, and so do the local runner's links and Grafana's home dashboard.
 */
export const DASHBOARD_UIDS = {
  overview: "platform-overview",
  red: "service-red",
  cost: "platform-cost",
} as const;

export type DashboardKey = keyof typeof DASHBOARD_UIDS;

export const DASHBOARD_TITLES: Record<DashboardKey, string> = {
  overview: "Platform overview",
  red: "Service RED",
  cost: "Cost",
};

/** Each dashboard's file in dashboards/ (what `npm run generate:dashboards` writes). */
export const DASHBOARD_FILE_NAMES: Record<DashboardKey, string> = {
  overview: "platform-overview.json",
  red: "service-red.json",
  cost: "cost.json",
};

/**
 * The long-term store's data source (Amazon Managed Service for Prometheus in a cluster, a second Prometheus on
 * `npm start`), provisioned with this uid in both places: the cost-history panels name it, where every other
 * panel follows the `${datasource}` variable.
 */
export const LONG_TERM_DATASOURCE = { uid: "long-term-store", name: "Long-term store" } as const;
