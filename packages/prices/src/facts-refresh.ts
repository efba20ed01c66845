import { type PriceFacts, type PriceSource, SINGLE_PRICE } from "@platform/price-facts";
import { declarationOf, PRICE_KEYS } from "./price-keys.js";
import type { LiveFigure } from "./table.js";

/** The facts component and variant a figure of the table is kept under, or undefined when none is declared. */
export function factsPlaceOf(figure: Pick<LiveFigure, "key" | "dimension">): [string, string] | undefined {
  const declaration = PRICE_KEYS[figure.key];
  if (typeof declaration.facts !== "string") {
    const byDimension: Readonly<Record<string, string>> = declaration.facts;
    const id =
      figure.dimension !== undefined && Object.hasOwn(byDimension, figure.dimension)
        ? byDimension[figure.dimension]
        : undefined;
    return id === undefined ? undefined : [id, SINGLE_PRICE];
  }
  if (!("per" in declaration)) return [declaration.facts, SINGLE_PRICE];
  return figure.dimension === undefined ? undefined : [declaration.facts, figure.dimension];
}

/**
 * The facts with the figures the AWS Price List API answered (a refresh), each cited with `sourceId`: in the
 * Price List's unit, as the facts keep them. A figure the API did not answer keeps its previous value and
 * source; a source no figure cites any more leaves the list.
 */
export function factsWithFigures(
  facts: PriceFacts,
  figures: readonly LiveFigure[],
  sourceId: string,
  source: PriceSource,
): PriceFacts {
  const next = structuredClone(facts);
  for (const figure of figures) {
    const place = factsPlaceOf(figure);
    const component = place && next.components.find((c) => c.id === place[0]);
    if (!place || !component || !Object.hasOwn(next.regions, figure.region)) continue;
    const { unscale } = declarationOf(figure.key);
    const byRegion = component.prices[place[1]] ?? {};
    byRegion[figure.region] = { usd: unscale ? unscale(figure.usd) : figure.usd, source: sourceId };
    component.prices[place[1]] = Object.fromEntries(
      Object.keys(next.regions)
        .filter((region) => byRegion[region])
        .map((region) => [region, byRegion[region]]),
    ) as typeof byRegion;
  }
  const cited = new Set(
    next.components.flatMap((c) =>
      Object.values(c.prices).flatMap((r) => Object.values(r).map((e) => e.source)),
    ),
  );
  next.sources = Object.fromEntries(
    [...Object.entries(next.sources), [sourceId, source] as const].filter(([id]) => cited.has(id)),
  );
  return next;
}
