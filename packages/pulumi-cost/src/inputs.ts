import { type Bound, checked } from "./limits.js";

/**
 * Reading resource inputs as `pulumi preview --json` and the mocks harness hand them over: nested plain data
 * in which a value not known until apply is Pulumi's unknown sentinel. Only an object's own properties are
 * read, so a key such as `__proto__` or `constructor` in the input is just a missing value.
 */

/** A resource as the program declares it: Pulumi type token, logical name and inputs. */
export interface PricedInput {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  urn?: string;
  /** The component it belongs to (`platform:cluster:EksCluster`), when the source says. */
  parent?: { type: string; name: string };
  /** false for a component resource, which AWS never bills: what it creates is priced on its own */
  custom?: boolean;
  /** the AWS region it is billed in, from its own provider (see regions.ts) */
  region?: string;
}

/** Pulumi marks values that are not known until apply with this sentinel in preview output. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** Paths are the engine's own constants: split once each. */
const splitPaths = new Map<string, string[]>();

export function at(value: unknown, path: string): unknown {
  let keys = splitPaths.get(path);
  if (!keys) {
    keys = path.split(".");
    if (splitPaths.size < 10_000) splitPaths.set(path, keys);
  }
  let current: unknown = value;
  for (const key of keys) {
    current = own(current, key);
    if (current === undefined) return undefined;
  }
  return current === UNKNOWN ? undefined : current;
}

export function numberAt(value: unknown, path: string): number | undefined {
  const found = at(value, path);
  if (typeof found === "number") return found;
  if (typeof found === "string" && found.trim() !== "" && !Number.isNaN(Number(found))) return Number(found);
  return undefined;
}

/** A number of the resource's inputs, refused (exit 2) when negative, fractional or above its bound. */
export function boundedAt(
  resource: PricedInput,
  path: string,
  bound: Bound,
  from: unknown = resource.inputs,
  field = path,
): number | undefined {
  const found = numberAt(from, path);
  return found === undefined ? undefined : checked(found, bound, resource, field);
}

export function stringAt(value: unknown, path: string): string | undefined {
  const found = at(value, path);
  return typeof found === "string" ? found : undefined;
}

export function objectAt(value: unknown, path: string): Record<string, unknown> | undefined {
  const found = at(value, path);
  return found !== null && typeof found === "object" && !Array.isArray(found)
    ? (found as Record<string, unknown>)
    : undefined;
}

export function arrayAt(value: unknown, path: string): unknown[] | undefined {
  const found = at(value, path);
  return Array.isArray(found) ? found : undefined;
}

const BINARY = new Map([
  ["Ki", 2 ** 10],
  ["Mi", 2 ** 20],
  ["Gi", 2 ** 30],
  ["Ti", 2 ** 40],
  ["Pi", 2 ** 50],
]);
const DECIMAL = new Map([
  ["", 1],
  ["k", 1e3],
  ["M", 1e6],
  ["G", 1e9],
  ["T", 1e12],
  ["P", 1e15],
]);
const QUANTITY = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P|)\s*$/;

/** A Kubernetes byte quantity ("96Mi", "1Gi", "10G", 1073741824) as bytes, or undefined. */
export function quantityToBytes(quantity: unknown): number | undefined {
  if (typeof quantity === "number" && Number.isFinite(quantity)) return quantity;
  if (typeof quantity !== "string") return undefined;
  const match = QUANTITY.exec(quantity);
  if (!match) return undefined;
  const suffix = match[2] ?? "";
  const factor = BINARY.get(suffix) ?? DECIMAL.get(suffix);
  return factor === undefined ? undefined : Math.ceil(Number(match[1]) * factor);
}

/**
 * A Kubernetes storage quantity as whole GiB, rounded up the way the EBS CSI driver sizes the volume it
 * creates ("10G" = 9.31 GiB → 10).
 */
export function quantityToGiB(quantity: unknown): number | undefined {
  const bytes = quantityToBytes(quantity);
  return bytes === undefined ? undefined : Math.ceil(bytes / 2 ** 30);
}

/** A Kubernetes CPU quantity ("50m", "0.5", 2) as millicores, or undefined. */
export function quantityToMillicores(quantity: unknown): number | undefined {
  if (typeof quantity === "number" && Number.isFinite(quantity)) return Math.ceil(quantity * 1000);
  if (typeof quantity !== "string") return undefined;
  const milli = /^\s*([0-9]+)m\s*$/.exec(quantity);
  if (milli) return Number(milli[1]);
  const cores = /^\s*([0-9]+(?:\.[0-9]+)?)\s*$/.exec(quantity);
  return cores ? Math.ceil(Number(cores[1]) * 1000) : undefined;
}

/** Deeper than this, two inputs are taken as different (only a missed reuse, never a wrong price). */
const SAME_DEPTH = 64;

function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (depth > SAME_DEPTH || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], other[i], depth + 1)) return false;
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return false;
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    if (!sameValue(x, y, depth + 1)) return false;
  }
  return true;
}

/** Whether two sides of a resource are the same to a pricer: type, name, region, kind and inputs. */
export function sameResource(a: PricedInput, b: PricedInput): boolean {
  return (
    a === b ||
    (a.type === b.type &&
      a.name === b.name &&
      a.region === b.region &&
      a.custom === b.custom &&
      sameValue(a.inputs, b.inputs, 0))
  );
}
