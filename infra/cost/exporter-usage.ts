import { exact, type Money } from "@platform/prices";
import type { CostConfigInput, PricedInput } from "pulumi-cost";
import { catalogue } from "../../catalogue/services";
import { loadCostExporterConfig } from "../../services/cost-exporter/src/config";
import { planRefresh } from "../../services/cost-exporter/src/requests";

/**
 * The cost exporter's own paid Cost Explorer requests, as the engine's `resourceUsage`: from the settings the
 * program gives its Deployment, refreshes a month (730 h ÷ REFRESH_INTERVAL) × the requests one refresh makes
 * (the exporter's own `planRefresh`: by service, by the COST_TAG_KEY tag when set, the forecast) × pages per
 * request (usage.yaml `costExplorer.pagesPerRequest`), capped by DAILY_REQUEST_CAP; none in demo mode.
 */
const COST_EXPORTER = catalogue.find((service) => service.name === "cost-exporter")?.name ?? "cost-exporter";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HOUR_MS = 3_600_000;
const ITEM = "Cost Explorer API requests (cost exporter)";

type Entry = NonNullable<CostConfigInput["resourceUsage"]>[number];

function containerEnv(deployment: PricedInput): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  const containers = (
    deployment.inputs.spec as { template?: { spec?: { containers?: unknown[] } } } | undefined
  )?.template?.spec?.containers;
  for (const container of Array.isArray(containers) ? containers : []) {
    const entries = (container as { env?: unknown }).env;
    for (const entry of Array.isArray(entries) ? entries : []) {
      const { name, value } = entry as { name?: unknown; value?: unknown };
      if (typeof name === "string" && typeof value === "string") env[name] = value;
    }
  }
  return env;
}

/** The exporter's Deployment, when the resource is it (named as the catalogue names the service). */
export function isCostExporter(resource: PricedInput): boolean {
  const metadata = resource.inputs.metadata as { name?: unknown } | undefined;
  return resource.type === DEPLOYMENT && (metadata?.name ?? resource.name) === COST_EXPORTER;
}

function charges(
  env: Record<string, string>,
  hours: Money,
  monthStart: Date,
  pages: Money,
): Entry | undefined {
  if (env.COST_EXPORTER_MODE === "demo") return undefined;
  let config: ReturnType<typeof loadCostExporterConfig>;
  try {
    config = loadCostExporterConfig(env);
  } catch (error) {
    return {
      resource: "",
      charges: [{ item: ITEM, price: "costExplorerApiRequest" }],
      notes: [`the cost exporter would refuse its settings: ${(error as Error).message}`],
    };
  }
  const intervalMs = config.REFRESH_INTERVAL;
  const interval = env.REFRESH_INTERVAL ?? `${intervalMs / HOUR_MS}h (its default)`;
  const plan = planRefresh(monthStart.getTime(), {
    costBasis: config.COST_BASIS,
    historyDays: config.HISTORY_DAYS,
    tagKey: config.COST_TAG_KEY || undefined,
  });
  const perRefresh = 1 + (plan.costByTag ? 1 : 0) + (plan.forecast ? 1 : 0);
  const refreshes = hours.times(HOUR_MS).dividedBy(intervalMs);
  const uncapped = refreshes.times(perRefresh).times(pages);
  const cap = config.DAILY_REQUEST_CAP;
  const capped = cap > 0 ? exact(cap).times(hours).dividedBy(24) : undefined;
  const quantity = capped?.lessThan(uncapped)
    ? [{ amount: capped.toFixed(), label: `requests (DAILY_REQUEST_CAP ${cap} a day × 730 h ÷ 24 h)` }]
    : [
        { amount: refreshes.toFixed(), label: `refreshes (730 h ÷ REFRESH_INTERVAL ${interval})` },
        { amount: String(perRefresh), label: "requests" },
        { amount: pages.toFixed(), label: pages.equals(1) ? "page" : "pages" },
      ];
  return {
    resource: "",
    charges: [
      {
        item: ITEM,
        price: "costExplorerApiRequest",
        name: "Cost Explorer requests",
        quantity,
        quantityUnit: "requests",
        basis: "the cost exporter's REFRESH_INTERVAL, COST_TAG_KEY, DAILY_REQUEST_CAP",
      },
    ],
    notes: [],
  };
}

/**
 * The exporter's charges on each side of a change where its Deployment is (one entry for both sides when
 * they agree), as configuration entries for the engine.
 */
export function costExporterUsage(
  sides: { side: "before" | "after"; resource: PricedInput }[],
  {
    hours,
    monthStart,
    pagesPerRequest,
  }: { hours: Money; monthStart: Date; pagesPerRequest: Money | undefined },
): Entry[] {
  const bySide = sides
    .filter(({ resource }) => isCostExporter(resource))
    .map(({ side, resource }) => {
      const entry = charges(containerEnv(resource), hours, monthStart, pagesPerRequest ?? exact(1));
      return entry && { ...entry, resource: resource.name, type: DEPLOYMENT, side };
    })
    .filter((entry) => entry !== undefined);
  const [first, second] = bySide;
  const same = (a: Entry, b: Entry) =>
    a.resource === b.resource &&
    JSON.stringify([a.charges, a.notes]) === JSON.stringify([b.charges, b.notes]);
  if (bySide.length === 2 && first && second && same(first, second)) {
    const { side: _side, ...both } = first;
    return [both];
  }
  return bySide;
}
