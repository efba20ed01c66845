import * as path from "node:path";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import { type ProgramRun, repoRoot, runProgram } from "../testing/mocks";
import { ofType } from "./stacks";

const bootstrapDir = path.join(repoRoot, "infra", "bootstrap");

/** The bootstrap program for its example stack (infra/bootstrap/Pulumi.ci.yaml) under mocks. */
export function runBootstrap(overrides: Record<string, string> = {}): Promise<ProgramRun> {
  return runProgram("ci", overrides, {
    projectDir: bootstrapDir,
    configNamespace: "bootstrap",
    entry: async () => {
      const [{ defineBootstrap }, { loadBootstrapSettings }] = await Promise.all([
        import("../bootstrap/bootstrap"),
        import("../bootstrap/settings"),
      ]);
      const settings = loadBootstrapSettings();
      return async () => defineBootstrap(settings);
    },
  });
}

export const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const roleNamed = (run: ProgramRun, name: string) =>
  ofType(run.resources, "aws:iam/role:Role").find((r) => r.name === name);

export const permissionsOf = (run: ProgramRun, name: string): PolicyDocument =>
  JSON.parse(
    ofType(run.resources, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === name)?.inputs.policy,
  ) as PolicyDocument;

export const statementsOf = (run: ProgramRun, name: string): PolicyStatement[] =>
  permissionsOf(run, name).Statement;

export const trustDocumentOf = (run: ProgramRun, name: string) =>
  JSON.parse(roleNamed(run, name)?.inputs.assumeRolePolicy) as PolicyDocument;

/** The example stack's repository (infra/bootstrap/Pulumi.ci.yaml). */
export const exampleRepository = {
  fullName: "your-org/cost-aware-platform",
  repositoryId: "812345678",
  ownerId: "91234567",
};
