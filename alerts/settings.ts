/**
 * The thresholds of the platform, as one typed object: objectives, budget, ceilings and where runbooks
 * live. `settings.yaml` beside this file holds the defaults (what the committed rule files, the committed
 * dashboards, promtool's tests and `npm start` use); a stack overrides any of them with the structured
 * setting `platform:thresholds` in `Pulumi.<stack>.yaml`, and the program renders that stack's rules and
 * dashboards from the result. The rule groups and the dashboards read these values and never copy them.
 *
 * CommonJS on purpose (this directory's package.json): the Pulumi program loads it.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

// From __filename, not __dirname: tsx, loading this CommonJS file for an ES module, sets only __filename right.
export const ALERTS_DIR = dirname(__filename);
export const DEFAULT_SETTINGS_FILE = join(ALERTS_DIR, "settings.yaml");

/** A number, also when a stack setting spells it as text (`pulumi config set --path` may store "300"). */
const numeric = (schema: z.ZodNumber) =>
  z.preprocess(
    (value) =>
      // Decimal digits only: Number() would also read "0x10" and "1e3".
      typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value,
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

/**
 * The cost-allocation tag that carries the stack's name (`platform:costTagKey`): every resource of the stack
 * is tagged `<key>=<stack>` (infra/stack-tags.ts), the cost exporter groups the bill by it, the AWS Budget
 * filters by it, and the reconciliation rules read that tag's spend as the stack's bill. The committed rule
 * files are built with the default. No `=` or `,`: a load balancer's tag annotation splits on them. No `aws:`
 * prefix, in any case: AWS reserves it and refuses a tag that carries it, so the deploy would fail. (Keys the
 * program sets to other values, `Name` among them, are refused by infra/config.ts.)
 */
export const costTagKeySchema = z
  .string()
  .regex(/^[\w.:/+@-]{1,128}$/, "an AWS tag key: up to 128 letters, digits and _ . : / + @ - (no = or ,)")
  .refine((key) => !/^aws:/i.test(key), "the aws: prefix is reserved by AWS (in any case)")
  .default("stack");
export const DEFAULT_COST_TAG_KEY: string = costTagKeySchema.parse(undefined);

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
        message: "not a threshold (see alerts/settings.yaml for the list)",
      }));
    }
    return [{ path: at.join(".") || "(root)", message: issue.message }];
  });
}

/** Raw defaults, as written in settings.yaml (before validation). */
function readDefaults(file: string): unknown {
  return parse(readFileSync(file, "utf8"));
}

/** The defaults of `alerts/settings.yaml`, validated. */
export function loadDefaultThresholds(file = DEFAULT_SETTINGS_FILE): Thresholds {
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
  file = DEFAULT_SETTINGS_FILE,
): { thresholds: Thresholds; problems: [] } | { thresholds: undefined; problems: ThresholdProblem[] } {
  if (override !== undefined && !isRecord(override)) {
    return {
      thresholds: undefined,
      problems: [{ path: "(root)", message: "expected an object shaped like alerts/settings.yaml" }],
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
