import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/**
 * `.github/stacks.json`, the one list of Pulumi stacks CI knows about, in deploy order. The workflows
 * read it with jq; the bootstrap reads it here to trust exactly these GitHub environments and to let
 * pull-request previews reach only the stacks that opt in. Fields owned elsewhere (`costGuardrail`, read
 * by `npm run cost`) pass through untouched.
 */
export const ciStacksFile = path.resolve(path.dirname(__filename), "..", ".github", "stacks.json");

const ciStack = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, "a Pulumi stack name such as dev"),
    /** The GitHub environment its deploy (`pulumi-up.yml`) runs in. */
    environment: z.string().regex(/^[\w.-]+$/, "a GitHub environment name"),
    /** Whether a person approves each deploy (the bootstrap's GitHub settings: reviewers, or a pull-request review). */
    requiresApproval: z.boolean().default(false),
    /**
     * Whether pull requests preview this stack. A preview runs the pull request's own code with the stack's
     * secrets and read access, so a stack whose secrets only reviewed code may see (prod) says false.
     */
    pullRequestPreview: z.boolean(),
  })
  .passthrough();

const ciStacksDocument = z.object({ stacks: z.array(ciStack).min(1) }).passthrough();

export type CiStack = z.infer<typeof ciStack>;

/** The stacks of `.github/stacks.json` (or another file of that shape), validated. */
export function readCiStacks(file = ciStacksFile): CiStack[] {
  const parsed = ciStacksDocument.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const names = parsed.data.stacks.map((s) => s.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`${file}: stack ${duplicate} is listed twice`);
  return parsed.data.stacks;
}
