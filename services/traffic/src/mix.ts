import { z } from "zod";

/** What a simulated visitor does: browse a listing, look at one product, or check out. */
export const TRAFFIC_KINDS = ["page", "product", "checkout"] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

/** Probabilities per kind, summing to 1. */
export type Mix = Record<TrafficKind, number>;

/**
 * A small shop's visits: listings and product pages, and a checkout for about one product view in twenty
 * (6 product views and 0.3 checkout attempts a second at the default 10 requests/s; services/traffic/README.md).
 */
export const DEFAULT_MIX_TEXT = "page=0.37,product=0.6,checkout=0.03";
/**
 * The largest weight: with at most three of them the sum stays finite (weights as large as 1e308 would
 * sum to Infinity and normalise every kind to 0, turning every request into a checkout).
 */
export const MAX_WEIGHT = 1_000_000;
/** Digits a weight may have after its decimal point; what `formatMix` shows keeps within them too. */
const WEIGHT_DECIMALS = 6;
/** Plain decimal digits: `0x10`, `0b11`, `1e3`, `+1`, `.5` and the like are refused, as every number setting does. */
const WEIGHT = new RegExp(`^\\d{1,7}(?:\\.\\d{1,${WEIGHT_DECIMALS}})?$`);

export const MIX_RULE = `must be kind=weight pairs such as ${DEFAULT_MIX_TEXT} (kinds: ${TRAFFIC_KINDS.join(", ")}; weights in decimal digits, at most ${WEIGHT_DECIMALS} after the point, from 0 to ${MAX_WEIGHT}, not all 0)`;

/** Parses `page=0.4,product=0.35,checkout=0.25`; omitted kinds get weight 0; weights are normalised. */
export function parseMix(text: string): Mix | undefined {
  const weights: Mix = { page: 0, product: 0, checkout: 0 };
  for (const part of text.split(",")) {
    const [name, value, extra] = part.split("=").map((s) => s.trim());
    if (extra !== undefined || !TRAFFIC_KINDS.includes(name as TrafficKind) || !value) return undefined;
    if (!WEIGHT.test(value)) return undefined;
    const weight = Number(value);
    if (weight > MAX_WEIGHT) return undefined;
    weights[name as TrafficKind] = weight;
  }
  const total = weights.page + weights.product + weights.checkout;
  if (!(total > 0)) return undefined;
  return { page: weights.page / total, product: weights.product / total, checkout: weights.checkout / total };
}

/**
 * A mix in the text form `parseMix` reads, every kind named (a weight of 0 too), each weight to four
 * significant digits and at most six decimals, in plain digits: what `GET /control` shows, and a body
 * `PUT /control` takes back. A share below 0.0000005 shows as 0 (the largest share is at least a third).
 */
export function formatMix(mix: Mix): string {
  const weight = (share: number) => String(Number(Number(share.toPrecision(4)).toFixed(WEIGHT_DECIMALS)));
  return TRAFFIC_KINDS.map((kind) => `${kind}=${weight(mix[kind])}`).join(",");
}

/** The default mix, parsed once: what the incidents and the benches derive their figures from. */
export const DEFAULT_MIX: Mix = (() => {
  const mix = parseMix(DEFAULT_MIX_TEXT);
  if (!mix) throw new Error(`the default mix ${DEFAULT_MIX_TEXT} does not parse`);
  return mix;
})();

/** A zod transform from mix text to a Mix, or an issue stating MIX_RULE: the MIX setting's and PUT /control's. */
export function mixFromText(text: string, ctx: z.RefinementCtx): Mix {
  const mix = parseMix(text);
  if (mix) return mix;
  ctx.addIssue({ code: "custom", message: MIX_RULE });
  return z.NEVER;
}

export function pickKind(mix: Mix, random: () => number): TrafficKind {
  let roll = random();
  for (const kind of TRAFFIC_KINDS) {
    roll -= mix[kind];
    if (roll < 0) return kind;
  }
  return "checkout";
}
