/**
 * The dashboards' uids and titles, declared once: the dashboards use them, their links to each other use
 * them, and the alerts' `dashboard_uid` annotations (turned into Grafana links by the Telegram message) use
 * them.
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
