// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { environmentSecretsSetting } from "../bootstrap/github-settings";
import {
  checkNamesOf,
  GITHUB_ACTIONS_APP_ID,
  requiredCheckNames,
  workflowsDir,
} from "../bootstrap/required-checks";
import { readCiStacks } from "../ci-stacks";
import { type ProgramRun, repoRoot } from "../under-mocks/mocks";
import { githubIds, runBootstrap } from "./bootstrap-run";
import { ofType } from "./stacks";

/**
 * The bootstrap's GitHub part under Pulumi mocks with the real runtime: what GitHub would be asked to create,
 * checked against what the workflow files read (environments, `vars.*`, the label, the check names).
 */
let ci: ProgramRun;
let scratch: string;
beforeAll(async () => {
  ci = await runBootstrap();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "required-checks-"));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const workflowFiles = fs.readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"));
const workflowText = workflowFiles.map((f) => fs.readFileSync(path.join(workflowsDir, f), "utf8")).join("\n");
const one = (run: ProgramRun, type: string) => ofType(run.resources, `github:index/${type}`);
const environmentsOf = (run: ProgramRun) =>
  Object.fromEntries(
    one(run, "repositoryEnvironment:RepositoryEnvironment").map((e) => [e.inputs.environment, e.inputs]),
  );

describe("required checks, derived from the workflow files", () => {
  it("are CI's tests on both Node versions and each previewed stack's preview, as GitHub names them", () => {
    const previewed = readCiStacks()
      .filter((s) => s.pullRequestPreview)
      .map((s) => s.name);
    expect(requiredCheckNames(previewed)).toEqual([
      "npm test (Node lts)",
      "npm test (Node floor)",
      ...previewed.map((stack) => `preview (${stack})`),
    ]);
  });

  it("the ruleset on main requires exactly them, from the GitHub Actions app, and blocks deletion and force pushes", () => {
    const [ruleset] = one(ci, "repositoryRuleset:RepositoryRuleset");
    expect(ruleset?.inputs).toMatchObject({
      target: "branch",
      enforcement: "active",
      conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
    });
    expect(ruleset?.inputs.rules.requiredStatusChecks.requiredChecks).toEqual(
      ["npm test (Node lts)", "npm test (Node floor)", "preview (dev)"].map((context) => ({
        context,
        integrationId: GITHUB_ACTIONS_APP_ID,
      })),
    );
    expect(ruleset?.inputs.rules).toMatchObject({ deletion: true, nonFastForward: true });
    // Every change reaches main through a pull request (so through its preview); maintainers and admins, who
    // may approve a cost, may also merge one whose preview cannot run (a fork, Dependabot).
    expect(ruleset?.inputs.rules.pullRequest.requiredApprovingReviewCount).toBe(0);
    expect(ruleset?.inputs.bypassActors).toEqual([
      { actorId: 2, actorType: "RepositoryRole", bypassMode: "pull_request" },
      { actorId: 5, actorType: "RepositoryRole", bypassMode: "pull_request" },
    ]);
    expect(ci.outputs.requiredChecks).toEqual([
      "npm test (Node lts)",
      "npm test (Node floor)",
      "preview (dev)",
    ]);
  });

  /** A copy of the workflow files with one edited, to show the names follow the files. */
  const edited = (file: string, edit: (text: string) => string) => {
    const dir = fs.mkdtempSync(path.join(scratch, "workflows-"));
    for (const f of workflowFiles) fs.copyFileSync(path.join(workflowsDir, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dir, file), "utf8")));
    return dir;
  };

  it("follow a renamed job, a matrix value added, a name without matrix values and a job without a name", () => {
    const renamed = edited("ci.yml", (t) =>
      t.replace("name: npm test (Node ${{ matrix.node }})", "name: tests on ${{ matrix.node }}"),
    );
    expect(requiredCheckNames(["dev"], renamed).slice(0, 2)).toEqual(["tests on lts", "tests on floor"]);
    const moreStacks = requiredCheckNames(["dev", "staging"]);
    expect(moreStacks.slice(2)).toEqual(["preview (dev)", "preview (staging)"]);
    // GitHub appends the matrix values to a name that does not use them, and names a nameless job by its id.
    const plain = edited("ci.yml", (t) =>
      t.replace("name: npm test (Node ${{ matrix.node }})", "name: npm test"),
    );
    expect(checkNamesOf({ workflow: "ci.yml", job: "test", dir: plain })).toEqual([
      "npm test (lts)",
      "npm test (floor)",
    ]);
    const nameless = edited("ci.yml", (t) => t.replace("    name: npm test (Node ${{ matrix.node }})\n", ""));
    expect(checkNamesOf({ workflow: "ci.yml", job: "test", dir: nameless })).toEqual([
      "test (lts)",
      "test (floor)",
    ]);
    expect(requiredCheckNames([], workflowsDir)).toEqual(["npm test (Node lts)", "npm test (Node floor)"]);
  });

  it("refuse what they cannot name rather than guess", () => {
    const unknownSource = () => checkNamesOf({ workflow: "preview.yml", job: "preview" });
    expect(unknownSource).toThrow(
      /preview\.yml job preview: matrix\.stack is .*needs\.stacks\.outputs\.names.*not known here/,
    );
    const withInclude = edited("ci.yml", (t) =>
      t.replace("node: [lts, floor]", "node: [lts, floor]\n        include:\n          - node: next"),
    );
    expect(() => checkNamesOf({ workflow: "ci.yml", job: "test", dir: withInclude })).toThrow(
      /matrix include is not supported/,
    );
    expect(() => checkNamesOf({ workflow: "ci.yml", job: "lint" })).toThrow("ci.yml has no job lint");
    expect(() => checkNamesOf({ workflow: "deploy.yml", job: "deploy-dev" })).toThrow(
      /calls a reusable workflow/,
    );
  });
});

