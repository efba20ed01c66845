import { UNKNOWN } from "./inputs.js";
import type { PreviewDigest, PreviewStep } from "./preview-document.js";

/**
 * Where each resource is billed: the region its own provider is configured with. An AWS resource's `region`
 * input (AWS provider v7 lets a resource name its own), else its explicit provider's `region`, else the
 * default AWS provider's, else `aws:region` in the preview's config, else the region given to the engine.
 * A Kubernetes object has no AWS provider: it is billed where the stack's default AWS provider points.
 */
export interface RegionOptions {
  /** the last fallback: `--region`, or the configuration's `region` */
  region?: string | undefined;
}

const AWS_PROVIDER = "pulumi:providers:aws";
type Side = "before" | "after";

function regionInput(inputs: Record<string, unknown> | undefined): string | undefined {
  const region = inputs && Object.hasOwn(inputs, "region") ? inputs.region : undefined;
  return typeof region === "string" && region !== "" && region !== UNKNOWN ? region : undefined;
}

function typeOfStep(step: PreviewStep): string | undefined {
  const type = step.newState?.type ?? step.oldState?.type;
  if (type) return type;
  const parts = step.urn.split("::");
  return (parts[parts.length - 2] ?? "").split("$").pop();
}

/** `<provider urn>::<id>` → the provider's URN. */
function providerUrn(reference: string): string {
  const at = reference.lastIndexOf("::");
  return at === -1 ? reference : reference.slice(0, at);
}

export interface Regions {
  /** the region a resource on one side of the change is billed in, or undefined when nothing says */
  regionOf(
    type: string,
    inputs: Record<string, unknown>,
    provider: string | undefined,
    side: Side,
  ): string | undefined;
  /** the stack's own region: its default AWS provider's, else `aws:region`, else the given one */
  stackRegion(side?: Side): string | undefined;
}

export function regionsOf(digest: PreviewDigest, options: RegionOptions = {}): Regions {
  const providers: Record<Side, Map<string, string | undefined>> = { before: new Map(), after: new Map() };
  const defaults: Record<Side, string | undefined> = { before: undefined, after: undefined };
  for (const step of digest.steps) {
    if (typeOfStep(step) !== AWS_PROVIDER) continue;
    const isDefault = step.urn.slice(step.urn.lastIndexOf("::") + 2).startsWith("default");
    const sides: [Side, Record<string, unknown> | undefined][] = [
      ["before", step.oldState?.inputs],
      ["after", step.newState?.inputs ?? (step.op === "same" ? step.oldState?.inputs : undefined)],
    ];
    for (const [side, inputs] of sides) {
      if (!inputs) continue;
      const region = regionInput(inputs);
      providers[side].set(step.urn, region);
      if (isDefault && region && !defaults[side]) defaults[side] = region;
    }
  }
  const configured = digest.config?.["aws:region"];
  const configRegion = typeof configured === "string" && configured !== "" ? configured : undefined;
  const fallback = {
    before: defaults.before ?? defaults.after ?? configRegion ?? options.region,
    after: defaults.after ?? defaults.before ?? configRegion ?? options.region,
  };
  const stackRegion = (side: Side = "after") => fallback[side];
  return {
    stackRegion,
    regionOf(type, inputs, provider, side) {
      if (type.startsWith("aws:")) {
        const own = regionInput(inputs);
        if (own) return own;
        const explicit = provider ? providers[side].get(providerUrn(provider)) : undefined;
        if (explicit) return explicit;
      }
      return stackRegion(side);
    },
  };
}
