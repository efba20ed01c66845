import * as path from "node:path";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import { type ProgramRun, repoRoot, runProgram } from "../testing/mocks";
import { ofType } from "./stacks";

const bootstrapDir = path.join(repoRoot, "infra", "bootstrap");

/**
 * The repository the bootstrap tests trust. A fixture, not infra/bootstrap/Pulumi.ci.yaml: README step 2 has a
 * user set their own repository there (`pulumi config set bootstrap:…`), and these expectations must not move.
 */
export const exampleRepository = {
  fullName: "your-org/cost-aware-platform",
  repositoryId: "812345678",
  ownerId: "91234567",
};

/** The bootstrap program for a fixture `ci` stack (the example repository in us-east-1) under mocks. */
export function runBootstrap(overrides: Record<string, string> = {}): Promise<ProgramRun> {
  return runProgram("ci", overrides, {
    projectDir: bootstrapDir,
    stackConfig: {
      "bootstrap:githubRepository": exampleRepository.fullName,
      "bootstrap:githubRepositoryId": exampleRepository.repositoryId,
      "bootstrap:githubOwnerId": exampleRepository.ownerId,
      "bootstrap:region": "us-east-1",
    },
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