describe("environments, variables and the label, as the workflows read them", () => {
  it("creates the environments the workflows and the roles name: previews on any branch, the rest on main only", () => {
    const named = new Set<string>();
    for (const file of workflowFiles) {
      const jobs = (
        parse(fs.readFileSync(path.join(workflowsDir, file), "utf8")) as {
          jobs: Record<string, { environment?: string; with?: { environment?: string } }>;
        }
      ).jobs;
      for (const job of Object.values(jobs)) {
        for (const value of [job.environment, job.with?.environment])
          if (value && !value.includes("${{")) named.add(value);
      }
    }
    const environments = environmentsOf(ci);
    expect(Object.keys(environments).sort()).toEqual([...named].sort());
    expect(environments.preview?.deploymentBranchPolicy).toBeUndefined();
    expect(environments.preview?.reviewers).toBeUndefined();
    const policies = one(ci, "repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy");
    for (const name of ["drift", "dev", "production"]) {
      expect(environments[name]?.deploymentBranchPolicy, name).toEqual({
        protectedBranches: false,
        customBranchPolicies: true,
      });
      expect(policies.find((p) => p.inputs.environment === name)?.inputs.branchPattern, name).toBe("main");
    }
    // production (requiresApproval in .github/stacks.json) waits for the configured reviewer, by GitHub id.
    expect(environments.production?.reviewers).toEqual([
      { users: [githubIds["octo-maintainer"]], teams: [] },
    ]);
    expect(environments.dev?.reviewers).toBeUndefined();
  });

  it("sets every repository variable the workflows read, with the bootstrap's own values", () => {
    const read = new Set([...workflowText.matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1] as string));
    const variables = (run: ProgramRun) =>
      Object.fromEntries(
        one(run, "actionsVariable:ActionsVariable").map((v) => [v.inputs.variableName, v.inputs.value]),
      );
    const s3 = variables(ci);
    expect(s3).toEqual({
      PREVIEW_ROLE_ARN: "arn:aws:iam::123456789012:role/ci-preview-mock",
      DRIFT_ROLE_ARN: "arn:aws:iam::123456789012:role/ci-drift-mock",
      DEPLOY_ROLE_ARN: "arn:aws:iam::123456789012:role/ci-deploy-mock",
      AWS_REGION: "us-east-1",
      PULUMI_BACKEND_URL: "s3://state-mock?region=us-east-1",
    });
    return runBootstrap({
      stateBackend: "false",
      pulumiOrg: "acme",
      rightsizeStack: "prod",
      rightsizeAppClientId: "Iv23liExampleClient",
    }).then((cloud) => {
      const withCloud = variables(cloud);
      expect(withCloud.PULUMI_ORG).toBe("acme");
      expect(withCloud.RIGHTSIZE_STACK).toBe("prod");
      expect(withCloud.RIGHTSIZE_APP_CLIENT_ID).toBe("Iv23liExampleClient");
      expect(withCloud.PULUMI_BACKEND_URL).toBeUndefined();
      // Between the two backends, every variable a workflow reads is set, and nothing else.
      expect(new Set([...Object.keys(s3), ...Object.keys(withCloud)])).toEqual(read);
    });
  });

  it("creates the cost-approved label the preview workflow and cost-approval.cjs look for", () => {
    const [label] = one(ci, "issueLabel:IssueLabel");
    const { COST_APPROVED_LABEL } = require(path.join(repoRoot, ".github/scripts/cost-approval.cjs")) as {
      COST_APPROVED_LABEL: string;
    };
    expect(label?.inputs.name).toBe(COST_APPROVED_LABEL);
    expect(workflowText).toContain(`github.event.label.name == '${COST_APPROVED_LABEL}'`);
  });

  it("every GitHub resource goes through the one GitHub provider, for the repository's owner", () => {
    const [provider] = ofType(ci.resources, "pulumi:providers:github");
    expect(provider?.inputs.owner).toBe("your-org");
    const github = ci.resources.filter((r) => r.type.startsWith("github:"));
    expect(github.length).toBeGreaterThan(0);
    for (const resource of github) {
      expect(resource.provider, resource.name).toMatch(/pulumi:providers:github::github::/);
      expect(resource.inputs.repository, resource.name).toBe("cost-aware-platform");
    }
  });
});

