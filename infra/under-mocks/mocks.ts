import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { parse as parseYaml } from "yaml";
import { readStackConfig } from "../stack-config";
import { fakeInvoke, fakeState, type Inputs } from "./fake-cloud";
import { type MockCaller, mockCallerOf } from "./mock-caller";

/**
 * Runs the real Pulumi program under `pulumi.runtime.setMocks` (no CLI, no cloud) and returns every
 * resource it registered. Run by `npm start` (the demo inventory), the pull-request cost diff (`npm run cost`) and the tests.
 */

export type { Inputs } from "./fake-cloud";

export interface MockedResource {
  /** Pulumi type token, e.g. `aws:eks/nodeGroup:NodeGroup`, `kubernetes:apps/v1:Deployment`. */
  type: string;
  /** The resource's logical name. */
  name: string;
  /** Inputs as the program passed them, with outputs resolved to plain values. */
  inputs: Inputs;
  urn?: string;
  /** The provider reference (`<provider urn>::<id>`) for resources given an explicit provider. */
  provider?: string;
  /** false for a component resource (registered by the program, not by a provider) */
  custom?: boolean;
  /** The `ignoreChanges` resource option, when the program set one. */
  ignoreChanges?: string[];
  /** The component resource it was created in (none for top-level resources). */
  parent?: { type: string; name: string };
  /** The `dependsOn` resource option, as the resources' types and names. */
  dependsOn?: { type: string; name: string }[];
  /**
   * Everything the engine orders it after (and deletes it before): its `dependsOn` (a component expanded to its
   * resources), the resources whose outputs its inputs use, and its provider, as the SDK sends them.
   */
  dependencies?: { type: string; name: string }[];
}

export interface ProgramRun {
  resources: MockedResource[];
  /** Stack outputs with secrets unwrapped. */
  outputs: Record<string, unknown>;
  /** Every provider function the program invoked (token and arguments). */
  invokes: { token: string; inputs: Inputs }[];
  /** Who the mocks said runs the program (mock-caller.ts), unless RunOptions.invoke answered otherwise. */
  caller: MockCaller;
}

export const repoRoot = path.resolve(path.dirname(__filename), "..", "..");

const projectName = (projectDir: string): string => {
  const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
    name: string;
  };
  return project.name;
};

/** The runtime hands mocks secret inputs wrapped in its signature object; tests want the values. */
const secretSignatureKey = "4dabf18193072939515e22adb298388d";
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (secretSignatureKey in record) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export interface RunOptions {
  /** Loads another program (the bootstrap) instead of infra/index.ts's. */
  entry?: () => Promise<ProgramEntry>;
  /** Directory with that program's Pulumi.yaml and stack files; the repository root by default. */
  projectDir?: string;
  /**
   * The stack's settings (`namespace:key` → string) in place of its `Pulumi.<stack>.yaml`: a fixture for tests
   * whose expectations must not follow what a user commits to that file.
   */
  stackConfig?: Record<string, string>;
  /** Which keys of `stackConfig` are secrets (`pulumi config set --secret`). */
  stackSecretKeys?: string[];
  /** Namespace of override keys given without one; `platform` by default. */
  configNamespace?: string;
  /** Run as `pulumi preview` does (`pulumi.runtime.isDryRun()` true); as `pulumi up` by default. */
  dryRun?: boolean;
  /** Answers a provider function before the defaults do (return undefined to fall through; throw to fail it). */
  invoke?: (token: string, inputs: Inputs) => Inputs | undefined;
  /** Passed to definePlatform: another catalogue (a fixture service added) or image source. */
  platform?: import("../platform").PlatformOptions;
}

export type ProgramEntry = () => Promise<Record<string, unknown>>;

/**
 * The program as `infra/index.ts` runs it, loaded lazily so that `setMocks` is in place before
 * any `@pulumi/*` resource module does work at import time.
 */
