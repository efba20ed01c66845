/**
 * A real browser for the tests of what a person looks at: Debian's chromium (the `chromium` package,
 * installed by `npm run setup`) driven by playwright-core, which downloads no browser of its own. A
 * missing chromium fails the test with an install hint; it is never skipped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "@platform/supervisor";
import { type BrowserContext, chromium } from "playwright-core";

/** Headless, no sandbox (containers and CI run as root), and nothing that reaches for the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  /** The fresh profile directory (removed by close). */
  profileDir: string;
  close(): Promise<void>;
}

/** Starts chromium with a fresh profile (removed again on close). */
export async function launchBrowser({
  viewport = { width: 1400, height: 1000 },
}: {
  viewport?: { width: number; height: number };
} = {}): Promise<Browser> {
  const executablePath = await requireTool("chromium");
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    profileDir: profile,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
