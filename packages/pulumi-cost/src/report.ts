import { DECIMAL_TEXT } from "@platform/numbers";
import { centsString, type Money } from "@platform/prices";
import { z } from "zod";
import type { NodeGroupAllocation, WorkloadShare } from "./allocation.js";
import { mibText } from "./binary-units.js";
import type { CostComponent } from "./components.js";
import type { Budget } from "./config.js";
import { type CostEstimate, type CostRow, classify } from "./estimate.js";
import type { GuardrailOutcome } from "./guardrail.js";
import type { ResourcePrice, UsageCharge } from "./pricers/types.js";
import type { Text } from "./text.js";

/**
 * The JSON output (`pulumi-cost --format json`), schema version 1. Money is a string with exactly two
 * decimals ("129.47", "-3.00"); unit prices and quantities are decimal strings with every digit they have.
 * Fields are added in a compatible way only; a change that removes or renames one raises `schemaVersion`.
 * `pulumi-cost --json-schema` prints this schema as JSON Schema.
 */
export const SCHEMA_VERSION = 1;

const cents = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .describe("US dollars, exactly two decimals");
const decimal = z.string().regex(DECIMAL_TEXT).describe("an exact decimal number");

const componentSchema = z
  .object({
    name: z.string(),
    quantity: decimal,
    unit: z.string().describe('what the quantity counts, e.g. "hours", "GiB-months"'),
    unitPrice: decimal,
    priceUnit: z.string().describe('the unit of the price, e.g. "h", "GiB-month"'),
    monthly: cents.describe("quantity × unitPrice, rounded to the cent (half up)"),
    arithmetic: z.string().describe('how a person checks it: "2 × t3.large × 730 h × $0.0832/h = $121.47"'),
  })
  .strict();

const usageSchema = z
  .object({
    item: z.string(),
    unitPrice: decimal,
    unit: z.string(),
    estimate: componentSchema.nullable().describe("the month's usage from the usage file, when it gives one"),
    basis: z.string().nullable(),
  })
  .strict();

const pricedSchema = z
  .object({
    monthly: cents,
    components: z.array(componentSchema),
    notPriced: z.array(z.string()),
    usage: z.array(usageSchema),
    notes: z.array(z.string()),
    warnings: z.array(z.string()),
  })
  .strict();

const change = z.enum(["create", "update", "replace", "delete", "same"]);

const resourceSchema = z
  .object({
    name: z.string(),
    type: z.string().describe('Pulumi type token, or "autoscaler:nodes" for nodes added for the workloads'),
    change,
    urn: z.string().nullable(),
    region: z.string().nullable().optional().describe("the AWS region it is billed in"),
    component: z.object({ type: z.string(), name: z.string() }).strict().nullable(),
    class: z.enum(["priced", "usage", "notPriced", "free"]),
    before: pricedSchema.nullable(),
    after: pricedSchema.nullable(),
    beforeMonthly: cents,
    afterMonthly: cents,
    scaleOutOf: z.string().nullable().describe("the node group whose nodes this row adds"),
  })
  .strict();

const shareSchema = z
  .object({
    nodeGroup: z.string(),
    pods: z.number().int(),
    cpuMillicoresPerPod: z.number().int(),
    memoryMiBPerPod: decimal,
    monthly: cents,
    components: z.array(componentSchema),
  })
  .strict();

const capacitySchema = z
  .object({
    side: z.enum(["before", "after"]),
    nodeGroup: z.string(),
    instanceType: z.string().nullable(),
    desired: z.number().int(),
    max: z.number().int(),
    nodes: z.number().int().describe("nodes the pods need: at least desired, at most max"),
    extraNodes: z.number().int(),
    pendingAtMax: z.number().int(),
    pods: z.number().int(),
    allocatablePerNode: z
      .object({ cpuMillicores: z.number().int(), memoryMiB: z.number().int(), pods: z.number().int() })
      .strict()
      .nullable(),
    requested: z.object({ cpuMillicores: z.number().int(), memoryMiB: decimal }).strict(),
    rates: z.object({ perVcpuHour: decimal, perGiBHour: decimal }).strict().nullable(),
    nodesMonthly: cents,
    allocated: cents,
    idle: cents,
  })
  .strict();

const lookup = { region: z.string(), key: z.string(), dimension: z.string().optional() };
const liveSchema = z
  .object({
    at: z.string().describe("when the lookups were made, UTC"),
    source: z.string().describe("how each live price is cited"),
    found: z.array(z.object({ ...lookup, usd: decimal }).strict()),
    notFound: z.array(z.object(lookup).strict()).describe("the API answered without it: not priced"),
    failed: z.array(z.object({ ...lookup, reason: z.string() }).strict()).describe("not fetched: not priced"),
    error: z.string().optional().describe("why the API could not be used at all"),
  })
  .strict();

