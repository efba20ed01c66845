import { parseArgs } from "node:util";
import { formatUsd, type Money, sum } from "@platform/prices";
import {
  type CostEstimate,
  type CostRow,
  classify,
  codeSpan,
  countsLine,
  type PriceClass,
  t,
} from "pulumi-cost";
import { resourcesUnderMocks } from "./run-program";
import { estimateOfStack } from "./stack-estimate";
import { stackSettings } from "./template-config";

const USAGE = `Usage: npm run inventory -- [--stack dev] [--format markdown|json]

Every resource the Pulumi program would create for the stack (Pulumi.<stack>.yaml), from the program
under mocks (no cloud), grouped by the component it belongs to, each priced or said to be free.`;

const CLASS_WORD: Record<PriceClass, string> = {
  priced: "priced",
  usage: "usage-based",
  notPriced: "not priced",
  free: "free",
};

export interface InventoryGroup {
  component: string;
  rows: CostRow[];
  monthly: Money;
}

/** The stack's resources by component: `platform:cluster:EksCluster cluster`, or "(top level)". */
export function inventoryGroups(estimate: CostEstimate): InventoryGroup[] {
  const groups = new Map<string, CostRow[]>();
  for (const row of estimate.rows) {
    const component = row.parent
      ? `${row.parent.type} \`${row.parent.name}\``
      : row.scaleOut
        ? "autoscaler"
        : "(top level)";
    groups.set(component, [...(groups.get(component) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([component, rows]) => ({
      component,
      rows: [...rows].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name)),
      monthly: sum(rows.map((r) => r.afterMonthly)),
    }))
    .sort((a, b) => a.component.localeCompare(b.component));
}

export function renderInventory(estimate: CostEstimate): string {
  const lines = [
    `**Inventory of stack ${estimate.stack}: ${countsLine(estimate)}; ${estimate.atLeast ? "at least " : ""}${formatUsd(estimate.totalAfter)} a month**`,
    "",
  ];
  for (const group of inventoryGroups(estimate)) {
    lines.push(
      `### ${group.component}: ${group.rows.length} resources, ${formatUsd(group.monthly)} a month`,
      "",
    );
    lines.push("| resource | type | price | monthly |", "| --- | --- | --- | ---: |");
    for (const row of group.rows) {
      const kind = classify(row.after);
      lines.push(
        `| ${codeSpan(row.name, true)} | ${t`${row.type}`.markdown(true)} | ${CLASS_WORD[kind]} | ${kind === "priced" ? formatUsd(row.afterMonthly) : ""} |`,
      );
    }
    lines.push("");
  }
  return `${lines.join("\n")}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stack: { type: "string", default: "dev" }, format: { type: "string", default: "markdown" } },
    strict: true,
  });
  if (values.format !== "markdown" && values.format !== "json") {
    throw new Error(`--format must be markdown or json, not ${values.format}`);
  }
  const stack = values.stack;
  stackSettings(stack);
  const { resources } = await resourcesUnderMocks(stack);
  const estimate = estimateOfStack(stack, resources);
  if (values.format === "json") {
    const groups = inventoryGroups(estimate).map((g) => ({
      component: g.component,
      monthly: g.monthly.toFixed(2),
      resources: g.rows.map((r) => ({
        name: r.name,
        type: r.type,
        class: classify(r.after),
        monthly: r.afterMonthly.toFixed(2),
      })),
    }));
    process.stdout.write(
      `${JSON.stringify({ stack, total: estimate.totalAfter.toFixed(2), groups }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(renderInventory(estimate));
  }
}

if (require.main === module) {
  if (process.argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  main().catch((error: unknown) => {
    process.stderr.write(
      `inventory: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`,
    );
    process.exit(2);
  });
}
