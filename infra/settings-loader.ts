import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * What the program's settings (`platform:*`, config.ts) and the bootstrap's (`bootstrap:*`) share: raw
 * Pulumi config strings of one namespace → zod → either the parsed settings or one SettingsError listing
 * every bad value, each line naming `<namespace>:<key>`. Called before any resource is registered.
 */

/** A setting had a value the program does not accept; the message names `<namespace>:<key>`. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/** The stack's `<namespace>:*` configuration, keys without the namespace. */
export function readConfigNamespace(namespace: string): Record<string, string> {
  const prefix = `${namespace}:`;
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  }
  return raw;
}

/**
 * A whole number written in decimal digits. `z.coerce.number()` would take `0x10`, `1e3`, ` 7` or `""`
 * (as 0): Pulumi passes every value as a string, so the text itself is checked first.
 */
export function wholeNumber(bounds: { min?: number; max?: number } = {}) {
  let number = z.number().int();
  if (bounds.min !== undefined) number = number.min(bounds.min);
  if (bounds.max !== undefined) number = number.max(bounds.max);
  return z
    .union([z.number(), z.string()])
    .transform((value) => String(value))
    .pipe(z.string().regex(/^\d+$/, "a whole number in decimal digits (no sign, hex or exponent)"))
    .transform(Number)
    .pipe(number);
}

export const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]);

export interface NamespacedParse<S extends z.ZodType> {
  namespace: string;
  /** Heading of the error, e.g. "stack settings". */
  title: string;
  schema: S;
  raw: Record<string, string>;
  /** Keys whose values are YAML lists or maps (passed by Pulumi as JSON text). */
  structuredKeys?: ReadonlySet<string>;
  /** Keys read elsewhere as Pulumi secrets, skipped here. */
  secretKeys?: ReadonlySet<string>;
  /** Where the list of settings is documented, for the "not a setting" message. */
  documentedIn: string;
}

/** Parses one namespace's raw strings, or throws one SettingsError listing every problem. */
export function parseNamespaced<S extends z.ZodType>(args: NamespacedParse<S>): z.output<S> {
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(args.raw)) {
    // An empty value means "not set": `pulumi config set <ns>:x ""` is how a stack clears one.
    if (args.secretKeys?.has(key) || value === "") continue;
    if (args.structuredKeys?.has(key)) {
      try {
        input[key] = JSON.parse(value);
      } catch {
        problems.push(
          `${args.namespace}:${key}: expected a YAML/JSON list or map, got ${JSON.stringify(value)}`,
        );
      }
    } else {
      input[key] = value;
    }
  }
  const result = args.schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const unknownKey of issue.keys) {
          problems.push(
            `${args.namespace}:${unknownKey}: not a setting of this program (see ${args.documentedIn} for the list)`,
          );
        }
        continue;
      }
      // A list item is named by its index, a value inside a structured setting by its path.
      const inside = issue.path.slice(1);
      const name = typeof inside[0] === "string" ? issue.path.join(".") : String(issue.path[0] ?? "");
      const detail = typeof inside[0] === "number" ? ` (item ${inside.join(".")})` : "";
      problems.push(`${args.namespace}:${name}${detail}: ${issue.message}`);
    }
  }
  if (problems.length > 0) {
    throw new SettingsError(`Invalid ${args.title}:\n  ${problems.join("\n  ")}`);
  }
  return (result as { data: z.output<S> }).data;
}
