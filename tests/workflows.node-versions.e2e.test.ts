// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not JS templates
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { job, jobs, root, run, runOf, scratchDir, steps, usesOf, type Yaml } from "./workflows-support.js";

/** Node.js: a supported LTS for everything that is deployed. */
const scratch = scratchDir();

describe("Node.js: a supported LTS for everything that is deployed (item 13)", () => {
  /** Node.js release lines (sources dated in README.md, "Documentation this relies on"). */
  const nodeReleases: Record<string, { lts: string; endOfLife: string }> = {
    "20": { lts: "2023-10-24", endOfLife: "2026-04-30" },
    "22": { lts: "2024-10-29", endOfLife: "2027-04-30" },
    "24": { lts: "2025-10-28", endOfLife: "2028-04-30" },
    "26": { lts: "2026-10-28", endOfLife: "2029-04-30" },
  };
  const readOn = Date.parse("2026-12-01T00:00:00Z");
  const supported = (major: string) => {
    const release = nodeReleases[major];
    return !!release && Date.parse(release.lts) <= readOn && Date.parse(release.endOfLife) > readOn;
  };
  const nvmrc = readFileSync(join(root, ".nvmrc"), "utf8").trim();

  it(".nvmrc names a supported LTS, and the workflows that deploy or preview read it", () => {
    expect(supported(nvmrc), nvmrc).toBe(true);
    for (const { file, id, job: j } of jobs) {
      for (const step of usesOf(j, "actions/setup-node")) {
        if (file === "ci.yml") continue;
        expect(step.with["node-version-file"], `${file} ${id}`).toBe(".nvmrc");
        expect(step.with["node-version"], `${file} ${id}`).toBeUndefined();
      }
    }
  });

  it("CI tests on the LTS of .nvmrc and on package.json's engines floor, a matrix reading both files", async () => {
    const test = job("ci.yml", "test");
    expect(test.strategy.matrix).toEqual({ node: ["lts", "floor"] });
    expect(test.strategy["fail-fast"]).toBe(false);
    const versionStep = steps(test).find((s) => s.id === "node") as Yaml;
    const [setup] = usesOf(test, "actions/setup-node");
    expect(setup?.with["node-version"]).toBe("${{ steps.node.outputs.version }}");
    expect(steps(test).indexOf(versionStep)).toBeLessThan(steps(test).indexOf(setup as Yaml));
    const versionOf = async (which: string, cwd = root) => {
      const output = join(scratch, `node-version-${which}.txt`);
      writeFileSync(output, "");
      await run("bash", ["-e", "-c", runOf(versionStep)], {
        cwd,
        env: { ...process.env, WHICH: which, GITHUB_OUTPUT: output },
      });
      return readFileSync(output, "utf8")
        .trim()
        .replace(/^version=/, "");
    };
    const engines = (
      JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } }
    ).engines.node;
    expect(await versionOf("lts")).toBe(nvmrc);
    const floor = await versionOf("floor");
    expect(`>=${floor}`).toBe(engines.replace(/\s+/g, ""));
    // The floor is past its end of life: exactly why CI keeps testing it while development machines run it.
    expect(supported(floor.split(".")[0] as string)).toBe(false);
    expect(supported(nvmrc)).toBe(true);
    // This machine runs the floor's line or newer, so npm test here covers the floor too.
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
    const [floorMajor, floorMinor = 0] = floor.split(".").map(Number) as [number, number?];
    expect(major > floorMajor || (major === floorMajor && minor >= floorMinor)).toBe(true);
    // A version file that says nothing usable stops the job with a message, before any setup.
    const broken = mkdtempSync(join(scratch, "broken-versions-"));
    writeFileSync(join(broken, ".nvmrc"), "lts/*\n");
    writeFileSync(join(broken, "package.json"), JSON.stringify({ engines: { node: "^20 || ^22" } }));
    for (const which of ["lts", "floor"]) {
      const failed = await versionOf(which, broken).then(
        () => undefined,
        (e: { code?: number; stdout?: string }) => e,
      );
      expect(failed?.code, which).toBe(1);
      expect(failed?.stdout, which).toContain("::error::cannot read a Node.js version");
    }
  });

  it("services/Dockerfile builds every service on that LTS", () => {
    const dockerfile = readFileSync(join(root, "services", "Dockerfile"), "utf8");
    const major = /ARG NODE_IMAGE=node:(\d+)-/.exec(dockerfile)?.[1];
    expect(major).toBe(nvmrc);
  });
});