describe("who approves deploys, where the plan allows", () => {
  it("without reviewers, the bootstrap names the setting and creates nothing", async () => {
    const error = await runBootstrap({ deployReviewers: "[]" }).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(error?.message).toContain("bootstrap:deployReviewers: who approves deploys in production");
    expect(error?.registeredResources).toEqual([]);
  });

  it("teams are looked up by slug in the repository's organisation; another organisation's team is refused", async () => {
    const run = await runBootstrap({
      deployReviewers: JSON.stringify(["octo-maintainer", "your-org/platform-leads"]),
    });
    expect(environmentsOf(run).production?.reviewers).toEqual([
      { users: [githubIds["octo-maintainer"]], teams: [githubIds["your-org/platform-leads"]] },
    ]);
    const foreign = await runBootstrap({ deployReviewers: JSON.stringify(["other-org/leads"]) }).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(foreign?.message).toContain(
      "bootstrap:deployReviewers: other-org/leads: a team must belong to your-org",
    );
    expect(foreign?.registeredResources).toEqual([]);
  });

  it("pull-request-review (no required reviewers on the plan): no reviewers, one approving review of the latest push", async () => {
    const run = await runBootstrap({ deployApproval: "pull-request-review", deployReviewers: "[]" });
    const environments = Object.values(environmentsOf(run)) as { reviewers?: unknown }[];
    expect(environments).toHaveLength(4);
    for (const environment of environments) expect(environment.reviewers).toBeUndefined();
    const [ruleset] = one(run, "repositoryRuleset:RepositoryRuleset");
    expect(ruleset?.inputs.rules.pullRequest).toEqual({
      requiredApprovingReviewCount: 1,
      dismissStaleReviewsOnPush: true,
      requireLastPushApproval: true,
    });
  });
});

