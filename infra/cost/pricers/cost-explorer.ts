import { exact, type Money } from "@platform/prices";
import { loadCostExporterConfig } from "../../../services/cost-exporter/src/config";
import { planRefresh } from "../../../services/cost-exporter/src/requests";
import { component } from "../components";
import { arrayAt, type PricedInput, stringAt } from "../inputs";
import { PriceSheet, type PricingContext, type ResourcePrice } from "./types";

/** The catalogue's name for the cost exporter, which is also its Deployment's name. */
export const COST_EXPORTER = "cost-exporter";
const HOUR_MS = 3_600_000;

function containerEnv(deployment: PricedInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const container of arrayAt(deployment.inputs, "spec.template.spec.containers") ?? []) {
    for (const entry of arrayAt(container, "env") ?? []) {
      const name = stringAt(entry, "name");
      const value = stringAt(entry, "value");
      if (name && value !== undefined) env[name] = value;
    }
  }
  return env;
}

/**
 * The cost exporter's own paid Cost Explorer requests, from the settings the program gives its Deployment:
 * refreshes a month (730 h ÷ REFRESH_INTERVAL) × the requests one refresh makes (the exporter's own
 * `planRefresh`: by service, by the COST_TAG_KEY tag when set, the forecast) × pages per request (usage
 * file), capped by DAILY_REQUEST_CAP. Usage-based: shown apart, never in the fixed total.
 */
export function priceCostExporterRequests(
  resource: PricedInput,
  context: PricingContext,
): ResourcePrice | undefined {
  const name = stringAt(resource.inputs, "metadata.name") ?? resource.name;
  if (name !== COST_EXPORTER) return undefined;
  const sheet = new PriceSheet(context);
  const unitPrice = context.prices.costExplorerApiRequest;
  const env = containerEnv(resource);
  const charge = { item: "Cost Explorer API requests (cost exporter)", unitPrice, unit: "request" };
  if (env.COST_EXPORTER_MODE === "demo") {
    sheet.note("the cost exporter runs in demo mode: no paid Cost Explorer requests");
    return sheet.result();
  }
  // The exporter's own settings loader: its defaults for whatever the Deployment leaves unset.
  let config: ReturnType<typeof loadCostExporterConfig>;
  try {
    config = loadCostExporterConfig(env);
  } catch (error) {
    sheet.usageCharge(charge);
    sheet.note(`the cost exporter would refuse its settings: ${(error as Error).message}`);
    return sheet.result();
  }
  const intervalMs = config.REFRESH_INTERVAL;
  const interval = env.REFRESH_INTERVAL ?? `${intervalMs / HOUR_MS}h (its default)`;
  const plan = planRefresh(context.monthStart.getTime(), {
    costBasis: config.COST_BASIS,
    historyDays: config.HISTORY_DAYS,
    tagKey: config.COST_TAG_KEY || undefined,
  });
  const perRefresh = 1 + (plan.costByTag ? 1 : 0) + (plan.forecast ? 1 : 0);
  const pages = context.usage.costExplorerPagesPerRequest ?? exact(1);
  const hours = context.hoursPerMonth;
  const refreshes: Money = hours.times(HOUR_MS).dividedBy(intervalMs);
  const uncapped = refreshes.times(perRefresh).times(pages);
  const cap = config.DAILY_REQUEST_CAP;
  const capped = cap > 0 ? exact(cap).times(hours).dividedBy(24) : undefined;
  const estimate = capped?.lessThan(uncapped)
    ? component(
        "Cost Explorer requests",
        [[capped, `requests (DAILY_REQUEST_CAP ${cap} a day × 730 h ÷ 24 h)`]],
        unitPrice,
        {
          unit: "requests",
          priceUnit: "request",
        },
      )
    : component(
        "Cost Explorer requests",
        [
          [refreshes, `refreshes (730 h ÷ REFRESH_INTERVAL ${interval})`],
          [perRefresh, "requests"],
          [pages, pages.equals(1) ? "page" : "pages"],
        ],
        unitPrice,
        { unit: "requests", priceUnit: "request" },
      );
  sheet.usageCharge({
    ...charge,
    estimate,
    basis: "the cost exporter's REFRESH_INTERVAL, COST_TAG_KEY, DAILY_REQUEST_CAP",
  });
  return sheet.result();
}
