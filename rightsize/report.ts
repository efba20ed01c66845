/**
 * The right-sizing table (Markdown, for a terminal and the pull request's body) and its JSON. Workload and
 * container names come from Prometheus labels: untrusted, so escaped for a Markdown cell and bounded.
 */
import type { NodeGroupEffect } from "./nodes.js";
import type { Proposal, ResourceProposal } from "./recommend.js";

export interface RightsizeReport {
  stack: string;
  window: string;
  resolution: string;
  prometheus: string;
  proposals: Proposal[];
  nodes: NodeGroupEffect[];
  /** The catalogue entries --write changes (or would change). */
  edits: Record<string, { cpu?: string; memory?: string }>;
  written: boolean;
}

/**
 * Text safe inside a Markdown table cell and on a terminal: no control, format or invisible character (a
 * label could carry an escape sequence or a bidirectional override), no pipes, HTML or code spans; at most
 * `max` characters.
 */
export function cell(text: string, max = 80): string {
  const flat = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, " ").slice(0, max);
  return flat.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

export const usd = (value: number) =>
  `${value < 0 ? "-" : ""}$${Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function change(p: ResourceProposal): string {
  if (p.verdict === "not enough data") return `${p.current ?? "—"} (not enough data)`;
  if (p.verdict === "keep") return `${p.current ?? "—"} (keep)`;
  return `${p.current ?? "—"} → **${p.recommended}** (${p.verdict})`;
}

const totalFreed = (proposals: readonly Proposal[]) => proposals.reduce((s, p) => s + p.freedMonthlyUsd, 0);

/** Containers with no use recorded at all and outside the catalogue: one line, not a row each. */
const silent = (p: Proposal) => !p.service && p.observed.coverage === 0;

function proposalRows(proposals: readonly Proposal[]): string[] {
  return proposals
    .filter((p) => !silent(p))
    .map((p) => {
      const o = p.observed;
      const used = (v: number | undefined, f: (n: number) => string) => (v === undefined ? "—" : f(v));
      const why = [p.cpu.why && `CPU: ${p.cpu.why}`, p.memory.why && `memory: ${p.memory.why}`]
        .filter(Boolean)
        .join("; ");
      const where = p.service ? "" : " (not in the catalogue)";
      return `| ${cell(`${o.namespace}/${o.workload}`)} (${cell(o.workloadKind)})${where} | ${cell(o.container)} | ${o.pods ?? "—"} | ${change(p.cpu)} | ${used(o.cpu.usedCores, (c) => `${Math.round(c * 1000)}m`)} | ${change(p.memory)} | ${used(o.memory.maxBytes, (b) => `${Math.round(b / 2 ** 20)}Mi`)} | ${cell(why, 400)} | ${usd(p.freedMonthlyUsd)} |`;
    });
}

function nodeLines(effect: NodeGroupEffect): string[] {
  const lines: string[] = [];
  const saving =
    effect.savingMonthlyUsd > 0
      ? `${effect.neededBefore - effect.neededAfter} node(s) can go: **${usd(effect.savingMonthlyUsd)} a month** (${effect.instanceType} at ${usd(effect.nodeMonthlyUsd)} a month each)`
      : effect.savingMonthlyUsd < 0
        ? `${effect.neededAfter - effect.neededBefore} more node(s) needed: **${usd(-effect.savingMonthlyUsd)} a month more**`
        : "no node can go: **$0.00 a month** at node level";
  lines.push(
    `- \`${cell(effect.nodeGroup)}\`: ${effect.running} × ${effect.instanceType} running (minimum ${effect.minSize}); the requests need ${effect.neededBefore} node(s) before and ${effect.neededAfter} after: ${saving}.`,
  );
  for (const more of effect.morePodsFit) {
    const bound = more.podLimited
      ? `: the nodes' limit of ${effect.podsPerNode} pods each binds, not CPU or memory`
      : "";
    lines.push(
      `  - ${more.after} more ${cell(more.workload)} pods fit on those ${effect.neededAfter} node(s) (${more.before} before the change)${bound}.`,
    );
  }
  if (effect.graviton) {
    const g = effect.graviton;
    lines.push(
      `  - Graviton: the same requests on ${g.nodes} × ${g.instanceType} cost ${usd(g.monthlyUsd)} a month, ${usd(g.savingMonthlyUsd)} less than ${effect.neededAfter} × ${effect.instanceType}. The images must then be built for linux/arm64 (the nodes' architecture is set once in infra/node-architecture.ts; push-images.sh builds for it, under emulation on an x86 runner) and every dependency must run on arm64.`,
    );
  } else {
    lines.push(`  - Graviton: the price table has no arm64 type of the size of ${effect.instanceType}.`);
  }
  if (effect.spot) {
    const s = effect.spot;
    lines.push(
      `  - Spot: the whole node group on Spot would cost about ${usd(s.savingMonthlyUsd)} a month less, at an assumed ${Math.round(s.assumedDiscount * 100)}% off on-demand (the price table holds on-demand prices only; Spot prices move by zone and hour). A Spot node can be taken back with two minutes' notice: only workloads with two or more replicas and a disruption budget that keeps one running qualify — ${s.qualifying.length ? s.qualifying.map((name) => cell(name)).join(", ") : "none"}; not: ${s.notQualifying.map((name) => cell(name)).join(", ") || "none"}. Those would need an on-demand node group of their own, so the saving is at most this.`,
    );
  }
  return lines;
}

