import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { type Catalogue, type ServiceEntry, servicesIn } from "../catalogue/services";
import { copiedSources } from "./dockerfile";
import { imagePlatform } from "./node-architecture";

/**
 * Image references computed from what is in git, identically wherever the program runs (a pull-request
 * preview, the drift check, the deploy, a laptop): `<registry>/<project>/<service>:src-<hash>`, where the
 * hash covers the platform it is built for (the nodes', node-architecture.ts), the build arguments and
 * exactly the files that go into that service's image — the sources the Dockerfile's stages for that
 * service COPY (dockerfile.ts; less what .dockerignore keeps out of the build context, such as tests) and
 * the Dockerfile itself — identified by their git blob ids at HEAD. Uncommitted edits, file times and
 * line-ending conversion of the working tree change nothing; a change to one service's source changes only that service's tag, a
 * change to the Dockerfile, the lock file or the shared kit changes every image.
 *
 * The deploy builds and pushes exactly these references (`npm run images`) and skips the ones the registry
 * already has; the program only names them.
 */

export interface TreeFile {
  path: string;
  blob: string;
}

/** Every file of a commit's tree with its blob id (`git ls-tree -r`). */
export function gitTree(root: string, treeish = "HEAD"): TreeFile[] {
  let out: string;
  try {
    out = execFileSync("git", ["-C", root, "ls-tree", "-r", "--full-tree", "-z", treeish], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    throw new Error(
      `image references are computed from git, and \`git ls-tree ${treeish}\` failed in ${root}: run the program from a git checkout with a commit (${(error as Error).message.split("\n")[0]})`,
    );
  }
  return out
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [meta = "", filePath = ""] = line.split("\t");
      const [, type, blob = ""] = meta.split(" ");
      return type === "blob" ? { path: filePath, blob } : undefined;
    })
    .filter((file): file is TreeFile => file !== undefined);
}

function gitShow(root: string, treeish: string, file: string): string | undefined {
  try {
    return execFileSync("git", ["-C", root, "show", `${treeish}:${file}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return undefined;
  }
}

/** A .dockerignore pattern as a regular expression over context-relative paths (Go filepath.Match plus `**`). */
function ignorePattern(pattern: string): RegExp {
  let source = "";
  const text = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === "*" && text[i + 1] === "*") {
      source += ".*";
      i++;
      if (text[i + 1] === "/") i++;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Whether .dockerignore keeps a path out of the build context (a pattern matches it or a parent directory). */
export function dockerIgnored(patterns: string[], filePath: string): boolean {
  let ignored = false;
  const parts = filePath.split("/");
  for (const raw of patterns) {
    const negate = raw.startsWith("!");
    const regex = ignorePattern(negate ? raw.slice(1) : raw);
    const matches = parts.some((_, i) => regex.test(parts.slice(0, i + 1).join("/")));
    if (matches) ignored = !negate;
  }
  return ignored;
}

const ignorePatterns = (text: string | undefined) =>
  (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

export interface ImageSource {
  tree: TreeFile[];
  dockerignore: string[];
  read(file: string): string | undefined;
}

/** HEAD of the repository at `root` (or another commit), read once per program run. */
export function imageSourceAt(root: string, treeish = "HEAD"): ImageSource {
  return {
    tree: gitTree(root, treeish),
    dockerignore: ignorePatterns(gitShow(root, treeish, ".dockerignore")),
    read: (file) => gitShow(root, treeish, file),
  };
}

/** The files that go into a service's image, with their blob ids, sorted by path. */
export function imageInputs(source: ImageSource, entry: ServiceEntry): TreeFile[] {
  const dockerfile = entry.image.dockerfile;
  const text = source.read(dockerfile);
  if (text === undefined)
    throw new Error(`${entry.name}: ${dockerfile} is not committed (the image is built from it)`);
  const copied = copiedSources(text, entry.image.buildArgs);
  for (const src of copied) {
    if (!source.tree.some((file) => file.path === src || file.path.startsWith(`${src}/`)))
      throw new Error(`${entry.name}: ${dockerfile} copies ${src}, which is not committed`);
  }
  const inputs = source.tree.filter(
    (file) =>
      file.path === dockerfile ||
      (copied.some((src) => file.path === src || file.path.startsWith(`${src}/`)) &&
        !dockerIgnored(source.dockerignore, file.path)),
  );
  return inputs.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * `src-` and 24 hex digits of the SHA-256 over the platform the image is built for, its build arguments and
 * the inputs' paths and blob ids: the same sources built for another architecture are another image, under
 * another tag.
 */
export function imageTag(source: ImageSource, entry: ServiceEntry, platform: string = imagePlatform): string {
  const hash = createHash("sha256");
  hash.update(`platform\0${platform}\n`);
  for (const arg of buildArgList(entry)) hash.update(`build-arg\0${arg}\n`);
  for (const file of imageInputs(source, entry)) hash.update(`${file.path}\0${file.blob}\n`);
  return `src-${hash.digest("hex").slice(0, 24)}`;
}

/** `NAME=value` per build argument, sorted by name: what `docker buildx build --build-arg` takes. */
export const buildArgList = (entry: ServiceEntry): string[] =>
  Object.entries(entry.image.buildArgs ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`);

export interface ImageToBuild {
  service: string;
  dockerfile: string;
  /** `NAME=value` for each `--build-arg`. */
  buildArgs: string[];
  /** The full reference the program deploys and the deploy pushes. */
  reference: string;
  /** `docker buildx build --platform`: the nodes' (node-architecture.ts). */
  platform: string;
}

/** `<account>.dkr.ecr.<region>.<dns suffix>`: the account's private ECR registry. */
export const ecrRegistry = (account: string, region: string, dnsSuffix = "amazonaws.com") =>
  `${account}.dkr.ecr.${region}.${dnsSuffix}`;

/** Every cluster service's image: the deploy's build list and the program's references, from one function. */
export function imagesToBuild(
  registry: string,
  project: string,
  catalogue: Catalogue,
  source: ImageSource,
  platform: string = imagePlatform,
): ImageToBuild[] {
  return servicesIn("cluster", catalogue).map((entry) => ({
    service: entry.name,
    dockerfile: entry.image.dockerfile,
    buildArgs: buildArgList(entry),
    reference: `${registry}/${project}/${entry.name}:${imageTag(source, entry, platform)}`,
    platform,
  }));
}

/** The repository the program lives in. */
export const repositoryRoot = path.resolve(path.dirname(__filename), "..");

/** The platform program's project name (root Pulumi.yaml): image repositories and state paths use it. */
export function platformProject(root = repositoryRoot): string {
  return (parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
}
