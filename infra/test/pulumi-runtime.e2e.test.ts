import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../under-mocks/mocks";

/** What the Pulumi CLI sees: Pulumi.yaml, then infra/ loaded as the Node.js language host loads it. */
describe("the program as the Pulumi Node.js runtime loads it", () => {
  it("Pulumi.yaml: nodejs with TypeScript, main infra/, a template asking for the settings", () => {
    const project = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"));
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
    expect(project.main).toBe("infra/");
    expect(Object.keys(project.template.config)).toContain("platform:clusterAdminRoleArns");
    expect(project.template.config["platform:telegramBotToken"].secret).toBe(true);
  });

  it("infra/ is CommonJS whatever the root package says, with main index.ts", () => {
    const infraPackage = JSON.parse(fs.readFileSync(path.join(repoRoot, "infra", "package.json"), "utf8"));
    expect(infraPackage.type).toBeUndefined();
    expect(infraPackage.main).toBe("index.ts");
    for (const dir of ["policy", "bootstrap"]) {
      // Their own package.json stops the language host's upward search at their own index.ts.
      const own = JSON.parse(fs.readFileSync(path.join(repoRoot, "infra", dir, "package.json"), "utf8"));
      expect(own.main).toBe("index.ts");
      expect(own.type).toBeUndefined();
      expect(fs.existsSync(path.join(repoRoot, "infra", dir, "tsconfig.json"))).toBe(true);
    }
  });

  for (const stack of ["dev", "local"]) {
    it(`${stack}: require("infra/") under CommonJS exports the program function, which registers the stack`, () => {
      const output = execFileSync(
        process.execPath,
        [path.join(repoRoot, "infra", "under-mocks", "load-like-pulumi.cjs"), stack],
        {
          cwd: repoRoot,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
          timeout: 60_000,
        },
      );
      const result = JSON.parse(output.trim().split("\n").pop() as string);
      expect(result.exportIsFunction).toBe(true);
      expect(result.moduleKind).toBe("CommonJS");
      expect(result.types[0]).toBe("pulumi:pulumi:Stack");
      expect(result.types).toContain("kubernetes:helm.sh/v3:Release");
      expect(result.types.includes("aws:eks/cluster:Cluster")).toBe(stack === "dev");
      expect(result.outputKeys).toContain("grafanaAccess");
    });
  }

  // From infra/bootstrap/Pulumi.ci.yaml as the user set it (an existing OIDC provider, no state bucket for Pulumi
  // Cloud): what must hold whatever it says. infra/test/bootstrap.test.ts checks the resources on a fixture.
  it('the bootstrap: require("infra/bootstrap/") under CommonJS registers the CI roles', () => {
    const output = execFileSync(
      process.execPath,
      [path.join(repoRoot, "infra", "under-mocks", "load-like-pulumi.cjs"), "ci", "infra/bootstrap"],
      { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 },
    );
    const result = JSON.parse(output.trim().split("\n").pop() as string);
    expect(result.exportIsFunction).toBe(true);
    expect(result.moduleKind).toBe("CommonJS");
    expect(result.types).toContain("aws:iam/role:Role");
    expect(result.outputKeys).toEqual(
      expect.arrayContaining(["deployRoleArn", "driftRoleArn", "previewRoleArn"]),
    );
  });
});
