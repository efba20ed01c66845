/**
 * End to end on localhost, one platform run shared by every test: the real Prometheus scrapes the real
 * services, every dashboard query returns data, and an induced incident reaches a local stand-in for the
 * Telegram Bot API through the real Alertmanager, followed by its resolved notice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@platform/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRIC_CONTRACT_QUERIES, runChecks, seriesCount } from "../local/check.js";
import { ruleFiles } from "../local/configs.js";
import { loadLocalSettings, type Platform, startPlatform } from "../local/platform.js";
import { INCIDENTS, setIncident } from "../local/start.js";

const BOT_TOKEN = "4242:test-token";
const CHAT_ID = "-100123";

interface TelegramRequest {
  path: string;
  body: Record<string, unknown>;
}

/** Answers like the Telegram Bot API and records every request. */
function telegramStandIn(): Promise<{ server: Server; url: string; requests: TelegramRequest[] }> {
  const requests: TelegramRequest[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      let body: Record<string, unknown> = {};
      try {
        body = raw.startsWith("{") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        body = { raw };
      }
      requests.push({ path: req.url ?? "", body });
      res.setHeader("Content-Type", "application/json");
      const chat = { id: Number(CHAT_ID), type: "supergroup" };
      const result = req.url?.endsWith("/getMe")
        ? { id: 4242, is_bot: true, first_name: "test", username: "test_bot" }
        : { message_id: requests.length, date: Math.floor(Date.now() / 1000), chat, text: body.text };
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

let platform: Platform;
let telegram: Awaited<ReturnType<typeof telegramStandIn>>;
let dataDir: string;
const printed: string[] = [];

const messages = () =>
  telegram.requests
    .filter((r) => r.path === `/bot${BOT_TOKEN}/sendMessage`)
    .map((r) => String(r.body.text ?? ""));

beforeAll(async () => {
  telegram = await telegramStandIn();
  dataDir = mkdtempSync(join(tmpdir(), "platform-e2e-"));
  const settings = loadLocalSettings({
    STOREFRONT_PORT: "0",
    COST_EXPORTER_PORT: "0",
    TRAFFIC_PORT: "0",
    ALERT_RECEIVER_PORT: "0",
    PROMETHEUS_PORT: "0",
    ALERTMANAGER_PORT: "0",
    GRAFANA_PORT: "0",
    LOCAL_DATA_DIR: dataDir,
    SCRAPE_INTERVAL: "1s",
    LOCAL_MAX_FOR: "2s",
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_CHAT_ID: CHAT_ID,
    TELEGRAM_API_URL: telegram.url,
  });
  platform = await startPlatform({
    settings,
    freshData: true,
    alertTiming: { groupWait: "1s", groupInterval: "2s", repeatInterval: "1h" },
    print: (text) => printed.push(text),
    serviceEnv: { LOG_LEVEL: "warn" },
  });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await new Promise((done) => telegram?.server.close(() => done(undefined)));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the local platform", () => {
  it("scrapes every target, loads every rule file and answers every dashboard query with data", async () => {
    const lines = await runChecks({
      prometheus: platform.urls.prometheus,
      ruleFiles: Object.keys(ruleFiles()),
      scrapeSeconds: 1,
      timeoutMs: 90_000,
    });
    expect(lines.filter((l) => !l.ok)).toEqual([]);
    expect(lines.filter((l) => l.section.startsWith("dashboard")).length).toBeGreaterThan(40);
  }, 120_000);

  it("answers the four metric-contract queries of ARCHITECTURE.md", async () => {
    for (const query of METRIC_CONTRACT_QUERIES)
      expect(await seriesCount(platform.urls.prometheus, query), query).toBeGreaterThan(0);
  });

  it("delivers an induced incident to Telegram with its summary and runbook link", async () => {
    await setIncident(platform.urls.storefront, INCIDENTS.errors.simulation);
    try {
      const text = await waitFor(
        () => messages().find((m) => m.includes("FIRING") && m.includes("AvailabilityBudgetBurnFast")),
        { timeoutMs: 60_000, intervalMs: 500, what: "a Telegram message about AvailabilityBudgetBurnFast" },
      );
      expect(text).toContain("storefront is burning its availability error budget fast");
      expect(text).toMatch(
        /<a href="https:\/\/[^"]+\/alerts\/runbooks\/AvailabilityBudgetBurnFast\.md">Runbook<\/a>/,
      );
      expect(text).toMatch(/Value: <code>[\d.]+%<\/code>/);
      const request = telegram.requests.find((r) => String(r.body.text) === text);
      expect(String(request?.body.chat_id)).toBe(CHAT_ID);
      expect(request?.body.parse_mode).toBe("HTML");
    } finally {
      await setIncident(platform.urls.storefront, {});
    }
  }, 90_000);

  it("sends the resolved notice once a target that went down is back", async () => {
    await platform.stopComponent("traffic");
    await waitFor(() => messages().find((m) => m.includes("FIRING") && m.includes("TargetDown")), {
      timeoutMs: 45_000,
      intervalMs: 500,
      what: "TargetDown firing on Telegram",
    });
    await platform.restartComponent("traffic");
    const resolved = await waitFor(
      () => messages().find((m) => m.includes("RESOLVED") && m.includes("TargetDown")),
      {
        timeoutMs: 45_000,
        intervalMs: 500,
        what: "TargetDown resolved on Telegram",
      },
    );
    expect(resolved).toContain("traffic target");
    expect(resolved).toContain("/alerts/runbooks/TargetDown.md");
  }, 100_000);
});
