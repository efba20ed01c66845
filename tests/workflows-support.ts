import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll } from "vitest";
import { parse } from "yaml";

/**
 * Shared by the workflows.*.e2e.test.ts files: the workflow files under .github/workflows parsed, readers of
 * their jobs and steps, the stack list they deploy, and the tools the tests run against them.
 */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const workflowsDir = join(root, ".github", "workflows");
export const validator = join(root, "node_modules", ".bin", "action-validator");
export const run = promisify(execFile);

/** A directory for the calling test file, removed after its tests. */
export function scratchDir(): string {
  const scratch = mkdtempSync(join(tmpdir(), "workflows-test-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  return scratch;
}

// biome-ignore lint/suspicious/noExplicitAny: workflow YAML is free-form
export type Yaml = Record<string, any>;
export type Permissions = Record<string, string> | string | undefined;

export const files = readdirSync(workflowsDir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
export const text = (file: string) => readFileSync(join(workflowsDir, file), "utf8");
export const workflow = (file: string): Yaml => parse(text(file)) as Yaml;
export const job = (file: string, id: string): Yaml => {
  const found = workflow(file).jobs?.[id];
  if (!found) throw new Error(`${file} has no job ${id}`);
  return found as Yaml;
};
export const stacks = (
  JSON.parse(readFileSync(join(root, ".github", "stacks.json"), "utf8")) as {
    stacks: { name: string; environment: string; pullRequestPreview: boolean }[];
  }
).stacks;
export const steps = (j: Yaml): Yaml[] => (j.steps ?? []) as Yaml[];
/** A step's shell script. */
export const runOf = (s: Yaml) => String(s.run ?? "");
export const usesOf = (j: Yaml, action: string) =>
  steps(j).filter((s) => String(s.uses ?? "").startsWith(`${action}@`));

/** Every job in every workflow, with the permission scopes it is granted write access to. */
export const jobs = files.flatMap((file) =>
  Object.entries((workflow(file).jobs ?? {}) as Record<string, Yaml>).map(([id, j]) => ({
    file,
    id,
    job: j,
  })),
);
export const writes = (permissions: Permissions): string[] =>
  typeof permissions === "object" && permissions
    ? Object.entries(permissions)
        .filter(([, level]) => level === "write")
        .map(([scope]) => scope)
        .sort()
    : [];