export const costReportSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    mode: z.enum(["diff", "stack"]),
    stack: z.string(),
    region: z.string(),
    regions: z.array(z.string()).optional().describe("every region something was priced in"),
    monthStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    currency: z.literal("USD"),
    hoursPerMonth: decimal,
    priceTable: z
      .object({
        recorded: z.string(),
        kind: z.string(),
        note: z.string(),
        sources: z.array(z.object({ what: z.string(), source: z.string(), read: z.string() }).strict()),
        live: liveSchema.optional().describe("what was asked of the AWS Price List API (--live-prices)"),
      })
      .strict(),
    totals: z
      .object({
        before: cents,
        after: cents,
        change: cents,
        changePercent: decimal.nullable(),
        atLeast: z
          .boolean()
          .describe("something on the after side could not be priced: after is a lower bound"),
      })
      .strict(),
    counts: z
      .object({
        resources: z.number().int(),
        priced: z.number().int(),
        usage: z.number().int(),
        notPriced: z.number().int(),
        free: z.number().int(),
      })
      .strict(),
    resources: z.array(resourceSchema),
    usage: z
      .object({
        file: z.string().nullable(),
        before: cents,
        after: cents,
        lines: z.array(
          z.object({ resource: z.string(), side: z.enum(["before", "after"]), charge: usageSchema }).strict(),
        ),
      })
      .strict(),
    workloads: z.array(
      z
        .object({
          name: z.string(),
          kind: z.string(),
          change,
          before: shareSchema.nullable(),
          after: shareSchema.nullable(),
        })
        .strict(),
    ),
    capacity: z.array(capacitySchema),
    warnings: z.array(z.string()),
    notes: z.array(z.string()),
    notPriced: z.array(z.string()),
    assumptions: z.array(z.string()),
    budget: z.object({ monthlyUsd: cents, source: z.string(), over: z.boolean() }).strict().nullable(),
    guardrail: z
      .object({
        monthlyIncreaseUsd: cents.nullable(),
        monthlyIncreasePercent: decimal.nullable(),
        over: z.boolean(),
        reasons: z.array(z.string()),
        approvedBy: z.string().nullable(),
        passes: z.boolean(),
        /** never deployed (every step a create): judged against the budget (`budget`), not the increase thresholds */
        firstDeploy: z.boolean(),
      })
      .strict()
      .nullable(),
  })
  .strict();

export type CostReport = z.infer<typeof costReportSchema>;

const plain = (texts: readonly Text[]) => texts.map((text) => text.plain);

/**
 * A line, a price or a share is often the same object on both sides of an unchanged resource (or many alike
 * workloads): its JSON is made once and written wherever it appears.
 */
const componentJsons = new WeakMap<CostComponent, ReturnType<typeof writeComponent>>();
function componentJson(c: CostComponent) {
  let json = componentJsons.get(c);
  if (!json) {
    json = writeComponent(c);
    componentJsons.set(c, json);
  }
  return json;
}

function writeComponent(c: CostComponent) {
  return {
    name: c.name.plain,
    quantity: c.quantity.toFixed(),
    unit: c.unit,
    unitPrice: c.unitPrice.toFixed(),
    priceUnit: c.priceUnit,
    monthly: centsString(c.monthly),
    arithmetic: c.arithmetic.plain,
  };
}

function usageJson(u: UsageCharge) {
  return {
    item: u.item.plain,
    unitPrice: u.unitPrice.toFixed(),
    unit: u.unit,
    estimate: u.estimate ? componentJson(u.estimate) : null,
    basis: u.basis?.plain ?? null,
  };
}

const pricedJsons = new WeakMap<ResourcePrice, { monthly: Money; json: ReturnType<typeof writePriced> }>();
function pricedJson(p: ResourcePrice | undefined, monthly: Money) {
  if (!p) return null;
  const known = pricedJsons.get(p);
  if (known && known.monthly === monthly) return known.json;
  const json = writePriced(p, monthly);
  pricedJsons.set(p, { monthly, json });
  return json;
}

function writePriced(p: ResourcePrice, monthly: Money) {
  return {
    monthly: centsString(monthly),
    components: p.components.map(componentJson),
    notPriced: plain(p.notPriced),
    usage: p.usage.map(usageJson),
    notes: plain(p.notes),
    warnings: plain(p.warnings),
  };
}

