import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

/**
 * Shared by the workflow-scripts.*.test.ts files, which drive the scripts the workflows run through
 * actions/github-script and node (.github/scripts/*.cjs) with a fake GitHub client; no process is started.
 * tests/workflows.*.e2e.test.ts check that the workflows call them.
 */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const require = createRequire(import.meta.url);

/** A directory for the calling test file, removed after its tests. */
export function scratchDir(): string {
  const scratch = mkdtempSync(join(tmpdir(), "workflow-scripts-test-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  return scratch;
}
