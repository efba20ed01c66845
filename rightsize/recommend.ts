/**
 * From what Prometheus recommends to what right-sizing proposes: the catalogue's own requests against the
 * recommendation, a change only where it is at least `minChange` of the request, never for a container
 * with too little data, never below the floors, and each with its reason.
 */
import type { RightsizeSettings } from "../alerts/rightsize-settings.js";
import type { Catalogue, ServiceEntry } from "../catalogue/services.js";
import { quantityToBytes, quantityToMillicores } from "./cost-engine.js";
import type { Observed } from "./observe.js";

const MIB = 2 ** 20;

export type Verdict = "lower" | "raise" | "keep" | "not enough data";

export interface ResourceProposal {
  /** As the catalogue writes it (`50m`, `96Mi`); undefined for a workload outside the catalogue. */
  current: string | undefined;
  currentValue: number | undefined;
  /** As it would be written; undefined without a recommendation. */
  recommended: string | undefined;
  recommendedValue: number | undefined;
  verdict: Verdict;
  why: string;
}

export interface Proposal {
  observed: Observed;
  /** The catalogue entry the container is, if any (a Deployment of the apps namespace, its own container). */
  service: ServiceEntry | undefined;
  cpu: ResourceProposal;
  memory: ResourceProposal;
  /** $/month of requested share the proposed changes free at the live-cost rates (negative: they cost). */
  freedMonthlyUsd: number;
}

export const formatMillicores = (m: number) => `${Math.round(m)}m`;
export const formatMiB = (bytes: number) => `${Math.round(bytes / MIB)}Mi`;
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The catalogue entry a container is: its Deployment in the apps namespace, the container of its name. */
export function serviceOf(
  observed: Observed,
  catalogue: Catalogue,
  appsNamespace: string,
): ServiceEntry | undefined {
  if (observed.namespace !== appsNamespace || observed.workloadKind !== "Deployment") return undefined;
  return catalogue.find((s) => s.name === observed.workload && s.name === observed.container);
}

function decide(
  current: number | undefined,
  recommended: number | undefined,
  minChange: number,
  reasons: { raise: string; lower: string },
): Pick<ResourceProposal, "verdict" | "why"> {
  if (recommended === undefined) return { verdict: "not enough data", why: "" };
  if (current === undefined || current <= 0) return { verdict: "raise", why: "no request set" };
  const change = (recommended - current) / current;
  if (Math.abs(change) < minChange) {
    return { verdict: "keep", why: `within ${percent(minChange)} of the request` };
  }
  return change < 0 ? { verdict: "lower", why: reasons.lower } : { verdict: "raise", why: reasons.raise };
}

function cpuProposal(o: Observed, service: ServiceEntry | undefined, s: RightsizeSettings): ResourceProposal {
  const currentValue = service
    ? quantityToMillicores(service.resources.requests.cpu)
    : o.cpu.requestCores !== undefined
      ? o.cpu.requestCores * 1000
      : undefined;
  const rec = o.cpu.recommendedCores;
  // The rules clamp to the floor already; a floor raised since must still hold.
  const recommendedValue =
    rec === undefined ? undefined : Math.max(Math.round(rec * 1000), s.cpu.floorMillicores);
  const used = o.cpu.usedCores === undefined ? "?" : formatMillicores(o.cpu.usedCores * 1000);
  const throttled = (o.cpu.throttledShare ?? 0) > s.cpu.throttledShare;
  const verdict = decide(currentValue, recommendedValue, s.minChange, {
    raise: throttled
      ? `throttled in ${percent(o.cpu.throttledShare ?? 0)} of its CPU periods`
      : `p${Math.round(s.cpu.quantile * 100)} use ${used} + ${percent(s.cpu.headroom)} is above the request`,
    lower: `p${Math.round(s.cpu.quantile * 100)} use ${used} + ${percent(s.cpu.headroom)}`,
  });
  return {
    current:
      service?.resources.requests.cpu ??
      (currentValue === undefined ? undefined : formatMillicores(currentValue)),
    currentValue,
    recommended: recommendedValue === undefined ? undefined : formatMillicores(recommendedValue),
    recommendedValue,
    ...verdict,
  };
}

function memoryProposal(
  o: Observed,
  service: ServiceEntry | undefined,
  s: RightsizeSettings,
): ResourceProposal {
  const currentValue = service ? quantityToBytes(service.resources.requests.memory) : o.memory.requestBytes;
  const rec = o.memory.recommendedBytes;
  const recommendedValue = rec === undefined ? undefined : Math.max(rec, s.memory.floorMiB * MIB);
  const max = o.memory.maxBytes === undefined ? "?" : formatMiB(o.memory.maxBytes);
  const verdict = decide(currentValue, recommendedValue, s.minChange, {
    raise: o.memory.oomKilled
      ? `OOMKilled in the window: request × ${s.memory.oomBumpRatio}`
      : `largest working set ${max} + ${percent(s.memory.headroom)} is above the request`,
    lower: `largest working set ${max} + ${percent(s.memory.headroom)}`,
  });
  return {
    current:
      service?.resources.requests.memory ??
      (currentValue === undefined ? undefined : formatMiB(currentValue)),
    currentValue,
    recommended: recommendedValue === undefined ? undefined : formatMiB(recommendedValue),
    recommendedValue,
    ...verdict,
  };
}

export function propose(
  observed: readonly Observed[],
  catalogue: Catalogue,
  settings: RightsizeSettings,
  { appsNamespace, hoursPerMonth }: { appsNamespace: string; hoursPerMonth: number },
): Proposal[] {
  return observed.map((o) => {
    const service = serviceOf(o, catalogue, appsNamespace);
    const cpu = cpuProposal(o, service, settings);
    const memory = memoryProposal(o, service, settings);
    if (o.coverage < settings.minCoverage) {
      const why = `${percent(o.coverage)} of the ${settings.window} window recorded (needs ${percent(settings.minCoverage)})`;
      for (const p of [cpu, memory])
        Object.assign(p, { verdict: "not enough data", why, recommended: undefined });
    }
    const changes = (p: ResourceProposal) => p.verdict === "lower" || p.verdict === "raise";
    const freedMonthlyUsd =
      ((changes(cpu) ? (o.freedUsdPerHour.cpu ?? 0) : 0) +
        (changes(memory) ? (o.freedUsdPerHour.memory ?? 0) : 0)) *
      hoursPerMonth;
    return { observed: o, service, cpu, memory, freedMonthlyUsd };
  });
}

/** The catalogue edits the proposals make: service → new requests (only what changes). */
export function catalogueEdits(
  proposals: readonly Proposal[],
): Map<string, { cpu?: string; memory?: string }> {
  const edits = new Map<string, { cpu?: string; memory?: string }>();
  for (const p of proposals) {
    if (!p.service) continue;
    const edit: { cpu?: string; memory?: string } = {};
    if ((p.cpu.verdict === "lower" || p.cpu.verdict === "raise") && p.cpu.recommended)
      edit.cpu = p.cpu.recommended;
    if ((p.memory.verdict === "lower" || p.memory.verdict === "raise") && p.memory.recommended)
      edit.memory = p.memory.recommended;
    if (edit.cpu || edit.memory) edits.set(p.service.name, edit);
  }
  return edits;
}
