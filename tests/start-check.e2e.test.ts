/** `npm start -- --check` as a user runs it, on free ports and a throw-away data folder. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProcess } from "@platform/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { catalogue } from "../catalogue/services.js";
import { localComponents, portSettingName } from "../local/settings.js";

const dataDir = mkdtempSync(join(tmpdir(), "start-check-"));
const PORT_SETTINGS = localComponents(catalogue).map((c) => portSettingName(c.name));
const run = startProcess("npm", ["start", "--", "--check"], {
  cwd: join(import.meta.dirname, ".."),
  env: {
    ...Object.fromEntries(PORT_SETTINGS.map((name) => [name, "0"])),
    LOCAL_DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: "",
    TELEGRAM_CHAT_ID: "",
  },
});

afterAll(async () => {
  await run.stop("SIGTERM", 20_000);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start -- --check", () => {
  it("brings the platform up, verifies every dashboard query and rule file, stops and exits 0", async () => {
    const code = await run.exited;
    const output = run.output();
    expect(output, output).toContain("CHECK PASSED");
    expect(output).toMatch(/grafana\s+(running|skipped)/);
    expect(output).toContain("Stopped.");
    expect(code).toBe(0);
  }, 200_000);
});
