import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The repository documents itself: every relative link in every Markdown file resolves (to a file or
 * folder, and to a heading when it names one), every `*.md` file a source file or document mentions
 * exists, and nothing points outside the repository.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter((file) => file && existsSync(join(root, file)));
const markdownFiles = tracked.filter((file) => file.endsWith(".md"));
const textFiles = tracked.filter(
  (file) =>
    file !== "tests/docs.test.ts" &&
    /\.(md|ts|cjs|js|json|ya?ml|sh|tmpl)$|(^|\/)(Dockerfile|run)$/.test(file) &&
    !file.endsWith("package-lock.json"),
);
const basenames = new Set(tracked.map((file) => file.split("/").pop()));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingSlug(heading: string): string {
  return heading
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = headingSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** Link targets outside code spans and fenced blocks: inline `[x](target)` and `[x]: target` definitions. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const prose = line.replace(/`[^`]*`/g, "");
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      targets.push(match[1] ?? "");
    const definition = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(prose);
    if (definition?.[1]) targets.push(definition[1]);
  }
  return targets;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

function brokenLinks(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const problems: string[] = [];
  for (const target of linkTargets(text)) {
    if (isExternal(target)) continue;
    const [pathPart = "", fragment] = target.split("#");
    const resolved =
      pathPart === "" ? join(root, file) : normalize(join(root, dirname(file), decodeURI(pathPart)));
    const inside = relative(root, resolved);
    if (inside.startsWith(`..${sep}`) || inside === "..") {
      problems.push(`${target}: points outside the repository`);
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push(`${target}: ${inside} does not exist`);
      continue;
    }
    if (fragment && resolved.endsWith(".md") && statSync(resolved).isFile()) {
      if (!anchorsOf(readFileSync(resolved, "utf8")).has(fragment)) {
        problems.push(`${target}: ${inside} has no heading #${fragment}`);
      }
    }
  }
  return problems;
}

describe("the repository documents itself", () => {
  it("finds the Markdown files", () => {
    expect(markdownFiles).toContain("README.md");
    expect(markdownFiles).toContain("ARCHITECTURE.md");
  });

  it.each(markdownFiles)("every relative link in %s resolves", (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it("every *.md file that a file mentions exists", () => {
    const problems: string[] = [];
    for (const file of textFiles) {
      const text = readFileSync(join(root, file), "utf8").replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, "");
      for (const match of text.matchAll(/(?<![\w/.$-])((?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)*\.md)\b/g)) {
        const named = match[1] ?? "";
        // A string that is only a file name ("out.md") names a file a program writes, not a citation.
        const before = text[(match.index ?? 0) - 1];
        if (before && `"'\``.includes(before) && text[(match.index ?? 0) + named.length] === before) continue;
        const candidates = [join(root, dirname(file), named), join(root, named)];
        const known =
          candidates.some((path) => existsSync(path)) || (!named.includes("/") && basenames.has(named));
        if (!known) problems.push(`${file}: ${named}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("nothing points at files outside the repository", () => {
    const outside = textFiles.filter((file) =>
      /\/work\/|\.\.\/shared\//.test(readFileSync(join(root, file), "utf8")),
    );
    expect(outside).toEqual([]);
  });

  it("catches a broken link, a missing heading and a link outside, so the checks above can fail", () => {
    expect(linkTargets("see [a](missing.md), [b](README.md#nope) and `[c](ignored.md)`")).toEqual([
      "missing.md",
      "README.md#nope",
    ]);
    expect(headingSlug("Deploying to AWS: `npm run cost` (v2)")).toBe("deploying-to-aws-npm-run-cost-v2");
    expect(anchorsOf("# A\n## A\n```\n# not a heading\n```\n")).toEqual(new Set(["a", "a-1"]));
  });
});