function shareJson(s: WorkloadShare | undefined) {
  if (!s) return null;
  return {
    nodeGroup: s.nodeGroup,
    pods: s.pods,
    cpuMillicoresPerPod: s.workload.pod.cpuMillicores,
    memoryMiBPerPod: mibText(s.workload.pod.memoryBytes),
    monthly: centsString(s.monthly),
    components: s.components.map(componentJson),
  };
}

function capacityJson(side: "before" | "after", a: NodeGroupAllocation) {
  const { fit } = a;
  return {
    side,
    nodeGroup: fit.nodeGroup.name,
    instanceType: fit.spec.instanceType ?? null,
    desired: fit.desired,
    max: fit.max,
    nodes: fit.nodes,
    extraNodes: fit.extraNodes,
    pendingAtMax: fit.pendingAtMax,
    pods: fit.pods,
    allocatablePerNode: fit.allocatable ? { ...fit.allocatable.allocatable } : null,
    requested: {
      cpuMillicores: fit.requested.cpuMillicores.toNumber(),
      memoryMiB: mibText(fit.requested.memoryBytes),
    },
    rates: a.split
      ? { perVcpuHour: a.split.perVcpuHour.toFixed(), perGiBHour: a.split.perGiBHour.toFixed() }
      : null,
    nodesMonthly: centsString(a.nodesMonthly),
    allocated: centsString(a.allocated),
    idle: centsString(a.idle),
  };
}

function resourceJson(row: CostRow) {
  return {
    name: row.name,
    type: row.type,
    change: row.change,
    urn: row.urn ?? null,
    region: row.region ?? null,
    component: row.parent ?? null,
    class: classify(row.after ?? row.before),
    before: pricedJson(row.before, row.beforeMonthly),
    after: pricedJson(row.after, row.afterMonthly),
    beforeMonthly: centsString(row.beforeMonthly),
    afterMonthly: centsString(row.afterMonthly),
    scaleOutOf: row.scaleOut?.nodeGroup ?? null,
  };
}

/** The estimate as the JSON report; the budget and guardrail when the stack has them. */
export function toReport(
  estimate: CostEstimate,
  { budget, guardrail }: { budget?: Budget | undefined; guardrail?: GuardrailOutcome | undefined } = {},
): CostReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    mode: estimate.mode,
    stack: estimate.stack,
    region: estimate.region,
    regions: estimate.regions,
    monthStart: estimate.monthStart,
    currency: "USD",
    hoursPerMonth: estimate.priceSource.hoursPerMonth.toFixed(),
    priceTable: {
      recorded: estimate.priceSource.recorded,
      kind: estimate.priceSource.kind,
      note: estimate.priceSource.note,
      sources: estimate.priceSource.sources,
      ...(estimate.priceSource.live ? { live: estimate.priceSource.live } : {}),
    },
    totals: {
      before: centsString(estimate.totalBefore),
      after: centsString(estimate.totalAfter),
      change: centsString(estimate.change),
      changePercent: estimate.changePercent?.toFixed() ?? null,
      atLeast: estimate.atLeast,
    },
    counts: estimate.counts,
    resources: estimate.rows.map(resourceJson),
    usage: {
      file: estimate.usage.source ?? null,
      before: centsString(estimate.usage.before),
      after: centsString(estimate.usage.after),
      lines: estimate.usage.lines.map((l) => ({
        resource: l.resource,
        side: l.side,
        charge: usageJson(l.charge),
      })),
    },
    workloads: estimate.workloads.map((w) => ({
      name: w.name.plain,
      kind: w.kind,
      change: w.change,
      before: shareJson(w.before),
      after: shareJson(w.after),
    })),
    capacity: [
      ...estimate.capacity.before.map((a) => capacityJson("before", a)),
      ...estimate.capacity.after.map((a) => capacityJson("after", a)),
    ],
    warnings: plain(estimate.warnings),
    notes: plain(estimate.notes),
    notPriced: plain(estimate.notPriced),
    assumptions: estimate.assumptions,
    budget: budget
      ? {
          monthlyUsd: centsString(budget.monthlyUsd),
          source: budget.source,
          over: estimate.totalAfter.greaterThan(budget.monthlyUsd),
        }
      : null,
    guardrail: guardrail
      ? {
          monthlyIncreaseUsd: guardrail.thresholds.monthlyIncreaseUsd
            ? centsString(guardrail.thresholds.monthlyIncreaseUsd)
            : null,
          monthlyIncreasePercent: guardrail.thresholds.monthlyIncreasePercent?.toFixed() ?? null,
          over: guardrail.over,
          reasons: guardrail.reasons,
          approvedBy: guardrail.approvedBy ?? null,
          passes: guardrail.passes,
          firstDeploy: guardrail.firstDeploy,
        }
      : null,
  };
}
