/**
 * The thresholds of the platform, as one typed object: objectives, budget, ceilings and where runbooks
 * live. `thresholds.yaml` beside this file holds the defaults (what the committed rule files, the committed
 * dashboards, promtool's tests and `npm start` use); a stack overrides any of them with the structured
 * setting `platform:thresholds` in `Pulumi.<stack>.yaml`, and the program renders that stack's rules and
 * dashboards from the result. The rule groups and the dashboards read these values and never copy them.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDecimal } from "@platform/numbers";
import { parse } from "yaml";
import { z } from "zod";

// From __filename, not __dirname: tsx, loading this CommonJS file for an ES module, sets only __filename right.
export const DEFAULT_THRESHOLDS_FILE = join(dirname(__filename), "thresholds.yaml");

/** A number, also when a stack setting spells it as text (`pulumi config set --path` may store "300"). */
const numeric = (schema: z.ZodNumber) =>
  z.preprocess(
    (value) => (typeof value === "string" ? (parseDecimal(value.trim()) ?? value) : value),
    schema,
  );
const fraction = numeric(z.number().gt(0).lt(1));
const positive = numeric(z.number().positive());

export const thresholdsSchema = z
  .object({
    runbookBaseUrl: z.url().transform((url) => url.replace(/\/+$/, "")),
    slo: z
      .object({
        availabilityObjective: fraction,
        latencyObjective: fraction,
        latencyThresholdSeconds: positive,
      })
      .strict(),
    cost: z
      .object({
        monthlyBudgetUsd: positive,
        costPerRequestCeilingUsd: positive,
        dailySpendSpikeFactor: numeric(z.number().gt(1)),
        dailySpendSpikeMinIncreaseUsd: numeric(z.number().nonnegative()),
        unaccountedSpendShare: positive,
      })
      .strict(),
    business: z
      .object({
        refusedCheckoutShare: fraction,
        minRefusedCheckouts: numeric(z.number().int().min(1)),
        orderShortfallSigmas: numeric(z.number().min(1)),
        minPredictedOrdersForFullStop: numeric(z.number().min(1)),
        minOrdersWorthNothing: numeric(z.number().int().min(1)),
        errorRatioNormal: fraction,
      })
      .strict(),
  })
  .strict();
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** A problem with one value, named by its path inside the thresholds (`cost.monthlyBudgetUsd`). */
export interface ThresholdProblem {
  path: string;
  message: string;
}

export class ThresholdsError extends Error {
  override name = "ThresholdsError";
  constructor(
    readonly source: string,
    readonly problems: ThresholdProblem[],
  ) {
    super(
      `Invalid thresholds in ${source}:\n  ${problems.map((p) => `${p.path}: ${p.message}`).join("\n  ")}`,
    );
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `override` laid over `base`, object by object; anything else in `override` replaces what it covers. */
function overlay(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = overlay(base[key], value);
  return merged;
}

function problemsOf(error: z.ZodError): ThresholdProblem[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...at, key].join("."),
        message: "not a threshold (see thresholds/thresholds.yaml for the list)",
      }));
    }
    return [{ path: at.join(".") || "(root)", message: issue.message }];
  });
}

/** Raw defaults, as written in thresholds.yaml (before validation). */
function readDefaults(file: string): unknown {
  return parse(readFileSync(file, "utf8"));
}

/** The defaults of `thresholds/thresholds.yaml`, validated. */
export function loadDefaultThresholds(file = DEFAULT_THRESHOLDS_FILE): Thresholds {
  const result = thresholdsSchema.safeParse(readDefaults(file));
  if (!result.success) throw new ThresholdsError(file, problemsOf(result.error));
  return result.data;
}

/**
 * The defaults with a stack's overrides laid over them (a deep partial of the same shape), validated as
 * a whole. Returns the problems instead of throwing, so the caller can name its own setting.
 */
export function resolveThresholds(
  override: unknown,
  file = DEFAULT_THRESHOLDS_FILE,
): { thresholds: Thresholds; problems: [] } | { thresholds: undefined; problems: ThresholdProblem[] } {
  if (override !== undefined && !isRecord(override)) {
    return {
      thresholds: undefined,
      problems: [{ path: "(root)", message: "expected an object shaped like thresholds/thresholds.yaml" }],
    };
  }
  const result = thresholdsSchema.safeParse(overlay(readDefaults(file), override));
  return result.success
    ? { thresholds: result.data, problems: [] }
    : { thresholds: undefined, problems: problemsOf(result.error) };
}

/**
 * A stack's `thresholds` setting as a zod schema (for the program's settings): the override laid over the
 * defaults and validated; each problem is an issue at its path inside, e.g. `cost.monthlyBudgetUsd`.
 */
export const stackThresholdsSchema = z
  .unknown()
  .default({})
  .transform((override, ctx): Thresholds => {
    const { thresholds, problems } = resolveThresholds(override);
    for (const problem of problems) {
      ctx.addIssue({
        code: "custom",
        message: problem.message,
        path: problem.path === "(root)" ? [] : problem.path.split("."),
      });
    }
    return thresholds ?? (z.NEVER as never);
  });
