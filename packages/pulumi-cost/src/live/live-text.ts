import { exact, formatUnitPrice, type LivePrices, PRICE_KEYS, type PriceLookup } from "@platform/prices";
import { literal, type Text, t } from "../text.js";

/** Live prices in the comment: a warning when some could not be had, and every one with its source. */

function what({ key, dimension, region }: PriceLookup): Text {
  return dimension === undefined ? t`${key} in ${region}` : t`${key} ${dimension} in ${region}`;
}

/** Said at the top of the comment when live prices were asked for and some could not be had. */
export function liveWarning(live: LivePrices | undefined): Text | undefined {
  if (!live) return undefined;
  if (live.error) {
    return t`Live prices were asked for, but the AWS Price List API could not be used (${live.error}): only the price table's prices are used, and what it lacks is not priced.`;
  }
  if (live.failed.length === 0) return undefined;
  const count = live.failed.length;
  return t`${count} ${literal(count === 1 ? "price" : "prices")} the price table lacks could not be fetched from the AWS Price List API (${live.failed[0]?.reason ?? ""}): what needs them is not priced.`;
}

/** The lines of the price table's details about live prices (Markdown). */
export function* liveLines(live: LivePrices): Generator<string> {
  const wanted = live.found.length + live.notFound.length + live.failed.length;
  yield "";
  if (wanted === 0) {
    yield "Live prices: the price table has every price this estimate needs, so none was asked of the AWS Price List API.";
    return;
  }
  yield `Live prices (${live.source}, GetProducts) for ${wanted} ${wanted === 1 ? "price" : "prices"} the table lacks: ${live.found.length} found, ${live.notFound.length} not in the API, ${live.failed.length} not fetched.`;
  for (const figure of live.found) {
    const unit = PRICE_KEYS[figure.key].unit;
    const price = literal(`${formatUnitPrice(exact(figure.usd))} per ${unit}, ${live.source}`);
    yield `- ${t`${what(figure)}: ${price}`.markdown()}`;
  }
  for (const lookup of live.notFound) {
    yield `- ${t`${what(lookup)}: not in the AWS Price List API, not priced (never priced at another region's)`.markdown()}`;
  }
  for (const lookup of live.failed) {
    yield `- ${t`${what(lookup)}: not fetched (${lookup.reason}), not priced`.markdown()}`;
  }
}
