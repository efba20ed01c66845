/** The incidents `npm start -- --incident <name>` causes, as storefront simulation settings. */

/** The storefront simulation settings (PUT /admin/simulation) that cause each incident. */
export const INCIDENTS = {
  "revenue-drop": {
    simulation: { checkout: { outOfStockRate: 1 } },
    expect: "RevenueDropWhileHealthy (within 90 seconds: every checkout refused as out of stock)",
  },
  "payment-failure": {
    simulation: { checkout: { paymentFailureRate: 1 } },
    expect: "RevenueDropWhileHealthy (within 90 seconds: every payment declined while every page answers)",
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

export function isIncident(name: string): name is IncidentName {
  return Object.hasOwn(INCIDENTS, name);
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
