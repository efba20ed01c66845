// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogue, type ServiceEntry } from "../catalogue/services.js";
import { imageList } from "../infra/images-cli.js";
import { runProgram } from "../infra/under-mocks/mocks.js";
import { job, root, run, runOf, scratchDir, steps, type Yaml } from "./workflows-support.js";

/** The deploy builds and pushes the images the program references. */
const scratch = scratchDir();

describe("deploy builds and pushes what the program references (items 2 and 3)", () => {
  const up = job("pulumi-up.yml", "up");

  it("pushes the images before pulumi up, with no image settings handed to it", () => {
    const all = steps(up);
    const push = all.findIndex((s) => runOf(s).includes(".github/scripts/push-images.sh"));
    const pulumi = all.findIndex((s) => String(s.uses ?? "").startsWith("pulumi/actions"));
    expect(push).toBeGreaterThan(-1);
    expect(push).toBeLessThan(pulumi);
    expect(all[pulumi]?.with).toMatchObject({ command: "up", policyPacks: "infra/policy" });
    expect(all[pulumi]?.with["config-map"]).toBeUndefined();
    // The stack's own registry (its platform:region), as the program names it, not the runner's AWS_REGION.
    expect(runOf(all[push] as Yaml)).toContain('npm run --silent images -- --registry-of "$STACK_NAME"');
    expect(all[push]?.env).toMatchObject({ STACK_NAME: "${{ inputs.stack }}" });
  });

  it("push-images.sh: logs in, creates a missing repository, skips an image that exists, builds the rest", async () => {
    const bin = join(scratch, "fake-cloud");
    mkdirSync(bin, { recursive: true });
    const log = join(scratch, "calls.log");
    writeFileSync(log, "");
    const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    type Line = [string, string, string, string, string];
    const images = imageList(["--registry", registry], root)
      .trim()
      .split("\n")
      .map((line) => line.split("\t") as Line);
    const existingTag = (images.find(([s]) => s === "cost-exporter") as Line)[2].split(":").pop();
    // aws: storefront's repository is missing; cost-exporter's current image is already pushed.
    writeFileSync(
      join(bin, "aws"),
      `#!/usr/bin/env bash
echo "aws $*" >> "${log}"
case "$*" in
  "ecr get-login-password"*) echo password ;;
  "ecr describe-repositories --repository-names cost-aware-platform/storefront") exit 254 ;;
  "ecr describe-images --repository-name cost-aware-platform/cost-exporter --image-ids imageTag=${existingTag}") exit 0 ;;
  "ecr describe-images"*) exit 254 ;;
esac
`,
    );
    writeFileSync(
      join(bin, "docker"),
      `#!/usr/bin/env bash\necho "docker $*" >> "${log}"\ncat > /dev/null\n`,
    );
    for (const tool of ["aws", "docker"]) chmodSync(join(bin, tool), 0o755);
    await run("bash", [join(root, ".github/scripts/push-images.sh"), registry], {
      cwd: root,
      // The shell's region is another one: every call must go to the registry's.
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AWS_REGION: "eu-west-1" },
    });
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls.slice(0, 2).sort()).toEqual([
      "aws ecr get-login-password --region us-east-1",
      `docker login --username AWS --password-stdin ${registry}`,
    ]);
    expect(calls.filter((c) => c.startsWith("aws ecr create-repository"))).toEqual([
      expect.stringMatching(
        /^aws ecr create-repository --repository-name cost-aware-platform\/storefront --image-tag-mutability IMMUTABLE /,
      ),
    ]);
    expect(
      calls.some((c) =>
        c.startsWith("aws ecr put-lifecycle-policy --repository-name cost-aware-platform/storefront"),
      ),
    ).toBe(true);
    const builds = calls.filter((c) => c.startsWith("docker buildx build"));
    // For the nodes' architecture (AL2023 x86_64), whatever the machine that builds: an Apple-Silicon laptop
    // would otherwise push arm64 images under tags no later push replaces (IMMUTABLE, skipped when present).
    expect(images.map(([service, , , , buildArgs]) => [service, buildArgs])).toEqual(
      images.map(([service]) => [service, `SERVICE=${service}`]),
    );
    expect(builds).toEqual(
      images
        .filter(([service]) => service !== "cost-exporter")
        .map(
          ([, dockerfile, reference, , buildArgs]) =>
            `docker buildx build --platform linux/amd64 --file ${dockerfile} --build-arg ${buildArgs} --tag ${reference} --push .`,
        ),
    );
  }, 60_000);

  it("--registry-of names the registry the program names: the account's ECR in the stack's platform:region", async () => {
    // Whatever account and region Pulumi.dev.yaml holds: the registry of the images its Deployments name.
    const { resources, caller } = await runProgram("dev");
    const images = resources
      .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
      .flatMap((d) => (d.inputs.spec.template.spec.containers as { image: string }[]).map((c) => c.image))
      .filter((image) => image.includes(".dkr.ecr."));
    const registries = new Set(images.map((image) => image.slice(0, image.indexOf("/"))));
    expect(registries.size).toBe(1);
    expect(imageList(["--registry-of", "dev", "--account", caller.accountId], root)).toBe(
      `${[...registries][0]}\n`,
    );
    const elsewhere = mkdtempSync(join(scratch, "stack-"));
    writeFileSync(join(elsewhere, "Pulumi.yaml"), "name: cost-aware-platform\nruntime: nodejs\n");
    writeFileSync(
      join(elsewhere, "Pulumi.eu.yaml"),
      "config:\n  platform:region: eu-central-1\n  platform:clusterAdminRoleArns:\n    - arn:aws:iam::123456789012:role/platform-deploy\n",
    );
    expect(
      imageList(["--registry-of", "eu", "--account", "123456789012", "--partition", "aws-cn"], elsewhere),
    ).toBe("123456789012.dkr.ecr.eu-central-1.amazonaws.com.cn\n");
    expect(() => imageList(["--registry-of", "dev", "--account", "12"], root)).toThrow(/12-digit/);
  });

  it("the build list comes from the catalogue: a fixture service appears in it", () => {
    const fixture = {
      ...(catalogue.find((s) => s.name === "traffic") as ServiceEntry),
      name: "fixture-shop",
      port: 8099,
      image: { dockerfile: "services/Dockerfile", buildArgs: { SERVICE: "storefront" } },
      egress: [],
    };
    const lines = imageList(["--registry", "r.example"], root, [...catalogue, fixture]);
    expect(lines).toMatch(
      /^fixture-shop\tservices\/Dockerfile\tr\.example\/cost-aware-platform\/fixture-shop:src-[0-9a-f]{24}\tlinux\/amd64\tSERVICE=storefront$/m,
    );
    expect(imageList(["--registry", "r.example"], root)).not.toContain("fixture-shop");
  });
});
