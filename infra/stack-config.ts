import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/** The repository root, where Pulumi.yaml and the Pulumi.<stack>.yaml files are. */
// From __filename: tsx, loading this CommonJS file for an ES module (npm start), sets only __filename right.
export const repositoryRoot = path.resolve(path.dirname(__filename), "..");

/** A value that stands in for a `secure:` stack setting, which tests cannot decrypt. */
export const mockSecretValue = (key: string) => `mock-secret-for-${key}`;

/**
 * Reads `Pulumi.<stack>.yaml` into the flat `namespace:key` → string map the runtime expects
 * (lists and objects as JSON, like the CLI passes them). A missing stack file is an empty config.
 */
export function readStackConfig(
  stack: string,
  projectDir = repositoryRoot,
): { config: Record<string, string>; secretKeys: string[] } {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  if (!fs.existsSync(file)) return { config, secretKeys };
  const parsed = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  for (const [key, value] of Object.entries(parsed.config ?? {})) {
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      config[key] = mockSecretValue(key);
      secretKeys.push(key);
    } else if (typeof value === "string") {
      config[key] = value;
    } else {
      config[key] = JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

/** The stacks with a `Pulumi.<stack>.yaml` in the project directory. */
export function listStacks(projectDir = repositoryRoot): string[] {
  return fs
    .readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** Fails, naming the stacks there are, unless `Pulumi.<stack>.yaml` exists. */
export function requireStackFile(stack: string, projectDir = repositoryRoot): void {
  if (fs.existsSync(path.join(projectDir, `Pulumi.${stack}.yaml`))) return;
  throw new Error(
    `Pulumi.${stack}.yaml does not exist at the repository root; the stacks there are: ${listStacks(projectDir).join(", ") || "none"} (--stack <name>)`,
  );
}
