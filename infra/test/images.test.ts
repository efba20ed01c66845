import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { catalogue, type ServiceEntry } from "../../catalogue/services";
import { dockerIgnored, imageInputs, imageSourceAt, imagesToBuild } from "../images";
import { imageList } from "../images-cli";
import { imagePlatformOf } from "../node-architecture";
import { type ProgramRun, repoRoot, runProgram } from "../under-mocks/mocks";
import { exampleStackRuns, ofType } from "./stacks";

/**
 * Item 2: image references come from what is in git, the same for a preview, a drift check, a deploy and a
 * laptop, and each changes exactly when what goes into its image changes.
 */

const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const imagesOf = (run: ProgramRun) =>
  Object.fromEntries(
    ofType(run.resources, "kubernetes:apps/v1:Deployment").map((d) => [
      d.inputs.metadata.name,
      d.inputs.spec.template.spec.containers[0].image,
    ]),
  );

/** The `config-map` pulumi-up.yml hands `pulumi up` (none now; before, the image settings), as overrides. */
function deployOverrides(): Record<string, string> {
  const workflow = parseYaml(fs.readFileSync(path.join(repoRoot, ".github/workflows/pulumi-up.yml"), "utf8"));
  const overrides: Record<string, string> = {};
  for (const job of Object.values(workflow.jobs ?? {}) as { steps?: { with?: Record<string, string> }[] }[]) {
    for (const step of job.steps ?? []) {
      const configMap = step.with?.["config-map"];
      if (!configMap) continue;
      const map = parseYaml(configMap.replace(/\$\{\{[^}]+\}\}/g, "sha-0123abc")) as Record<
        string,
        { value: string }
      >;
      for (const [key, { value }] of Object.entries(map)) overrides[key] = value;
    }
  }
  return overrides;
}

describe("image references", () => {
  // Four runs of the program and a git tree walk: minutes on a loaded machine.
  it("are identical when the program runs as preview and drift run it and as the deploy runs it, and are what the deploy builds", async () => {
    for (const stack of ["dev", "prod"]) {
      const preview = imagesOf(await runProgram(stack, {}, { dryRun: true }));
      const deployRun = await runProgram(stack, deployOverrides(), { dryRun: false });
      const deploy = imagesOf(deployRun);
      expect(deploy, stack).toEqual(preview);
      // As pulumi-up.yml asks for the registry of the account it runs in (under mocks: the stack file's).
      const stackRegistry = imageList(
        ["--registry-of", stack, "--account", deployRun.caller.accountId],
        repoRoot,
      ).trim();
      const built = imageList(["--registry", stackRegistry], repoRoot)
        .trim()
        .split("\n")
        .map((line) => line.split("\t"));
      for (const [service, reference] of Object.entries(deploy)) {
        expect(built.find(([name]) => name === service)?.[2], `${stack} ${service}`).toBe(reference);
      }
    }
  }, 120_000);

  it("name the account's ECR registry, a repository per service and a content tag", async () => {
    const run = await runProgram("dev");
    const images = imagesOf(run);
    expect(Object.keys(images).sort()).toEqual(["cost-exporter", "storefront", "traffic"]);
    const accountRegistry = `${run.caller.accountId}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com`;
    for (const [service, reference] of Object.entries(images)) {
      expect(reference).toMatch(
        new RegExp(`^${accountRegistry}/cost-aware-platform/${service}:src-[0-9a-f]{24}$`),
      );
    }
  });

  it("are built for the architecture of the nodes the program creates", async () => {
    const [nodeGroup] = ofType((await exampleStackRuns()).dev.resources, "aws:eks/nodeGroup:NodeGroup");
    const listed = imageList(["--registry", registry], repoRoot)
      .trim()
      .split("\n")
      .map((line) => line.split("\t")[3]);
    // What push-images.sh passes to --platform is what the node group's AMI runs.
    expect(new Set(listed)).toEqual(new Set([imagePlatformOf(nodeGroup?.inputs.amiType)]));
    expect(imagePlatformOf("AL2023_ARM_64_STANDARD")).toBe("linux/arm64");
    expect(() => imagePlatformOf("WINDOWS_CORE_2022_x86_64")).toThrow(/AL2023/);
  });

  it("an existing cluster names the registry it is given", async () => {
    const images = imagesOf(await runProgram("local"));
    expect(images.storefront).toMatch(/^localhost:5001\/cost-aware-platform\/storefront:src-[0-9a-f]{24}$/);
  });
});

