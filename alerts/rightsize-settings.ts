/**
 * The right-sizing settings: how each container's use is recorded (the resolution of the recording rules)
 * and how a request is recommended from it. `rightsize.yaml` beside this file holds the defaults, each with
 * the reason for it; the recording rules (rules/rightsize.ts), the Cost dashboard's Savings row and
 * `npm run rightsize` read them, and `npm start` lays its short demo window over them.
 *
 * CommonJS on purpose (this directory's package.json): the Pulumi program builds the rules from it.
 */
import { readFileSync } from "node:fs";
import { repositoryPath } from "@platform/repository";
import { parse } from "yaml";
import { z } from "zod";

export const RIGHTSIZE_SETTINGS_FILE = repositoryPath("alerts", "rightsize.yaml");

/** A Prometheus duration of one unit (`30s`, `5m`, `7d`), as the rules write it. */
const duration = z
  .string()
  .regex(/^[1-9]\d*(s|m|h|d)$/, "a Prometheus duration of one unit such as 30s, 5m, 6h or 7d");
const share = z.number().gt(0).lt(1);

export const rightsizeSettingsSchema = z
  .object({
    resolution: duration,
    window: duration,
    minCoverage: z.number().gt(0).max(1),
    minChange: z.number().min(0).lt(1),
    cpu: z
      .object({
        quantile: share,
        headroom: z.number().min(0).max(2),
        floorMillicores: z.number().int().min(1),
        stepMillicores: z.number().int().min(1),
        throttledShare: share,
      })
      .strict(),
    memory: z
      .object({
        headroom: z.number().min(0).max(2),
        floorMiB: z.number().int().min(4),
        stepMiB: z.number().int().min(1),
        oomBumpRatio: z.number().min(1).max(4),
      })
      .strict(),
  })
  .strict()
  .refine((s) => durationSeconds(s.window) >= 4 * durationSeconds(s.resolution), {
    message: "the window must hold at least four samples of the resolution",
    path: ["window"],
  });
export type RightsizeSettings = z.infer<typeof rightsizeSettingsSchema>;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** Seconds in a one-unit Prometheus duration (`5m` → 300). */
export function durationSeconds(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a Prometheus duration of one unit: ${text}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/**
 * The defaults of `rightsize.yaml` with `override` laid over them (window, resolution, a cpu or memory
 * value), validated; a bad value throws naming its path (`cpu.quantile`).
 */
export function loadRightsizeSettings(
  override: { window?: string; resolution?: string } = {},
  file = RIGHTSIZE_SETTINGS_FILE,
): RightsizeSettings {
  const defaults = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const result = rightsizeSettingsSchema.safeParse({ ...defaults, ...override });
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid right-sizing settings (${file} and its overrides):\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}
