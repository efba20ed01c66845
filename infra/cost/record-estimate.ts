/**
 * `npm run cost:record-estimate -- --report <cost.json> --commit <sha>`: the PrometheusRule that publishes a
 * stack's estimate (`npm run cost -- --stack <s> --format json`) as `platform:cost_estimate_monthly:usd`,
 * printed as JSON for `kubectl apply -f`. The deploy runs it after `pulumi up`
 * (.github/workflows/pulumi-up.yml); alerts/rules/cost-estimate.ts says why the program does not own it.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { costReportSchema, SCHEMA_VERSION } from "pulumi-cost";
import {
  COST_ESTIMATE_RULE_NAME,
  costEstimateGroup,
  type RecordedEstimate,
} from "../../alerts/rules/cost-estimate";
import { kubePrometheusStackRelease } from "../components/monitoring";
import { monitoringNamespaceOf } from "./template-config";

export const USAGE = `Usage: npm run cost:record-estimate -- --report <file> --commit <sha> [--namespace <ns>]

Prints the PrometheusRule (JSON) that publishes the stack's monthly estimate from a cost report written by
npm run cost -- --stack <stack> --format json. The namespace defaults to the stack's monitoring namespace.`;

/** The estimate of a whole stack, from a cost report; a diff report (a preview's) is refused. */
export function estimateFromReport(report: unknown, commit: string): RecordedEstimate {
  const parsed = costReportSchema.safeParse(report);
  if (!parsed.success) {
    const schemaVersion = (report as { schemaVersion?: unknown } | null)?.schemaVersion;
    throw new Error(
      schemaVersion !== SCHEMA_VERSION
        ? `the report's schemaVersion is ${JSON.stringify(schemaVersion)}, not ${SCHEMA_VERSION}: run npm run cost -- --stack <stack> --format json`
        : `the report does not follow the cost report's schema: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
    );
  }
  const { mode, stack, totals, monthStart, hoursPerMonth } = parsed.data;
  if (mode !== "stack") {
    throw new Error(
      `the report prices a change (mode ${mode}), not the stack: run npm run cost -- --stack ${stack} --format json`,
    );
  }
  if (!/^[0-9a-f]{7,40}$|^local$/.test(commit))
    throw new Error(`--commit must be a commit id, not ${JSON.stringify(commit)}`);
  return {
    stack,
    monthlyUsd: totals.after,
    hoursPerMonth: Number(hoursPerMonth),
    commit,
    pricedOn: monthStart,
  };
}

export function estimatePrometheusRule(estimate: RecordedEstimate, namespace: string) {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: COST_ESTIMATE_RULE_NAME,
      namespace,
      // Selected like the program's own rules (the release label too, should the selector be narrowed).
      labels: {
        release: kubePrometheusStackRelease,
        "app.kubernetes.io/part-of": "platform",
        "app.kubernetes.io/managed-by": "deploy-workflow",
      },
    },
    spec: { groups: [costEstimateGroup(estimate)] },
  };
}

export function recordEstimate(argv: string[]): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      report: { type: "string" },
      commit: { type: "string" },
      namespace: { type: "string" },
    },
    strict: true,
  });
  if (!values.report || !values.commit) throw new Error("--report and --commit are required");
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(values.report, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the cost report ${values.report}: ${(error as Error).message}`);
  }
  const estimate = estimateFromReport(report, values.commit);
  const namespace = values.namespace ?? monitoringNamespaceOf(estimate.stack);
  return `${JSON.stringify(estimatePrometheusRule(estimate, namespace), null, 2)}\n`;
}

if (require.main === module) {
  try {
    process.stdout.write(recordEstimate(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`cost:record-estimate: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}
