import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { repositoryPath, repositoryRoot } from "@platform/repository";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The floors of ARCHITECTURE.md, enforced: every import of every source and test file (type-only ones too)
 * goes to a lower floor, or stays inside its own folder, or (on a floor whose peers may) to a peer. The table
 * in ARCHITECTURE.md is the rule; this file only reads it.
 */

interface Floor {
  level: number;
  /** `infra/`, `services/*` (one folder each), `vitest.config.ts` */
  entries: string[];
  peersMayImport: boolean;
}

/** The rows of the table under ARCHITECTURE.md's "Floors" heading. */
function readFloors(): Floor[] {
  const text = readFileSync(repositoryPath("ARCHITECTURE.md"), "utf8");
  const section = text.split(/^## /m).find((part) => part.startsWith("Floors\n")) ?? "";
  return section
    .split("\n")
    .map((line) => /^\| (\d+) \| (.+?) \| (.+?) \|$/.exec(line))
    .filter((row): row is RegExpExecArray => row !== null)
    .map(([, level, folders = "", peers = ""]) => ({
      level: Number(level),
      entries: [...folders.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string),
      peersMayImport: !peers.startsWith("never"),
    }));
}

/** The folder a path belongs to (its unit: `services/traffic`, `infra`), with its floor; the most specific entry wins. */
function placeOf(floors: Floor[], file: string): { unit: string; floor: Floor } | undefined {
  let best: { unit: string; floor: Floor; specificity: number } | undefined;
  for (const floor of floors) {
    for (const entry of floor.entries) {
      let unit: string | undefined;
      if (entry.endsWith("/*")) {
        const prefix = entry.slice(0, -1);
        const rest = file.startsWith(prefix) ? file.slice(prefix.length) : "";
        if (rest.includes("/")) unit = prefix + rest.split("/")[0];
      } else if (entry.endsWith("/")) {
        if (file.startsWith(entry)) unit = entry.slice(0, -1);
      } else if (file === entry) unit = entry;
      const specificity = entry.endsWith("/*") ? 1 : 2;
      if (unit && (!best || specificity > best.specificity)) best = { unit, floor, specificity };
    }
  }
  return best && { unit: best.unit, floor: best.floor };
}

/** Workspace package name → its folder, for imports by name (`@platform/prices`, `pulumi-cost`). */
function workspaceFolders(files: string[]): Map<string, string> {
  const folders = new Map<string, string>();
  for (const file of files.filter((f) =>
    /^(packages|services)\/[^/]+\/package\.json$|^infra\/package\.json$/.test(f),
  )) {
    const { name } = JSON.parse(readFileSync(repositoryPath(file), "utf8")) as { name: string };
    folders.set(name, posix.dirname(file));
  }
  return folders;
}

/** What a file imports, as repository paths (npm packages that are not workspaces are left out). */
function importsOf(file: string, packages: Map<string, string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(repositoryPath(file), "utf8"), true, true);
  return importedFiles.flatMap(({ fileName: specifier }) => {
    if (specifier.startsWith(".")) return [posix.normalize(posix.join(posix.dirname(file), specifier))];
    const name = [...packages.keys()].find((n) => specifier === n || specifier.startsWith(`${n}/`));
    return name ? [`${packages.get(name)}/${specifier.slice(name.length + 1)}`] : [];
  });
}

/** The rule an import breaks, or undefined when it keeps to the floors. */
function brokenRule(floors: Floor[], from: string, to: string): string | undefined {
  const source = placeOf(floors, from);
  const target = placeOf(floors, to);
  if (!source || !target || source.unit === target.unit) return undefined;
  const [a, b] = [source.floor.level, target.floor.level];
  if (b > a) {
    return `${source.unit}/ is on floor ${a} and imports only from floors below it; ${target.unit}/ is on floor ${b}`;
  }
  if (b === a && !source.floor.peersMayImport) {
    return `${source.unit}/ and ${target.unit}/ are peers on floor ${a}, which never import each other`;
  }
  return undefined;
}

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: repositoryRoot,
  encoding: "utf8",
})
  .split("\n")
  .filter((file) => file && existsSync(repositoryPath(file)));
const sources = files.filter((file) => /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(file));

describe("the floors (ARCHITECTURE.md)", () => {
  const floors = readFloors();

  it("are read from ARCHITECTURE.md: floors 0 to 5, each with its folders", () => {
    expect(floors.map((f) => f.level).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const floor of floors) expect(floor.entries.length, `floor ${floor.level}`).toBeGreaterThan(0);
  });

  it("hold every source file: a new top-level folder gets its floor in the table", () => {
    expect(sources.filter((file) => !placeOf(floors, file))).toEqual([]);
  });

  it("are kept by every import: none runs upward or between peers", () => {
    const packages = workspaceFolders(files);
    const broken = sources.flatMap((from) =>
      importsOf(from, packages).flatMap((to) => {
        const rule = brokenRule(floors, from, to);
        return rule ? [`${from} imports ${to}: ${rule}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });

  it("tell an upward import and a peer's import from what is allowed", () => {
    expect(brokenRule(floors, "alerts/rules/x.ts", "dashboards/src/uids.ts")).toBe(
      "alerts/ and dashboards/ are peers on floor 2, which never import each other",
    );
    expect(brokenRule(floors, "thresholds/x.ts", "alerts/rules/rule.ts")).toBe(
      "thresholds/ is on floor 1 and imports only from floors below it; alerts/ is on floor 2",
    );
    expect(brokenRule(floors, "services/traffic/src/a.ts", "services/storefront/src/b.ts")).toMatch(/peers/);
    expect(brokenRule(floors, "packages/prices/src/a.ts", "packages/pulumi-cost/src/b.ts")).toMatch(
      /floor 0/,
    );
    expect(brokenRule(floors, "packages/testkit/src/a.ts", "packages/supervisor/src/b.ts")).toBeUndefined();
    expect(brokenRule(floors, "infra/cost/a.ts", "infra/config.ts")).toBeUndefined();
    expect(brokenRule(floors, "dashboards/src/a.ts", "thresholds/series.ts")).toBeUndefined();
  });
});