export function renderMarkdown(report: RightsizeReport): string {
  const edits = Object.entries(report.edits);
  return [
    `## Right-sizing: what each container used over ${report.window}, against its requests (stack \`${cell(report.stack)}\`)`,
    "",
    `Use recorded every ${report.resolution} (alerts/rightsize.rules.yml); settings and their reasons in alerts/rightsize.yaml.`,
    "",
    "| workload | container | pods | CPU request | CPU used (p95) | memory request | memory used (max) | why | requested share freed a month |",
    "| --- | --- | ---: | --- | ---: | --- | ---: | --- | ---: |",
    ...proposalRows(report.proposals),
    "",
    ...(report.proposals.some(silent)
      ? [
          `No use recorded for ${report.proposals
            .filter(silent)
            .map((p) => cell(`${p.observed.namespace}/${p.observed.workload}`))
            .join(", ")} (their requests are reported, their containers' use is not).`,
          "",
        ]
      : []),
    `Requested share freed by the proposed changes: **${usd(totalFreed(report.proposals))} a month**, at the live-cost rates of the nodes the pods run on (the node price split into CPU and memory as OpenCost splits it). That share is of nodes already paid for; what it saves now is below.`,
    "",
    `### At node level (the capacity model of \`npm run cost\`, stack \`${cell(report.stack)}\`)`,
    "",
    ...report.nodes.flatMap(nodeLines),
    "",
    edits.length === 0
      ? "No change to propose to catalogue/services.ts."
      : `${report.written ? "Changed" : "Would change"} in catalogue/services.ts: ${edits
          .map(
            ([name, e]) =>
              `${name} ${[e.cpu && `cpu ${e.cpu}`, e.memory && `memory ${e.memory}`].filter(Boolean).join(", ")}`,
          )
          .join("; ")}.`,
    "",
  ].join("\n");
}

export function renderJson(report: RightsizeReport): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      stack: report.stack,
      window: report.window,
      resolution: report.resolution,
      prometheus: report.prometheus,
      freedMonthlyUsd: Number(totalFreed(report.proposals).toFixed(2)),
      containers: report.proposals.map((p) => ({
        ...p.observed,
        catalogue: p.service?.name ?? null,
        cpu: p.cpu,
        memory: p.memory,
        freedMonthlyUsd: Number(p.freedMonthlyUsd.toFixed(2)),
      })),
      nodes: report.nodes,
      edits: report.edits,
      written: report.written,
    },
    null,
    2,
  )}\n`;
}
