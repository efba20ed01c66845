import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { workflowsDir } from "../bootstrap/required-checks";
import type { ProgramRun } from "../under-mocks/mocks";
import { runBootstrap } from "./bootstrap-run";
import { ofType } from "./stacks";

/**
 * Set-up shared by the github-settings*.test.ts files: the bootstrap's GitHub part under Pulumi mocks with
 * the real runtime, and the workflow files it is checked against. `ci` and `scratch` are live bindings that
 * useBootstrapRun's hooks fill in, so a test file reads them as plain variables.
 */
export let ci: ProgramRun;
export let scratch: string;
export function useBootstrapRun(): void {
  beforeAll(async () => {
    ci = await runBootstrap();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "required-checks-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
}

export const workflowFiles = fs.readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"));
export const workflowText = workflowFiles
  .map((f) => fs.readFileSync(path.join(workflowsDir, f), "utf8"))
  .join("\n");
export const one = (run: ProgramRun, type: string) => ofType(run.resources, `github:index/${type}`);
export const environmentsOf = (run: ProgramRun) =>
  Object.fromEntries(
    one(run, "repositoryEnvironment:RepositoryEnvironment").map((e) => [e.inputs.environment, e.inputs]),
  );
