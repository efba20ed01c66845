import { MAX_TIMER_MS } from "@platform/numbers";
import { formatDuration, parseDuration } from "@platform/service-kit";
import { z } from "zod";
import { type Mix, mixFromText } from "./mix.js";
import { MAX_PERIOD_MS, MIN_PERIOD_MS, type PaceSettings, SHAPES } from "./shape.js";

/** What a `PUT /control` asks to change: pace settings, the mix, or both. */
export interface ControlChange {
  pace: Partial<PaceSettings>;
  mix?: Mix;
}

export type ParsedControl = { ok: true; change: ControlChange } | { ok: false; problems: string[] };

const LONGEST_PERIOD_MS = Math.min(MAX_PERIOD_MS, MAX_TIMER_MS);

/**
 * `PUT /control`: any of rate, shape, period (a duration such as 10m) and mix (kind=weight pairs, as the
 * MIX setting); unknown fields are refused.
 */
export function controlSchema(maxRate: number) {
  return z
    .object({
      rate: z.number().min(0).max(maxRate).optional(),
      shape: z.enum(SHAPES).optional(),
      period: z
        .string()
        .regex(/^\d+(ms|s|m|h|d)$/, "a duration such as 90s, 10m or 24h")
        .transform((text, ctx) => {
          const ms = parseDuration(text) ?? Number.NaN;
          if (ms >= MIN_PERIOD_MS && ms <= LONGEST_PERIOD_MS) return ms;
          ctx.addIssue({
            code: "custom",
            message: `from ${formatDuration(MIN_PERIOD_MS)} to ${formatDuration(LONGEST_PERIOD_MS)}`,
          });
          return z.NEVER;
        })
        .optional(),
      mix: z.string().transform(mixFromText).optional(),
    })
    .strict()
    .refine((body) => Object.keys(body).length > 0, {
      message: "name at least one of rate, shape, period, mix",
    });
}

/** What to send, for the error a bad body gets. */
export const controlHint = (maxRate: number) =>
  `Send {"rate": 0..${maxRate}, "shape": ${SHAPES.join("|")}, "period": "10m", "mix": "page=0.4,product=0.6"} (any of them).`;

/** A `PUT /control` body as the changes it asks for, or the problems that refuse all of it. */
export function parseControl(body: unknown, maxRate: number): ParsedControl {
  const parsed = controlSchema(maxRate).safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    };
  }
  const { rate, shape, period, mix } = parsed.data;
  return {
    ok: true,
    change: {
      pace: {
        ...(rate !== undefined ? { rate } : {}),
        ...(shape !== undefined ? { shape } : {}),
        ...(period !== undefined ? { periodMs: period } : {}),
      },
      ...(mix !== undefined ? { mix } : {}),
    },
  };
}
