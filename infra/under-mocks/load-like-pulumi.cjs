// Loads infra/ the way the Pulumi Node.js language host does for `main: infra/`: from inside that
// directory, as CommonJS (`require("<dir>/")`, so infra/package.json's `main` picks the entry), with
// .ts compiled on require by the repository's TypeScript using infra/tsconfig.json (what ts-node
// does for the CLI). Then runs the exported function under mocks and prints what was registered.
// Usage: node infra/under-mocks/load-like-pulumi.cjs <stack> [<program dir>]   (cwd: the repository root)
// The program dir is infra (the platform, project file at the root) or infra/bootstrap (its own Pulumi.yaml).
const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..", "..");
const programDir = path.join(repoRoot, process.argv[3] ?? "infra");
// The platform's Pulumi.yaml is at the repository root (main: infra/); the bootstrap's sits beside it.
const projectDir = fs.existsSync(path.join(programDir, "Pulumi.yaml")) ? programDir : repoRoot;
process.chdir(programDir);
const ts = require("typescript");
const pulumi = require("@pulumi/pulumi");
const { parse } = require("yaml");

const configFile = ts.readConfigFile("tsconfig.json", ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, programDir);
require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};

async function main() {
  const stack = process.argv[2] ?? "dev";
  const project = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")).name;
  const stackConfig =
    parse(fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8")).config ?? {};
  const config = {};
  for (const [key, value] of Object.entries(stackConfig)) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(config, []);
  // The caller the other mocks report (the stack file's first cluster admin), so preflight passes whatever
  // ARNs the stack file holds. Required after the .ts hook above; it loads no @pulumi/* module.
  const caller = require(path.join(__dirname, "mock-caller.ts")).mockCallerOf(config);
  const types = [];
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        types.push(type);
        return {
          id: `${name}-id`,
          state: { ...inputs, arn: `arn:aws:mock::${caller.accountId}:${name}`, name: inputs.name ?? name },
        };
      },
      call: ({ token, inputs }) =>
        token === "aws:index/getAvailabilityZones:getAvailabilityZones"
          ? { names: ["us-east-1a", "us-east-1b", "us-east-1c"] }
          : token === "aws:index/getCallerIdentity:getCallerIdentity"
            ? caller
            : token === "aws:index/getPartition:getPartition"
              ? { partition: "aws" }
              : inputs,
    },
    project,
    stack,
    false,
  );
  const programExport = require(`${programDir}/`);
  const entry = typeof programExport === "function" ? programExport : undefined;
  const outputs = await pulumi.runtime.runInPulumiStack(async () => (entry ? entry() : programExport));
  await pulumi.runtime.waitForRPCs?.();
  const moduleKind = ts.ModuleKind[options.module];
  process.stdout.write(
    `${JSON.stringify({ exportIsFunction: Boolean(entry), moduleKind, outputKeys: Object.keys(outputs ?? {}).sort(), types })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
