// `npm run tarball -w packages/pulumi-cost [-- <destination directory>]`: the engine as one tarball that installs
// into any project with `npm install <file>.tgz` and runs with no other file of this repository. The price
// table package it reads (@platform/prices, shared with the cost exporter), the price facts that table is
// made from (@platform/price-facts, its data file included) and the decimal-text rule both read
// (@platform/numbers) go inside it as bundled dependencies; npm leaves a workspace's symlinked dependencies
// out of a pack, so the package is staged in a directory of its own first. Prints the tarball's path.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const engine = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const prices = resolve(engine, "..", "prices");
const facts = resolve(engine, "..", "price-facts");
const numbers = resolve(engine, "..", "numbers");
const destination = resolve(process.argv[2] ?? engine);

/** A package.json as it ships: compiled JavaScript only, no source condition, no workspace scripts. */
function published(file, changes) {
  const manifest = JSON.parse(readFileSync(file, "utf8"));
  const exports = manifest.exports["."];
  delete exports.development;
  delete manifest.scripts;
  delete manifest.devDependencies;
  return JSON.stringify({ ...manifest, types: exports.types, ...changes }, null, 2);
}

// The package's own `build` script compiles it and the packages it bundles, from clean (its output goes to
// standard error: standard output is the tarball's path alone).
for (const dir of [numbers, facts, prices, engine])
  rmSync(join(dir, "dist"), { recursive: true, force: true });
execFileSync("npm", ["run", "build"], { cwd: engine, stdio: ["ignore", process.stderr, "inherit"] });
const stage = mkdtempSync(join(tmpdir(), "pulumi-cost-pack-"));
try {
  cpSync(join(engine, "dist"), join(stage, "dist"), { recursive: true });
  cpSync(join(engine, "README.md"), join(stage, "README.md"));
  writeFileSync(join(stage, "package.json"), published(join(engine, "package.json"), {}));
  const bundled = join(stage, "node_modules", "@platform", "prices");
  mkdirSync(bundled, { recursive: true });
  cpSync(join(prices, "dist"), join(bundled, "dist"), { recursive: true });
  cpSync(join(prices, "README.md"), join(bundled, "README.md"));
  writeFileSync(join(bundled, "package.json"), published(join(prices, "package.json"), { files: ["dist"] }));
  const bundledFacts = join(stage, "node_modules", "@platform", "price-facts");
  mkdirSync(bundledFacts, { recursive: true });
  for (const part of ["dist", "data", "README.md"])
    cpSync(join(facts, part), join(bundledFacts, part), { recursive: true });
  writeFileSync(join(bundledFacts, "package.json"), published(join(facts, "package.json"), {}));
  // Its source entry (what the Pulumi program requires in this repository) does not ship: the build only.
  const build = { types: "./dist/index.d.ts", default: "./dist/index.js" };
  const bundledNumbers = join(stage, "node_modules", "@platform", "numbers");
  mkdirSync(bundledNumbers, { recursive: true });
  cpSync(join(numbers, "dist"), join(bundledNumbers, "dist"), { recursive: true });
  writeFileSync(
    join(bundledNumbers, "package.json"),
    published(join(numbers, "package.json"), {
      main: build.default,
      exports: { ".": build },
      files: ["dist"],
    }),
  );
  mkdirSync(destination, { recursive: true });
  const output = execFileSync("npm", ["pack", "--pack-destination", destination, "--json"], {
    cwd: stage,
    encoding: "utf8",
  });
  const [{ filename }] = JSON.parse(output);
  process.stdout.write(`${join(destination, filename)}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
