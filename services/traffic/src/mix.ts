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
export const MIX_RULE = `must be kind=weight pairs such as ${DEFAULT_MIX_TEXT} (kinds: ${TRAFFIC_KINDS.join(", ")}; weights ≥ 0, not all 0)`;

/** Parses `page=0.4,product=0.35,checkout=0.25`; omitted kinds get weight 0; weights are normalised. */
export function parseMix(text: string): Mix | undefined {
  const weights: Mix = { page: 0, product: 0, checkout: 0 };
  for (const part of text.split(",")) {
    const [name, value, extra] = part.split("=").map((s) => s.trim());
    if (extra !== undefined || !TRAFFIC_KINDS.includes(name as TrafficKind) || !value) return undefined;
    const weight = Number(value);
    if (!Number.isFinite(weight) || weight < 0) return undefined;
    weights[name as TrafficKind] = weight;
  }
  const total = weights.page + weights.product + weights.checkout;
  if (total <= 0) return undefined;
  return { page: weights.page / total, product: weights.product / total, checkout: weights.checkout / total };
}

/**
 * A mix in the text form `parseMix` reads, every kind named (a weight of 0 too), each weight to four
 * significant digits: what `GET /control` shows, and a body `PUT /control` takes back.
 */
export function formatMix(mix: Mix): string {
  return TRAFFIC_KINDS.map((kind) => `${kind}=${Number(mix[kind].toPrecision(4))}`).join(",");
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
