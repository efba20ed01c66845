import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { stringify as toYaml } from "yaml";
// infra/ compiles as CommonJS with node10 resolution, which cannot see the package's `exports`.
import { requireTool } from "../../packages/testkit/src/index";
import { type ProgramRun, runProgram } from "../under-mocks/mocks";
import { monitoringRelease } from "./stacks";

const execFileAsync = promisify(execFile);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "alertmanager-config-"));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

type Receiver = { name: string; telegram_configs?: Record<string, unknown>[] };
const alertmanagerValues = (run: ProgramRun) =>
  monitoringRelease(run.resources)?.inputs.values.alertmanager as {
    config: { receivers: Receiver[]; route: { receiver: string } };
  };

/**
 * `amtool check-config` on the config the release would get. The Debian amtool is 0.25, older than
 * `bot_token_file` (0.26, which the chart's Alertmanager has), so this copy alone carries an inline token.
 */
async function amtoolCheck(config: Record<string, unknown>, name: string) {
  const amtool = await requireTool("amtool");
  const copy = structuredClone(config) as { receivers: Receiver[] };
  for (const receiver of copy.receivers) {
    for (const telegram of receiver.telegram_configs ?? []) {
      expect(telegram.bot_token_file).toBe("/etc/alertmanager/secrets/alertmanager-telegram/bot-token");
      delete telegram.bot_token_file;
      telegram.bot_token = "123456:test-token";
    }
  }
  const file = path.join(workDir, `${name}.yml`);
  fs.writeFileSync(file, toYaml(copy));
  return execFileAsync(amtool, ["check-config", file]).then(
    ({ stdout }) => ({ ok: true, output: stdout }),
    (error: { stdout?: string; stderr?: string }) => ({
      ok: false,
      output: `${error.stdout}${error.stderr}`,
    }),
  );
}

describe("Alertmanager configuration Alertmanager accepts", () => {
  it("without a chat id (the dev stack): no telegram_configs, a valid config, a warning naming the setting", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const dev = await runProgram("dev");
    const { config } = alertmanagerValues(dev);
    const telegram = config.receivers.find((r) => r.name === "telegram");
    // The receiver stays, so every route still names an existing receiver.
    expect(telegram).toEqual({ name: "telegram" });
    expect(config.receivers.flatMap((r) => r.telegram_configs ?? [])).toEqual([]);
    expect(config.route.receiver).toBe("telegram");
    expect(warn.mock.calls.map(([message]) => message).join("\n")).toContain("platform:telegramChatId");
    const check = await amtoolCheck(config, "dev");
    expect(check.output).toContain("SUCCESS");
    expect(check.ok).toBe(true);
  });

  it("with a chat id: every Telegram receiver sends to it, and amtool accepts the config", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const run = await runProgram("dev", { telegramChatId: "-1001234567890" });
    const { config } = alertmanagerValues(run);
    const telegramConfigs = config.receivers.flatMap((r) => r.telegram_configs ?? []);
    expect(telegramConfigs.length).toBeGreaterThan(0);
    expect(telegramConfigs.every((t) => t.chat_id === -1001234567890)).toBe(true);
    expect(warn.mock.calls.map(([message]) => message).join("\n")).not.toContain("platform:telegramChatId");
    const check = await amtoolCheck(config, "with-chat");
    expect(check.output).toContain("SUCCESS");
    expect(check.ok).toBe(true);
  });

  it("amtool is a real check here: it refuses chat_id 0", async () => {
    const run = await runProgram("dev", { telegramChatId: "-1001234567890" });
    const config = structuredClone(alertmanagerValues(run).config);
    for (const telegram of config.receivers.flatMap((r) => r.telegram_configs ?? [])) telegram.chat_id = 0;
    const check = await amtoolCheck(config, "chat-zero");
    expect(check.ok).toBe(false);
    expect(check.output).toContain("missing chat_id on telegram_config");
  });
});