describe("environment secrets the bootstrap owns", () => {
  const secrets = JSON.stringify({
    preview: { PULUMI_ACCESS_TOKEN: "pul-preview" },
    drift: { PULUMI_ACCESS_TOKEN: "pul-drift" },
  });

  it("one Actions secret per entry, in its environment, from a setting stored as a Pulumi secret", async () => {
    const run = await runBootstrap(
      { stateBackend: "false", environmentSecrets: secrets },
      { secretKeys: ["bootstrap:environmentSecrets"] },
    );
    const created = one(run, "actionsEnvironmentSecret:ActionsEnvironmentSecret").map((s) => s.inputs);
    expect(created).toEqual([
      {
        repository: "cost-aware-platform",
        environment: "preview",
        secretName: "PULUMI_ACCESS_TOKEN",
        value: "pul-preview",
      },
      {
        repository: "cost-aware-platform",
        environment: "drift",
        secretName: "PULUMI_ACCESS_TOKEN",
        value: "pul-drift",
      },
    ]);
    // The values reach the resource as Pulumi secrets, so the bootstrap's state keeps them encrypted.
    pulumi.runtime.setAllConfig({ "bootstrap:environmentSecrets": secrets }, [
      "bootstrap:environmentSecrets",
    ]);
    const values = environmentSecretsSetting(["preview", "drift"]);
    expect(await pulumi.isSecret(values.preview?.PULUMI_ACCESS_TOKEN as pulumi.Output<string>)).toBe(true);
  });

  it("keeps the right-sizing app's private key in the drift environment, beside its Pulumi credential", () => {
    const withKey = JSON.stringify({
      drift: { PULUMI_ACCESS_TOKEN: "pul-drift", RIGHTSIZE_APP_PRIVATE_KEY: "pem" },
    });
    pulumi.runtime.setAllConfig({ "bootstrap:environmentSecrets": withKey }, [
      "bootstrap:environmentSecrets",
    ]);
    expect(Object.keys(environmentSecretsSetting(["preview", "drift"]).drift ?? {})).toEqual([
      "PULUMI_ACCESS_TOKEN",
      "RIGHTSIZE_APP_PRIVATE_KEY",
    ]);
  });

  it.each([
    [secrets, [], "holds credentials: set it with pulumi config set --secret"],
    [
      JSON.stringify({ staging: { PULUMI_ACCESS_TOKEN: "x" } }),
      ["bootstrap:environmentSecrets"],
      "staging: not an environment the bootstrap manages (preview, drift, dev, production)",
    ],
    [
      JSON.stringify({ dev: { PULUMI_ACCESS_TOKEN: "x", PULUMI_CONFIG_PASSPHRASE: "y" } }),
      ["bootstrap:environmentSecrets"],
      "dev: one of PULUMI_ACCESS_TOKEN or PULUMI_CONFIG_PASSPHRASE per environment",
    ],
    [
      JSON.stringify({ dev: { AWS_SECRET_ACCESS_KEY: "x" } }),
      ["bootstrap:environmentSecrets"],
      "bootstrap:environmentSecrets:",
    ],
    [
      JSON.stringify({ preview: { PULUMI_ACCESS_TOKEN: "x", RIGHTSIZE_APP_PRIVATE_KEY: "k" } }),
      ["bootstrap:environmentSecrets"],
      "preview.RIGHTSIZE_APP_PRIVATE_KEY: only in the drift environment",
    ],
  ])("refuses %s before any resource", async (value, secretKeys, message) => {
    const error = await runBootstrap({ environmentSecrets: value }, { secretKeys }).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(error?.message).toContain(message);
    expect(error?.registeredResources).toEqual([]);
  });
});
