import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { PreviewDigest, PreviewStep } from "pulumi-cost";
import { runProgram } from "../../under-mocks/mocks";
import { withProgramLogCaptured } from "../program-log";

/**
 * Writes the sample previews in this folder from the real program under mocks: the dev stack as it is
 * (before) and with a change (after), as the steps of `pulumi preview --json` (Pulumi's previewDigest:
 * op, urn, oldState/newState with type and inputs). Run it again when the program changes:
 * `npx tsx --conditions=development infra/cost/samples/generate.ts`.
 */
const SAMPLES: { file: string; stack: string; description: string; change: Record<string, string> }[] = [
  {
    file: "dev-scale-up.preview.json",
    stack: "dev",
    description:
      "dev: one more node (platform:nodeDesiredSize 2 → 3) and four storefront replicas instead of two",
    change: { nodeDesiredSize: "3", replicas: JSON.stringify({ storefront: 4 }) },
  },
];

type Run = Awaited<ReturnType<typeof runProgram>>;

function urnOf(stack: string, resource: Run["resources"][number]): string {
  const type = resource.parent ? `${resource.parent.type}$${resource.type}` : resource.type;
  return `urn:pulumi:${stack}::cost-aware-platform::${type}::${resource.name}`;
}

function steps(stack: string, before: Run, after: Run): PreviewStep[] {
  const key = (r: Run["resources"][number]) => `${r.type}::${r.name}`;
  const old = new Map(before.resources.map((r) => [key(r), r]));
  const result: PreviewStep[] = [];
  for (const resource of after.resources) {
    const previous = old.get(key(resource));
    old.delete(key(resource));
    const urn = urnOf(stack, resource);
    // custom false marks a component resource, as `pulumi preview --json` does.
    const newState = { type: resource.type, inputs: resource.inputs, custom: resource.custom !== false };
    if (!previous) result.push({ op: "create", urn, newState });
    else {
      const op = isDeepStrictEqual(previous.inputs, resource.inputs) ? "same" : "update";
      const oldState = { type: previous.type, inputs: previous.inputs, custom: previous.custom !== false };
      result.push({ op, urn, oldState, newState });
    }
  }
  for (const gone of old.values()) {
    result.push({
      op: "delete",
      urn: urnOf(stack, gone),
      oldState: { type: gone.type, inputs: gone.inputs, custom: gone.custom !== false },
    });
  }
  return result;
}

async function main(): Promise<void> {
  for (const sample of SAMPLES) {
    const { result } = await withProgramLogCaptured(async () => ({
      before: await runProgram(sample.stack),
      after: await runProgram(sample.stack, sample.change),
    }));
    const digest: PreviewDigest & { description: string } = {
      description: sample.description,
      config: { "platform:region": "us-east-1" },
      steps: steps(sample.stack, result.before, result.after),
    };
    writeFileSync(join(__dirname, sample.file), `${JSON.stringify(digest, null, 2)}\n`);
    process.stdout.write(`${sample.file}: ${digest.steps?.length} steps\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
