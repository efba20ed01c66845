import type { PricedInput } from "./inputs.js";
import { BadInputError, LIMITS } from "./limits.js";
import type { PreviewDigest, PreviewStep } from "./preview-document.js";
import { type RegionOptions, type Regions, regionsOf } from "./regions.js";

export type { PreviewDigest, PreviewState, PreviewStep } from "./preview-document.js";

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
/** steps whose newState is not what the resource will look like afterwards */
const GONE_OPS = new Set([
  "delete",
  "delete-replaced",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function checkState(state: unknown, where: string): void {
  if (state === undefined || state === null) return;
  if (!isObject(state)) throw new BadInputError(`${where} is not an object`);
  if (state.type !== undefined && typeof state.type !== "string")
    throw new BadInputError(`${where}.type is not a string`);
  if (state.inputs !== undefined && !isObject(state.inputs))
    throw new BadInputError(`${where}.inputs is not an object`);
  if (state.provider !== undefined && typeof state.provider !== "string")
    throw new BadInputError(`${where}.provider is not a string`);
}

/** The shape of a preview document, or an error naming the first step that breaks it. */
export function checkPreview(document: unknown, origin = "the preview"): PreviewDigest {
  const hint = "(did `pulumi preview --json` fail? see its log)";
  if (!isObject(document) || !Array.isArray(document.steps)) {
    throw new BadInputError(`${origin} is not a \`pulumi preview --json\` document (no "steps") ${hint}`);
  }
  if (document.steps.length > LIMITS.steps) {
    throw new BadInputError(`${origin} has ${document.steps.length} steps; at most ${LIMITS.steps} are read`);
  }
  document.steps.forEach((step: unknown, i: number) => {
    const where = `${origin}: steps[${i}]`;
    if (!isObject(step) || typeof step.op !== "string" || typeof step.urn !== "string") {
      throw new BadInputError(`${where} is not a step (an object with a string "op" and "urn")`);
    }
    checkState(step.oldState, `${where}.oldState`);
    checkState(step.newState, `${where}.newState`);
  });
  if (document.config !== undefined && !isObject(document.config))
    throw new BadInputError(`${origin}: "config" is not an object`);
  // Without --show-sames the JSON lists only what changes, yet counts the rest in changeSummary.same: the
  // totals would be of the changed resources alone (pulumi/pulumi pkg/backend/display/json.go, shouldShow).
  const same = isObject(document.changeSummary) ? Number(document.changeSummary.same ?? 0) : 0;
  if (same > 0 && !document.steps.some((step: { op: string }) => step.op === "same")) {
    throw new BadInputError(
      `${origin} lists no unchanged resources although ${same} are unchanged: run \`pulumi preview --json --show-sames\` so the totals cover the whole stack`,
    );
  }
  return document as unknown as PreviewDigest;
}

/** A preview from its text, at most LIMITS.previewBytes, with errors that name the document. */
export function parsePreview(text: string, origin = "the preview"): PreviewDigest {
  const hint = "(did `pulumi preview --json` fail? see its log)";
  if (text.length > LIMITS.previewBytes) {
    throw new BadInputError(`${origin} is larger than ${LIMITS.previewBytes / 2 ** 20} MiB`);
  }
  if (text.trim() === "") throw new BadInputError(`${origin} is empty ${hint}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) throw new BadInputError(`${origin} is nested too deeply to read`);
    throw new BadInputError(`${origin} is not JSON ${hint}: ${(error as Error).message}`);
  }
  return checkPreview(document, origin);
}

/**
 * A URN is `urn:pulumi:<stack>::<project>::<qualified type>::<name>`: the name is everything after the third
 * `::` (it may hold `::` itself), the qualified type the parent types and the type joined by `$`.
 */
function splitUrn(urn: string): { qualified: string; name: string } {
  const first = urn.indexOf("::");
  const second = first === -1 ? -1 : urn.indexOf("::", first + 2);
  const third = second === -1 ? -1 : urn.indexOf("::", second + 2);
  if (third === -1) {
    const last = urn.lastIndexOf("::");
    return { qualified: "", name: last === -1 ? urn : urn.slice(last + 2) };
  }
  return { qualified: urn.slice(second + 2, third), name: urn.slice(third + 2) };
}

export function nameFromUrn(urn: string): string {
  return splitUrn(urn).name;
}

/** The URN's type and the type of the component it belongs to: `…::parent$type::name`. */
function typesOfUrn(urn: string): { type: string; parent: string | undefined } {
  const { qualified } = splitUrn(urn);
  const last = qualified.lastIndexOf("$");
  if (last === -1) return { type: qualified, parent: undefined };
  const before = qualified.lastIndexOf("$", last - 1);
  return { type: qualified.slice(last + 1), parent: qualified.slice(before + 1, last) };
}

/** `urn:pulumi:<stack>::<project>::…`: the stack and project of a URN, when it has that shape. */
export function stackOfUrn(urn: string): { stack: string; project: string } | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return match ? { stack: match[1] as string, project: match[2] as string } : undefined;
}

/** The stack and project the preview's resources belong to. */
export function stackOfPreview(digest: PreviewDigest): { stack: string; project: string } | undefined {
  for (const step of digest.steps) {
    const found = stackOfUrn(step.urn);
    if (found) return found;
  }
  return undefined;
}

interface Side {
  inputs: Record<string, unknown>;
  custom: boolean | undefined;
  provider: string | undefined;
}

function sideOf(step: PreviewStep | undefined, which: "oldState" | "newState"): Side | undefined {
  const state = step?.[which];
  if (!state?.inputs) return undefined;
  return { inputs: state.inputs, custom: state.custom, provider: state.provider ?? step?.provider };
}

function changeOf(steps: readonly PreviewStep[]): ChangeKind {
  let create = false;
  let remove = false;
  let update = false;
  for (const { op } of steps) {
    if (REPLACE_OPS.has(op)) return "replace";
    if (op === "create" || op === "import") create = true;
    else if (op === "delete" || op === "discard") remove = true;
    else if (op === "update") update = true;
  }
  if (create) return "create";
  if (remove) return "delete";
  return update ? "update" : "same";
}

/** One side of a change as the pricers read it, billed in the region its own provider names. */
function pricedInput(
  change: ResourceChange,
  parent: PricedInput["parent"],
  side: Side,
  regions: Regions,
  which: "before" | "after",
): PricedInput {
  const region = regions.regionOf(change.type, side.inputs, side.provider, which);
  const made: PricedInput = { type: change.type, name: change.name, urn: change.urn, inputs: side.inputs };
  if (parent) made.parent = parent;
  if (side.custom !== undefined) made.custom = side.custom;
  if (region) made.region = region;
  return made;
}

/**
 * One change per resource, each side billed in its own region. A replacement can appear as up to three steps
 * with the same URN (create-replacement, replace, delete-replaced); they are folded into one "replace" so the
 * resource is counted once, before and after.
 */
export function changesFromPreview(digest: PreviewDigest, options: RegionOptions = {}): ResourceChange[] {
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of digest.steps) {
    const list = byUrn.get(step.urn);
    if (list) list.push(step);
    else byUrn.set(step.urn, [step]);
  }
  const regions = regionsOf(digest, options);
  const changes: ResourceChange[] = [];
  for (const [urn, steps] of byUrn) {
    const fromUrn = typesOfUrn(urn);
    const type =
      steps.find((s) => s.newState?.type)?.newState?.type ??
      steps.find((s) => s.oldState?.type)?.oldState?.type ??
      fromUrn.type;
    const name = nameFromUrn(urn);
    const change = changeOf(steps);
    const parent = fromUrn.parent ? { type: fromUrn.parent, name: "" } : undefined;
    const old =
      change === "create"
        ? undefined
        : sideOf(
            steps.find((s) => s.oldState?.inputs),
            "oldState",
          );
    let next: Side | undefined;
    if (change !== "delete") {
      next = sideOf(
        steps.find((s) => !GONE_OPS.has(s.op) && s.newState?.inputs),
        "newState",
      );
      if (!next && change === "same") next = old;
    }
    const resource: ResourceChange = { urn, type, name, change };
    if (old) resource.before = pricedInput(resource, parent, old, regions, "before");
    if (next) resource.after = pricedInput(resource, parent, next, regions, "after");
    changes.push(resource);
  }
  return changes;
}

/**
 * The stack was never deployed: every step of the preview is a `create` (on such a stack even the
 * `pulumi:pulumi:Stack` resource is one). A stack already deployed has at least its stack resource as a
 * `same` step (the preview is read with `--show-sames`), however little its resources cost.
 */
export function neverDeployed(digest: PreviewDigest): boolean {
  const steps = digest.steps;
  return steps.length > 0 && steps.every((step) => step.op === "create");
}
