import type { PricedInput } from "./inputs";

/**
 * The parts of `pulumi preview --json` this tool reads (Pulumi's previewDigest): a `steps` array
 * whose entries carry `op`, `urn` and the resource's `oldState` / `newState` (each with `type` and
 * `inputs`), plus the stack `config`.
 */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { type?: string; inputs?: Record<string, unknown> } | null;
  newState?: { type?: string; inputs?: Record<string, unknown> } | null;
}

export interface PreviewDigest {
  steps?: PreviewStep[];
  config?: Record<string, unknown>;
}

export type ChangeKind = "create" | "update" | "replace" | "delete" | "same";

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  change: ChangeKind;
  before?: PricedInput;
  after?: PricedInput;
}

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "discard-replaced"]);
/** steps whose newState is what the resource will look like afterwards */
const GONE_OPS = new Set([
  "delete",
  "delete-replaced",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
]);

/** A URN ends in `<qualified type>::<name>`; the name is the part after the last `::`. */
export function nameFromUrn(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at === -1 ? urn : urn.slice(at + 2);
}

function typeFromUrn(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts[parts.length - 2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

/** The type of the component a resource belongs to: the one before it in the URN's type chain. */
function parentTypeFromUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  const chain = (parts[parts.length - 2] ?? "").split("$");
  return chain.length > 1 ? chain[chain.length - 2] : undefined;
}

/**
 * One change per resource. A replacement can appear as up to three steps with the same URN
 * (create-replacement, replace, delete-replaced); they are folded into one "replace" so the
 * resource is counted once, before and after.
 */
export function changesFromPreview(digest: PreviewDigest): ResourceChange[] {
  if (!Array.isArray(digest.steps)) {
    throw new Error('not a `pulumi preview --json` document: no "steps" array');
  }
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of digest.steps) {
    if (!step || typeof step.urn !== "string" || typeof step.op !== "string") continue;
    const list = byUrn.get(step.urn) ?? [];
    list.push(step);
    byUrn.set(step.urn, list);
  }
  const changes: ResourceChange[] = [];
  for (const [urn, steps] of byUrn) {
    const ops = new Set(steps.map((s) => s.op));
    const type =
      steps.find((s) => s.newState?.type)?.newState?.type ??
      steps.find((s) => s.oldState?.type)?.oldState?.type ??
      typeFromUrn(urn);
    const name = nameFromUrn(urn);
    const oldInputs = steps.find((s) => s.oldState?.inputs)?.oldState?.inputs;
    const newInputs = steps.find((s) => !GONE_OPS.has(s.op) && s.newState?.inputs)?.newState?.inputs;
    let change: ChangeKind;
    if ([...ops].some((op) => REPLACE_OPS.has(op))) change = "replace";
    else if (ops.has("create") || ops.has("import")) change = "create";
    else if (ops.has("delete") || ops.has("discard")) change = "delete";
    else if (ops.has("update")) change = "update";
    else change = "same";
    const parentType = parentTypeFromUrn(urn);
    const about = { type, name, urn, ...(parentType ? { parent: { type: parentType, name: "" } } : {}) };
    const before = change === "create" || !oldInputs ? undefined : { ...about, inputs: oldInputs };
    let after: PricedInput | undefined;
    if (change !== "delete") {
      const inputs = newInputs ?? (change === "same" ? oldInputs : undefined);
      after = inputs ? { ...about, inputs } : undefined;
    }
    changes.push({ urn, type, name, change, before, after });
  }
  return changes;
}

/**
 * The stack was never deployed: every step of the preview is a `create` (on such a stack even the
 * `pulumi:pulumi:Stack` resource is one). A stack already deployed has at least its stack resource as a
 * `same` step (the preview is read with `--show-sames`), however little its resources cost.
 */
export function neverDeployed(digest: PreviewDigest): boolean {
  const steps = digest.steps ?? [];
  return steps.length > 0 && steps.every((step) => step?.op === "create");
}

/** The stack's AWS region as the preview recorded it in its config, if it did. */
export function regionFromPreview(digest: PreviewDigest): string | undefined {
  const region = digest.config?.["platform:region"] ?? digest.config?.["aws:region"];
  return typeof region === "string" && region !== "" ? region : undefined;
}
