/**
 * The incidents `npm start -- --incident <name>` causes. Each sets the control of one component: the
 * storefront's simulation (what it answers: refusals, delays, errors) or the traffic generator's (what the
 * visitors do).
 */
import { DEFAULT_MIX, formatMix, type Mix } from "../services/traffic/src/mix.js";

/**
 * The components whose control an incident sets, and how: the endpoint, and what puts back the state found
 * before the incident (read from the same path with GET).
 */
export const CONTROLS = {
  storefront: {
    path: "/admin/simulation",
    /** PUT replaces the whole simulation: the one found before is put back. */
    restore: (before: Record<string, unknown>) => before,
    headers: (): Record<string, string> =>
      process.env.ADMIN_TOKEN ? { Authorization: `Bearer ${process.env.ADMIN_TOKEN}` } : {},
  },
  traffic: {
    path: "/control",
    /** PUT changes only the fields it names: theirs from before are put back. */
    restore: (before: Record<string, unknown>, changed: Record<string, unknown>) =>
      Object.fromEntries(Object.keys(changed).map((field) => [field, before[field]])),
    headers: (): Record<string, string> => ({}),
  },
} as const;
export type ControlledComponent = keyof typeof CONTROLS;

export interface Incident {
  /** The component whose control the incident sets. */
  component: ControlledComponent;
  /** The body of the PUT to that control. */
  settings: Record<string, unknown>;
  /** The alert it causes, and about when. */
  expect: string;
  /** How long `npm start` runs normally first, so the alerts have a normal level to compare against. */
  warmUpMs: number;
}

/** The demo's mix with no checkout at all: visitors browse in the same proportions and never buy. */
function mixWithoutCheckouts(): Mix {
  return { ...DEFAULT_MIX, checkout: 0 };
}

/** The usual warm-up: a minute of normal traffic before the incident. */
export const WARM_UP_MS = 60_000;

export const INCIDENTS = {
  "revenue-drop": {
    component: "storefront",
    settings: { checkout: { outOfStockRate: 1 } },
    expect: "RevenueDropWhileHealthy (within 90 seconds: every checkout refused as out of stock)",
    warmUpMs: WARM_UP_MS,
  },
  "payment-failure": {
    component: "storefront",
    settings: { checkout: { paymentFailureRate: 1 } },
    expect: "RevenueDropWhileHealthy (within 90 seconds: every payment declined while every page answers)",
    warmUpMs: WARM_UP_MS,
  },
  "checkout-unreachable": {
    component: "traffic",
    settings: { mix: formatMix(mixWithoutCheckouts()) },
    expect:
      "RevenueDropWhileHealthy (within 90 seconds: visitors browse on and not one reaches checkout, every page answering)",
    // The full-stop test predicts orders from the shop's conversion over 6 hours ending 3 minutes ago
    // (BASELINE_OFFSET in alerts/rules/business.ts), which here holds only the minutes since `npm start`:
    // after one minute there is no baseline yet; after five it holds about 50 orders, enough that the
    // shortest window's prediction reaches what the test requires in all but a few fresh runs
    // (`npm run bench -- business.bench` logs the conversion it learned and the prediction it paged on).
    warmUpMs: 5 * WARM_UP_MS,
  },
  "slow-checkout": {
    component: "storefront",
    settings: { checkout: { delayMs: { min: 1200, max: 2000 } } },
    expect: "LatencyBudgetBurnFast (about a minute)",
    warmUpMs: WARM_UP_MS,
  },
  errors: {
    component: "storefront",
    settings: { checkout: { errorRate: 0.6 }, products: { errorRate: 0.6 } },
    expect: "AvailabilityBudgetBurnFast (about a minute)",
    warmUpMs: WARM_UP_MS,
  },
} as const satisfies Record<string, Incident>;
export type IncidentName = keyof typeof INCIDENTS;

export function isIncident(name: string): name is IncidentName {
  return Object.hasOwn(INCIDENTS, name);
}

/** An incident in progress: the request that caused it, and how to undo it. */
export interface CausedIncident {
  /** `PUT <url> <body>`: what was sent. */
  request: string;
  /** A command a person can paste to undo it. */
  undoCommand: string;
  /** Puts back the control's state from before the incident. */
  undo(): Promise<void>;
}

async function controlRequest(
  component: ControlledComponent,
  url: string,
  method: "GET" | "PUT",
  body?: unknown,
): Promise<Record<string, unknown>> {
  const { path, headers } = CONTROLS[component];
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers(), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok)
    throw new Error(`${method} ${path} on ${component} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Causes an incident now (no warm-up) by setting its component's control; `urlOf` gives a component's base
 * URL (`platform.url`). Reads the control's state first, so `undo` puts back what was there.
 */
export async function causeIncident(
  name: IncidentName,
  urlOf: (component: ControlledComponent) => string,
): Promise<CausedIncident> {
  const { component, settings } = INCIDENTS[name] as Incident;
  const url = urlOf(component);
  const before = await controlRequest(component, url, "GET");
  await controlRequest(component, url, "PUT", settings);
  const restore = CONTROLS[component].restore(before, settings);
  return {
    request: `PUT ${url}${CONTROLS[component].path} ${JSON.stringify(settings)}`,
    undoCommand: `curl -X PUT -H 'Content-Type: application/json' -d '${JSON.stringify(restore)}' ${url}${CONTROLS[component].path}`,
    undo: async () => {
      await controlRequest(component, url, "PUT", restore);
    },
  };
}