async function loadProgram(options: RunOptions): Promise<ProgramEntry> {
  // By absolute file URL: tsx loads this CommonJS file for an ES module (npm start's demo inventory) from a
  // data: URL, against which a relative specifier does not resolve; vitest and npm run cost take it as well.
  const here = path.dirname(__filename);
  const load = <T>(file: string) => import(pathToFileURL(path.join(here, file)).href) as Promise<T>;
  const [{ loadSettings }, { definePlatform }] = await Promise.all([
    load<typeof import("../config")>("../config.ts"),
    load<typeof import("../platform")>("../platform.ts"),
  ]);
  // Parsed before the stack starts, as infra/index.ts does first thing: a bad setting is a plain
  // rejection here, with nothing registered.
  const settings = loadSettings(options.platform?.catalogue);
  return async () => definePlatform(settings, options.platform);
}

/** Unwraps Outputs (including secrets) into plain values. */
async function resolveDeep(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return resolveDeep(await new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve)));
  }
  if (value instanceof Promise) return resolveDeep(await value);
  if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
  if (value !== null && typeof value === "object" && !(value instanceof pulumi.Resource)) {
    const entries = await Promise.all(
      Object.entries(value as Record<string, unknown>).map(
        async ([k, v]) => [k, await resolveDeep(v)] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` → its type and name. */
function typeAndNameOf(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  return { type: (parts[2] ?? "").split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getProvider(): string;
}

/**
 * Records, for every resource registered from now on, the dependencies the SDK sends the engine (which orders
 * creation by them, and deletion in reverse), plus its provider. Read where the mock monitor receives them.
 */
function recordDependencies(): Map<string, { type: string; name: string }[]> {
  const graph = new Map<string, { type: string; name: string }[]>();
  const monitor = settings.getMonitor() as unknown as {
    registerResource(request: RegisterResourceRequest, callback: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const provider = request.getProvider();
    // A provider reference is `<urn>::<id>`.
    const providerUrn = provider ? provider.slice(0, provider.lastIndexOf("::")) : "";
    graph.set(
      `${request.getType()}::${request.getName()}`,
      [...request.getDependenciesList(), ...(providerUrn ? [providerUrn] : [])].map(typeAndNameOf),
    );
    return register(request, callback);
  };
  return graph;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * Runs the program for one stack under mocks and returns the resources, outputs and invokes.
 * Runs are serialised: the Pulumi runtime keeps its settings in process-global state.
 */
export function runProgram(
  stack: string,
  configOverrides: Record<string, string> = {},
  options: RunOptions = {},
): Promise<ProgramRun> {
  const run = running.then(() => runOnce(stack, configOverrides, options));
  running = run.catch(() => undefined);
  return run;
}

/**
 * Resource options never reach the mocks; a stack transformation sees them as the program set them. This
 * records dependsOn, ignoreChanges and the parent of each resource, and puts them on the mocked resources.
 */
function resourceOptionsRecorder() {
  const ignoredChanges = new Map<string, string[]>();
  const parents = new Map<string, { type: string; name: string }>();
  const dependencies = new Map<string, { type: string; name: string }[]>();
  const transformation: pulumi.ResourceTransformation = ({ type, name, opts }) => {
    // Programs here pass dependsOn as a plain resource or list, never as an Output.
    const dependsOn = opts.dependsOn as pulumi.Resource | pulumi.Resource[] | undefined;
    if (dependsOn) {
      dependencies.set(
        `${type}::${name}`,
        (Array.isArray(dependsOn) ? dependsOn : [dependsOn]).map((resource) => ({
          type: pulumi.resourceType(resource),
          name: pulumi.resourceName(resource),
        })),
      );
    }
    if (opts.ignoreChanges?.length) ignoredChanges.set(`${type}::${name}`, [...opts.ignoreChanges]);
    const parentType = opts.parent ? pulumi.resourceType(opts.parent) : undefined;
    if (opts.parent && parentType && parentType !== "pulumi:pulumi:Stack") {
      parents.set(`${type}::${name}`, { type: parentType, name: pulumi.resourceName(opts.parent) });
    }
    return undefined;
  };
  return {
    transformation,
    apply(resource: MockedResource) {
      const ignoreChanges = ignoredChanges.get(`${resource.type}::${resource.name}`);
      if (ignoreChanges) resource.ignoreChanges = ignoreChanges;
      const parent = parents.get(`${resource.type}::${resource.name}`);
      if (parent) resource.parent = parent;
      const dependsOn = dependencies.get(`${resource.type}::${resource.name}`);
      if (dependsOn) resource.dependsOn = dependsOn;
    },
  };
}

/** Runs the program's entry in a stack, under the transformation; a failure carries what it registered first. */
async function runEntry(
  options: RunOptions,
  transformation: pulumi.ResourceTransformation,
  resources: MockedResource[],
): Promise<unknown> {
  try {
    const entry = await (options.entry ?? (() => loadProgram(options)))();
    // A program that fails after registering something (preflight.ts: after its provider) would also reject
    // the stack resource's own promises, unhandled; the host reports that as the run's error, a test runner
    // as a stray one. So the failure is kept and thrown once, here.
    let programError: unknown;
    const stackOutputs = await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation(transformation);
      try {
        return await entry();
      } catch (error) {
        programError = error;
        return {};
      }
    });
    if (programError) throw programError;
    return stackOutputs;
  } catch (error) {
    // Tests assert that a bad setting stops the program before it registers anything.
    throw Object.assign(error as Error, {
      registeredResources: resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
    });
  }
}

async function runOnce(
  stack: string,
  configOverrides: Record<string, string>,
  options: RunOptions,
): Promise<ProgramRun> {
  const projectDir = options.projectDir ?? repoRoot;
  const { config, secretKeys } = options.stackConfig
    ? { config: { ...options.stackConfig }, secretKeys: options.stackSecretKeys ?? [] }
    : readStackConfig(stack, projectDir);
  for (const [key, value] of Object.entries(configOverrides)) {
    config[key.includes(":") ? key : `${options.configNamespace ?? "platform"}:${key}`] = value;
  }
  const region = config[`${options.configNamespace ?? "platform"}:region`] ?? "us-east-1";
  const caller = mockCallerOf(config);
  const resources: MockedResource[] = [];
  const invokes: ProgramRun["invokes"] = [];
  const project = projectName(projectDir);

  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = unwrapSecrets(args.inputs ?? {}) as Inputs;
        resources.push({
          type: args.type,
          name: args.name,
          dependencies: [],
          inputs,
          urn: `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`,
          ...(args.provider ? { provider: args.provider } : {}),
          ...(args.custom !== undefined ? { custom: args.custom } : {}),
        });
        return {
          id: args.id || `${args.name}-id`,
          state: fakeState(args.type, args.name, inputs, region, caller.accountId),
        };
      },
      call(args) {
        const inputs = (args.inputs ?? {}) as Inputs;
        invokes.push({ token: args.token, inputs });
        return options.invoke?.(args.token, inputs) ?? fakeInvoke(args.token, inputs, region, caller);
      },
    },
    project,
    stack,
    options.dryRun ?? false,
  );

  const dependencyGraph = recordDependencies();
  const recorded = resourceOptionsRecorder();
  const stackOutputs = await runEntry(options, recorded.transformation, resources);
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (waitForRPCs) await waitForRPCs();
  const outputs = ((await resolveDeep(stackOutputs ?? {})) ?? {}) as Record<string, unknown>;
  for (const resource of resources) {
    recorded.apply(resource);
    resource.dependencies = dependencyGraph.get(`${resource.type}::${resource.name}`) ?? [];
  }
  return { resources: resources.filter((r) => r.type !== "pulumi:pulumi:Stack"), outputs, invokes, caller };
}

/** Every resource the program registers for `stack`, with its inputs (what `npm run cost` prices). */
export async function runProgramUnderMocks(
  stack: string,
  configOverrides?: Record<string, string>,
  options?: RunOptions,
): Promise<MockedResource[]> {
  return (await runProgram(stack, configOverrides, options)).resources;
}
