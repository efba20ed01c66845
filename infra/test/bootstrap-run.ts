import * as path from "node:path";
import type { PolicyDocument, PolicyStatement } from "../components/iam";
import { type ProgramRun, repoRoot, runProgram } from "../under-mocks/mocks";
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

/** GitHub's numeric ids of the fixture's people and teams, as `getUser` / `getTeam` answer. */
export const githubIds: Record<string, number> = {
  "octo-maintainer": 1_001,
  "your-org/platform-leads": 7_001,
};

/** Answers the GitHub provider's functions as GitHub would for the fixture's reviewers (unknown names fail). */
function githubInvoke(token: string, inputs: Record<string, unknown>) {
  if (token === "github:index/getUser:getUser") {
    const id = githubIds[String(inputs.username)];
    if (id === undefined) throw new Error(`GET /users/${inputs.username}: 404 Not Found`);
    return { id: String(id), login: inputs.username };
  }
  if (token === "github:index/getTeam:getTeam") {
    const id = githubIds[`your-org/${inputs.slug}`];
    if (id === undefined) throw new Error(`GET /orgs/your-org/teams/${inputs.slug}: 404 Not Found`);
    return { id: String(id), slug: inputs.slug };
  }
  return undefined;
}

/** The bootstrap program for a fixture `ci` stack (the example repository in us-east-1) under mocks. */
export function runBootstrap(
  overrides: Record<string, string> = {},
  options: { secretKeys?: string[] } = {},
): Promise<ProgramRun> {
  return runProgram("ci", overrides, {
    projectDir: bootstrapDir,
    stackConfig: {
      "bootstrap:githubRepository": exampleRepository.fullName,
      "bootstrap:githubRepositoryId": exampleRepository.repositoryId,
      "bootstrap:githubOwnerId": exampleRepository.ownerId,
      "bootstrap:region": "us-east-1",
      "bootstrap:deployReviewers": JSON.stringify(["octo-maintainer"]),
    },
    stackSecretKeys: options.secretKeys ?? [],
    invoke: githubInvoke,
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
