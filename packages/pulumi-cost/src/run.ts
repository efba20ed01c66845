import type { PriceTable } from "@platform/prices";
import type { CostConfig } from "./config.js";
import { type CostEstimate, estimateChanges } from "./estimate.js";
import { evaluateGuardrail, type GuardrailOutcome } from "./guardrail.js";
import { type LivePriceOptions, livePriceTable } from "./live/live-prices.js";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "./markdown.js";
import { changesFromPreview, neverDeployed, type PreviewDigest, stackOfPreview } from "./preview.js";
import { regionsOf } from "./regions.js";
import { toReport } from "./report.js";

/** The preview is over the guardrail and nobody approved it. */
export const EXIT_OVER_GUARDRAIL = 3;
/** A bad input: a preview, configuration or option the engine refuses (the message names it). */
export const EXIT_BAD_INPUT = 2;

export interface RenderOptions {
  format: "markdown" | "json";
  /** the comment's longest length (GitHub's limit by default) */
  maxChars?: number;
  guardrail?: GuardrailOutcome | undefined;
  config: CostConfig;
}

/** The estimate as the comment (Markdown) or the JSON report. */
export function renderEstimate(estimate: CostEstimate, options: RenderOptions): string {
  const { guardrail, config } = options;
  if (options.format === "json") {
    return `${JSON.stringify(toReport(estimate, { budget: config.budget, guardrail }), null, 2)}\n`;
  }
  return renderMarkdown(estimate, options.maxChars ?? GITHUB_COMMENT_LIMIT, {
    guardrail,
    budget: config.budget,
    approvalLabel: config.approvalLabel,
  });
}

export interface PreviewRunOptions extends RenderOptions {
  preview: PreviewDigest;
  table: PriceTable;
  /** the last fallback region (`--region`); the configuration's `region` when not given */
  region?: string | undefined;
  /** the login of the maintainer who added the approval label */
  approvedBy?: string | undefined;
  monthStart: Date;
}

export interface CostRun {
  estimate: CostEstimate;
  guardrail?: GuardrailOutcome;
  output: string;
  exitCode: 0 | typeof EXIT_OVER_GUARDRAIL;
}

function estimateOfPreview(options: PreviewRunOptions, table: PriceTable): CostEstimate {
  const { preview, config } = options;
  const fallback = options.region ?? config.region;
  const regions = regionsOf(preview, { region: fallback });
  const stack = config.stack ?? stackOfPreview(preview)?.stack ?? "unknown";
  return estimateChanges(changesFromPreview(preview, { region: fallback }), table, {
    stack,
    region: regions.stackRegion(),
    config,
    monthStart: options.monthStart,
  });
}

/** A preview priced before and after, judged against the guardrail, rendered: what the CLI prints. */
export function costOfPreview(options: PreviewRunOptions): CostRun {
  const { preview, config } = options;
  const estimate = estimateOfPreview(options, options.table);
  const guardrail = config.guardrail
    ? evaluateGuardrail(estimate, config.guardrail, {
        approvedBy: options.approvedBy,
        budget: config.budget,
        neverDeployed: neverDeployed(preview),
      })
    : undefined;
  return {
    estimate,
    ...(guardrail ? { guardrail } : {}),
    output: renderEstimate(estimate, { ...options, guardrail }),
    exitCode: guardrail && !guardrail.passes ? EXIT_OVER_GUARDRAIL : 0,
  };
}

/**
 * As costOfPreview, with what the price table lacks for this preview asked of the AWS Price List API first
 * (`--live-prices`); `messages` says, for standard error, when live prices could not be had.
 */
export async function costOfPreviewWithLivePrices(
  options: PreviewRunOptions,
  live: LivePriceOptions = {},
): Promise<CostRun & { messages: string[] }> {
  const { table, messages } = await livePriceTable(
    options.table,
    (recording) => estimateOfPreview(options, recording),
    live,
  );
  return { ...costOfPreview({ ...options, table }), messages };
}
