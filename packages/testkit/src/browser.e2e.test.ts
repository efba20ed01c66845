import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findTool } from "@platform/supervisor";
import { describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.js";

describe("the tests' browser", () => {
  it("is Debian's chromium, headless, with a fresh profile that is gone after close", async () => {
    const browser = await launchBrowser({ viewport: { width: 800, height: 600 } });
    try {
      const page = await browser.context.newPage();
      await page.setContent("<canvas width=10 height=10></canvas>");
      expect(await page.evaluate("navigator.userAgent")).toMatch(/HeadlessChrome/);
      expect(await page.evaluate("innerWidth")).toBe(800);
      expect(existsSync(browser.profileDir)).toBe(true);
    } finally {
      await browser.close();
    }
    expect(existsSync(browser.profileDir)).toBe(false);
  }, 60_000);

  it("fails, never skips, where chromium is missing, saying how to install it", async () => {
    // A PATH with a shell and nothing else: the tools are looked up through `sh -c command -v`.
    const bin = mkdtempSync(join(tmpdir(), "no-chromium-"));
    symlinkSync((await findTool("sh")) as string, join(bin, "sh"));
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      await expect(launchBrowser()).rejects.toThrow(
        "Required tool 'chromium' is not on PATH: install the Debian package `chromium` (apt-get install chromium; macOS: brew install --cask chromium), or run `npm run setup`.",
      );
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
