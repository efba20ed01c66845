// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { workflowsDir } from "../bootstrap/required-checks";
import { type ProgramRun, repoRoot } from "../under-mocks/mocks";
import { githubIds, runBootstrap } from "./bootstrap-run";
import { ci, environmentsOf, one, useBootstrapRun, workflowFiles, workflowText } from "./github-settings-run";
import { ofType } from "./stacks";

/**
 * The environments, variables and label the bootstrap creates, as the workflows read them.
 */
useBootstrapRun();

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
    // Whoever pushed or merged the change cannot approve its own production deploy.
    expect(environments.production?.preventSelfReview).toBe(true);
    expect(environments.dev?.preventSelfReview).toBeUndefined();
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
