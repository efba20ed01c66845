import { readFileSync } from "node:fs";
import { repositoryPath } from "@platform/repository";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

describe("alertmanager.yml", () => {
  it("follows the shared contract: telegram receiver with a token file, chat id placeholder, template glob", () => {
    const config = parse(readFileSync(repositoryPath("alerts", "alertmanager.yml"), "utf8"));
    expect(config.templates).toEqual(["/etc/alertmanager/config/*.tmpl"]);
    const telegram = config.receivers.find((r: { name: string }) => r.name === "telegram");
    expect(telegram.telegram_configs[0]).toMatchObject({
      bot_token_file: "/etc/alertmanager/secrets/alertmanager-telegram/bot-token",
      chat_id: 0,
      parse_mode: "HTML",
      send_resolved: true,
    });
    expect(config.inhibit_rules[0]).toMatchObject({
      source_matchers: ['alertname = "TargetDown"'],
      equal: ["job"],
    });
  });
});
