import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * The status checks the ruleset on the deploy branch requires, derived from the workflow files as GitHub names
 * them, so renaming a job or adding a matrix value changes the ruleset with it instead of leaving it waiting for
 * a check that never comes. GitHub's rules (sources dated in README.md, "Documentation this relies on"):
 * - a job's check run is named by its `name:` (the job id when it has none), not by its workflow;
 * - a matrix job whose name uses `${{ matrix.<key> }}` reports the evaluated name, one check per combination;
 *   one whose name does not gets ` (<value>, <value>)` appended (object-valued entries field by field, cut at
 *   100 characters).
 * Forms these workflows do not use (`include`/`exclude`, a whole matrix from an expression, reusable workflows,
 * whose checks are named `<caller> / <callee>`) are refused rather than guessed.
 */
export const workflowsDir = path.resolve(path.dirname(__filename), "..", "..", ".github", "workflows");

/** CI's tests, and each previewed stack's preview (which fails over the stack's cost guardrail). */
export const requiredJobs = [
  { workflow: "ci.yml", job: "test" },
  { workflow: "preview.yml", job: "preview" },
] as const;

/**
 * The GitHub Actions app (`gh api apps/github-actions --jq .id`): a required check must come from it, not from
 * a commit status that anyone with write access can post under the same name.
 */
export const GITHUB_ACTIONS_APP_ID = 15368;

/** Values of the expressions a matrix may be built from, e.g. `needs.stacks.outputs.names` → `["dev"]`. */
export type KnownOutputs = Record<string, readonly string[]>;

const expression = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const fromJson = /^\$\{\{\s*fromJSON\(\s*([\w.-]+)\s*\)\s*\}\}$/;

function axisValues(where: string, key: string, value: unknown, outputs: KnownOutputs): string[] {
  if (Array.isArray(value)) {
    if (value.some((v) => typeof v === "object" && v !== null)) {
      throw new Error(`${where}: matrix.${key} holds objects; name the job with the fields you want checked`);
    }
    return value.map(String);
  }
  const source = typeof value === "string" ? fromJson.exec(value.trim())?.[1] : undefined;
  const known = source ? outputs[source] : undefined;
  if (!known) {
    throw new Error(
      `${where}: matrix.${key} is ${JSON.stringify(value)}, whose values are not known here (known: ${Object.keys(outputs).join(", ") || "none"})`,
    );
  }
  return [...known];
}

function combinations(axes: [string, string[]][]): Record<string, string>[] {
  return axes.reduce<Record<string, string>[]>(
    (combos, [key, values]) => combos.flatMap((combo) => values.map((v) => ({ ...combo, [key]: v }))),
    [{}],
  );
}

/** The check names GitHub reports for one job of a workflow file. */
export function checkNamesOf(args: {
  workflow: string;
  job: string;
  outputs?: KnownOutputs;
  dir?: string;
}): string[] {
  const { workflow, job, outputs = {}, dir = workflowsDir } = args;
  const where = `${workflow} job ${job}`;
  const document = parse(fs.readFileSync(path.join(dir, workflow), "utf8")) as {
    jobs?: Record<string, { name?: unknown; uses?: unknown; strategy?: { matrix?: unknown } }>;
  };
  const definition = document.jobs?.[job];
  if (!definition) throw new Error(`${workflow} has no job ${job}`);
  if (definition.uses) throw new Error(`${where} calls a reusable workflow: its checks are not named here`);
  const name = definition.name === undefined ? job : String(definition.name);
  const matrix = definition.strategy?.matrix;
  if (matrix === undefined) {
    if (name.includes("${{")) throw new Error(`${where}: its name is an expression (${name})`);
    return [name];
  }
  if (typeof matrix !== "object" || matrix === null || Array.isArray(matrix)) {
    throw new Error(`${where}: a matrix given as one expression cannot be expanded here`);
  }
  const entries = Object.entries(matrix as Record<string, unknown>);
  const unsupported = entries.map(([key]) => key).filter((key) => key === "include" || key === "exclude");
  if (unsupported.length > 0)
    throw new Error(`${where}: matrix ${unsupported.join(" and ")} is not supported`);
  const axes = entries.map(([key, value]): [string, string[]] => [
    key,
    axisValues(where, key, value, outputs),
  ]);
  return combinations(axes).map((combo) => {
    if (!name.includes("${{")) return `${name} (${Object.values(combo).join(", ")})`;
    return name.replace(expression, (whole, inner: string) => {
      const key = /^matrix\.([\w-]+)$/.exec(inner)?.[1];
      if (key === undefined || !(key in combo)) throw new Error(`${where}: its name uses ${whole}`);
      return combo[key] as string;
    });
  });
}

/**
 * Every check the ruleset requires. The preview matrix is the `stacks` job's output, the stacks with
 * `pullRequestPreview` (its jq over .github/stacks.json; tests/workflows.permissions.e2e.test.ts runs it).
 */
export function requiredCheckNames(previewedStacks: readonly string[], dir = workflowsDir): string[] {
  const outputs = { "needs.stacks.outputs.names": previewedStacks };
  return requiredJobs.flatMap(({ workflow, job }) => checkNamesOf({ workflow, job, outputs, dir }));
}
