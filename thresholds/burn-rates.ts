/**
 * The multiwindow, multi-burn-rate pairs from the Google SRE workbook (30-day objective): the SLO alerts fire
 * on them and the Service RED dashboard colours its burn rate by the paging one.
 */
export const BURN_RATE_WINDOWS = [
  { severity: "critical", factor: 14.4, long: "1h", short: "5m" },
  { severity: "critical", factor: 6, long: "6h", short: "30m" },
  { severity: "warning", factor: 3, long: "1d", short: "2h" },
  { severity: "warning", factor: 1, long: "3d", short: "6h" },
] as const;

/** The burn rate at which the fast (paging) alert's first window pair fires. */
export const PAGING_BURN_RATE = BURN_RATE_WINDOWS[0].factor;