describe("what goes into an image", () => {
  let clone: string;
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-C", clone, "-c", "user.name=test", "-c", "user.email=test@example.invalid", ...args],
      {
        encoding: "utf8",
      },
    );
  const tags = () =>
    Object.fromEntries(
      imagesToBuild(registry, "p", catalogue, imageSourceAt(clone)).map((i) => [
        i.service,
        i.reference.split(":").pop(),
      ]),
    );
  const commit = (file: string, change: (text: string) => string) => {
    const full = path.join(clone, file);
    fs.writeFileSync(full, change(fs.existsSync(full) ? fs.readFileSync(full, "utf8") : ""));
    git("add", file);
    git("commit", "-q", "-m", `change ${file}`);
  };

  beforeAll(() => {
    clone = fs.mkdtempSync(path.join(os.tmpdir(), "images-test-"));
    execFileSync("git", ["clone", "-q", "--no-hardlinks", repoRoot, clone]);
  });
  afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

  it("changing one service's source changes only that service's reference", () => {
    const before = tags();
    commit("services/storefront/src/main.ts", (text) => `${text}\n// a change\n`);
    const after = tags();
    expect(after.storefront).not.toBe(before.storefront);
    expect({ ...after, storefront: undefined }).toEqual({ ...before, storefront: undefined });
  });

  it("tests, READMEs and other folders change no reference; the lock file and the shared kit change all", () => {
    const before = tags();
    commit("services/storefront/src/app.checkout.test.ts", (text) => `${text}\n// a test\n`);
    commit("services/storefront/src/test-support.ts", (text) => `${text}\n// a test helper\n`);
    commit("services/storefront/README.md", (text) => `${text}\nmore words\n`);
    commit("dashboards/README.md", (text) => `${text}\nmore words\n`);
    expect(tags()).toEqual(before);
    commit("packages/service-kit/src/logger.ts", (text) => `${text}\n// shared\n`);
    const shared = tags();
    for (const service of Object.keys(before)) expect(shared[service], service).not.toBe(before[service]);
    commit("package-lock.json", (text) => text.replace(/\n$/, "\n\n"));
    const locked = tags();
    for (const service of Object.keys(before)) expect(locked[service], service).not.toBe(shared[service]);
  });

  it("the platform the image is built for is part of every tag: an image of another one never shares a tag", () => {
    const platformTags = (platform: string) =>
      Object.fromEntries(
        imagesToBuild(registry, "p", catalogue, imageSourceAt(clone), platform).map((i) => [
          i.service,
          i.reference.split(":").pop(),
        ]),
      );
    const amd64 = platformTags("linux/amd64");
    expect(tags()).toEqual(amd64);
    const arm64 = platformTags("linux/arm64");
    for (const service of Object.keys(amd64)) expect(arm64[service], service).not.toBe(amd64[service]);
  });

  it("a package only the cost exporter copies changes only its reference; the shared Dockerfile changes all", () => {
    const before = tags();
    commit("packages/prices/src/index.ts", (text) => `${text}\n// a price table change\n`);
    const priced = tags();
    expect(priced["cost-exporter"]).not.toBe(before["cost-exporter"]);
    expect({ ...priced, "cost-exporter": undefined }).toEqual({ ...before, "cost-exporter": undefined });
    commit("services/Dockerfile", (text) => `${text}# a comment\n`);
    const rebuilt = tags();
    for (const service of Object.keys(before)) expect(rebuilt[service], service).not.toBe(priced[service]);
  });

  it("working-tree noise (uncommitted edits, CRLF line endings) changes nothing", () => {
    const before = tags();
    const file = path.join(clone, "services/traffic/src/main.ts");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
    fs.writeFileSync(path.join(clone, "services/traffic/src/untracked.ts"), "export {};\n");
    expect(tags()).toEqual(before);
  });

  it("the inputs are the Dockerfile's COPY sources less .dockerignore", () => {
    const storefront = catalogue.find((s) => s.name === "storefront") as ServiceEntry;
    const inputs = imageInputs(imageSourceAt(repoRoot), storefront).map((f) => f.path);
    expect(inputs).toEqual(
      expect.arrayContaining([
        "package-lock.json",
        "services/Dockerfile",
        "packages/service-kit/src/index.ts",
        "services/storefront/src/main.ts",
      ]),
    );
    expect(inputs.some((p) => p.endsWith(".test.ts"))).toBe(false);
    expect(inputs.some((p) => p.startsWith("services/cost-exporter/"))).toBe(false);
    // The stage of the cost exporter's libraries is not the storefront's: the price table is not its input.
    expect(inputs.some((p) => p.startsWith("packages/prices/"))).toBe(false);
    const exporter = catalogue.find((s) => s.name === "cost-exporter") as ServiceEntry;
    const exporterInputs = imageInputs(imageSourceAt(repoRoot), exporter).map((f) => f.path);
    expect(exporterInputs).toEqual(
      expect.arrayContaining(["packages/prices/src/index.ts", "packages/price-facts/data/price-facts.json"]),
    );
    expect(exporterInputs.some((p) => p.startsWith("services/storefront/"))).toBe(false);
    // A build argument naming no folder of services/ copies nothing committed: no tag is made up for it.
    expect(() =>
      imageInputs(imageSourceAt(repoRoot), {
        ...storefront,
        image: { ...storefront.image, buildArgs: { SERVICE: "shop" } },
      }),
    ).toThrow(/copies services\/shop\/package\.json, which is not committed/);
    const patterns = ["**/*.test.ts", "services/*/test", "*.md", "!keep.md"];
    expect(dockerIgnored(patterns, "services/x/src/a.test.ts")).toBe(true);
    expect(dockerIgnored(patterns, "services/x/test/support.ts")).toBe(true);
    expect(dockerIgnored(patterns, "README.md")).toBe(true);
    expect(dockerIgnored(patterns, "keep.md")).toBe(false);
    // `*.md` is relative to the context root: it does not reach into folders.
    expect(dockerIgnored(patterns, "services/x/README.md")).toBe(false);
    expect(dockerIgnored(patterns, "services/x/src/a.ts")).toBe(false);
  });
});
