import { request } from "node:http";
import {
  ConfigError,
  pageHeaders,
  serveService,
  TERMINAL_COLUMNS,
  terminalWidth,
} from "@platform/service-kit";
import { describe, expect, it } from "vitest";
import { loadLocalSettings } from "../settings.js";
import { createAlertReceiver, formatNotification } from "./alert-receiver.js";

const notification = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({
  status: "firing",
  alerts: [{ status: "firing", labels, annotations }],
});
const TARGET_DOWN = notification(
  { alertname: "TargetDown", severity: "critical", job: "storefront" },
  { summary: "storefront is down", runbook_url: "http://127.0.0.1:8083/runbooks/TargetDown.md" },
);

function receiverPrintingTo(printed: string[]) {
  return createAlertReceiver({ print: (text) => printed.push(text), dashboardsUrl: "http://127.0.0.1:3000" });
}

const post = (
  receiver: ReturnType<typeof createAlertReceiver>,
  body: unknown,
  headers: Record<string, string> = { "Content-Type": "application/json" },
) => receiver.app.request("/alerts", { method: "POST", body: JSON.stringify(body), headers });

describe("the alert receiver", () => {
  it.each([
    ["text/plain", { "Content-Type": "text/plain" }],
    ["a urlencoded form", { "Content-Type": "application/x-www-form-urlencoded" }],
    ["no Content-Type", {}],
  ])(
    "refuses a webhook sent as %s with a 415 JSON error, printing and keeping nothing",
    async (_what, headers) => {
      const printed: string[] = [];
      const receiver = receiverPrintingTo(printed);
      const res = await post(receiver, TARGET_DOWN, headers);
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ error: "unsupported_media_type" });
      expect(printed).toEqual([]);
      expect(receiver.received).toEqual([]);
    },
  );

  it("takes application/json with parameters (what Alertmanager sends)", async () => {
    const printed: string[] = [];
    const receiver = receiverPrintingTo(printed);
    const res = await post(receiver, TARGET_DOWN, { "Content-Type": "application/json; charset=utf-8" });
    expect(res.status).toBe(200);
    expect(printed).toHaveLength(1);
  });

  it("refuses a request not addressed to this machine (DNS rebinding), printing nothing", async () => {
    const printed: string[] = [];
    const receiver = receiverPrintingTo(printed);
    const res = await post(receiver, TARGET_DOWN, {
      "Content-Type": "application/json",
      Host: "rebound.example:8083",
    });
    expect(res.status).toBe(421);
    expect(await res.json()).toMatchObject({ error: "not_this_machine" });
    expect(printed).toEqual([]);
    const list = await receiver.app.request("/alerts", { headers: { Host: "rebound.example:8083" } });
    expect(list.status).toBe(421);
    const runbooks = await receiver.app.request("/runbooks", { headers: { Host: "rebound.example:8083" } });
    expect(runbooks.status).toBe(421);
  });

  it("over a socket, takes its own address and refuses another port in Host", async () => {
    const printed: string[] = [];
    const running = await serveService(receiverPrintingTo(printed), {
      config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1_000 },
      handleSignals: false,
    });
    const send = (host: string) =>
      new Promise<number>((done, fail) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: running.port,
            path: "/alerts",
            method: "POST",
            headers: { Host: host, "Content-Type": "application/json" },
          },
          (res) => {
            res.resume();
            done(res.statusCode ?? 0);
          },
        );
        req.on("error", fail);
        req.end(JSON.stringify(TARGET_DOWN));
      });
    try {
      expect(await send(`localhost:${running.port + 1}`)).toBe(421);
      expect(printed).toEqual([]);
      expect(await send(`127.0.0.1:${running.port}`)).toBe(200);
      expect(printed).toHaveLength(1);
    } finally {
      await running.shutdown();
    }
  });

  it("prints no control character an alert carries, so a label cannot drive the terminal", async () => {
    const printed: string[] = [];
    const receiver = receiverPrintingTo(printed);
    const hostile = notification(
      {
        alertname: "Target\u001b[2JDown",
        severity: "critical\u001b]0;pwned\u0007",
        job: "store\u009b31mfront\r\n[alert] RESOLVED  everything",
      },
      {
        summary: "down\u001b[1A\u001b[K\u0000",
        value: "0\u0008\u007f",
        runbook_url: "http://127.0.0.1:8083/runbooks/TargetDown.md\u001b[8m",
        dashboard_uid: "platform-overview\u0085",
      },
    );
    const res = await post(receiver, hostile);
    expect(res.status).toBe(200);
    expect(printed).toHaveLength(1);
    const text = printed[0] as string;
    // Only the receiver's own line breaks remain: nothing of C0, DEL or C1 (\p{Cc}) within a line.
    for (const line of text.split("\n")) expect(line).not.toMatch(/\p{Cc}/u);
    expect(text.split("\n")).toHaveLength(5);
    expect(text).toContain("[alert] FIRING   Target[2JDown (critical]0;pwned) job=store31mfront [alert] RE…");
    expect(text).toContain("runbook: http://127.0.0.1:8083/runbooks/TargetDown.md[8m");
    expect(text).toContain("dashboard: http://127.0.0.1:3000/d/platform-overview");
    // What GET /alerts lists is JSON, as it arrived.
    expect(receiver.received[0]?.alerts[0]?.labels.alertname).toBe("Target\u001b[2JDown");
  });

  it("prints no bidi override or Unicode line separator, so a label cannot reorder or split a printed line", () => {
    const text = formatNotification(
      notification(
        {
          // U+202E RIGHT-TO-LEFT OVERRIDE would print "TargetDown" backwards and everything after it.
          alertname: "Target\u202eDown",
          // U+2066–2069 isolates, U+200B ZERO WIDTH SPACE, U+FEFF BOM: format characters (\p{Cf}) too.
          severity: "crit\u2066ical\u2069\u200b\ufeff",
          // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end a line in many terminals and viewers.
          job: "store\u2028[alert] RESOLVED  everything\u2029front",
        },
        { summary: "\u202adown\u202c\u202b\u202d", value: "0\u061c" },
      ),
    );
    for (const line of text.split("\n")) expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    expect(text.split("\n")).toHaveLength(3);
    expect(text).toContain("[alert] FIRING   TargetDown (critical) job=store [alert] RESOLVED everything f…");
    expect(text).toContain("        down\n        value: 0");
  });

  it("prints an ordinary alert as before", () => {
    expect(formatNotification(TARGET_DOWN)).toBe(
      [
        "[alert] FIRING   TargetDown (critical) job=storefront",
        "        storefront is down",
        "        runbook: http://127.0.0.1:8083/runbooks/TargetDown.md",
      ].join("\n"),
    );
  });

  it("prints every line within 80 columns, so no text of an alert starts a terminal row", () => {
    /** The rows an 80-column terminal shows: a longer line wraps at the last column. */
    const rows = (text: string) =>
      text.split("\n").flatMap((line) => {
        const chars = [...line];
        return Array.from({ length: Math.max(1, Math.ceil(chars.length / TERMINAL_COLUMNS)) }, (_, i) =>
          chars.slice(i * TERMINAL_COLUMNS, (i + 1) * TERMINAL_COLUMNS).join(""),
        );
      });
    const fake = "[alert] FIRING  FakeAlert (critical)";
    for (const padding of [
      " ".repeat(72),
      "\u3164".repeat(72),
      "\u115f".repeat(72),
      "x".repeat(72),
      "\u2800".repeat(72),
    ]) {
      const text = formatNotification(
        notification(
          { alertname: `Real${padding}${fake}`, severity: "warning", job: `j${padding}${fake}` },
          {
            summary: `${padding}${fake}`,
            value: `${padding}${fake}`,
            runbook_url: `http://x/${padding}${fake}`,
          },
        ),
      );
      const printed = rows(text);
      expect(printed, JSON.stringify(padding[0])).toHaveLength(4);
      expect(
        printed.filter((row) => row.startsWith("[alert]")),
        JSON.stringify(padding[0]),
      ).toHaveLength(1);
      for (const line of text.split("\n")) expect(terminalWidth(line)).toBeLessThanOrEqual(TERMINAL_COLUMNS);
      // Whitespace runs are one space: only the receiver's own prefixes have more.
      expect(text.replace(/^(\[alert\] FIRING {3}| {8})/gm, "")).not.toMatch(/[\u3164\u115f\u2800]| {2}/u);
    }
  });

  it("keeps what GET /alerts lists within its bounds, the oldest dropped first", async () => {
    const receiver = createAlertReceiver({ print: () => {}, keep: { maxEntries: 3, maxBytes: 100_000 } });
    for (let i = 1; i <= 5; i++) {
      expect((await post(receiver, notification({ alertname: `A${i}` }))).status).toBe(200);
    }
    const names = async () =>
      (
        (await (await receiver.app.request("/alerts")).json()) as {
          alerts: { labels: { alertname: string } }[];
        }[]
      ).map((n) => n.alerts[0]?.labels.alertname);
    expect(await names()).toEqual(["A3", "A4", "A5"]);

    const bytes = createAlertReceiver({ print: () => {}, keep: { maxEntries: 100, maxBytes: 150_000 } });
    for (let i = 1; i <= 4; i++) {
      const res = await post(bytes, notification({ alertname: `B${i}`, big: "x".repeat(60_000) }));
      expect(res.status).toBe(200);
    }
    const kept = (await (await bytes.app.request("/alerts")).json()) as unknown[];
    expect(kept).toHaveLength(2);
    expect(JSON.stringify(kept).length).toBeLessThan(150_000);
  });

  it("keeps 500 notifications and 4 MiB by default, ALERT_RECEIVER_MAX_ALERTS and ALERT_RECEIVER_MAX_BYTES being its settings", () => {
    expect(loadLocalSettings({})).toMatchObject({
      ALERT_RECEIVER_MAX_ALERTS: 500,
      ALERT_RECEIVER_MAX_BYTES: 4_194_304,
    });
    expect(
      loadLocalSettings({ ALERT_RECEIVER_MAX_ALERTS: "10", ALERT_RECEIVER_MAX_BYTES: "1048576" }),
    ).toMatchObject({ ALERT_RECEIVER_MAX_ALERTS: 10, ALERT_RECEIVER_MAX_BYTES: 1_048_576 });
    for (const [name, value] of [
      ["ALERT_RECEIVER_MAX_ALERTS", "0"],
      ["ALERT_RECEIVER_MAX_ALERTS", "1e3"],
      ["ALERT_RECEIVER_MAX_BYTES", "1000"],
    ] as const) {
      expect(() => loadLocalSettings({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => loadLocalSettings({ [name]: value }), `${name}=${value}`).toThrow(name);
    }
  });

  it.each([
    ["the runbook list", "/runbooks"],
    ["a runbook", "/runbooks/TargetDown.md"],
    ["an unknown runbook (404)", "/runbooks/Nope.md"],
  ])("sends the security headers with every HTML answer: %s", async (_what, path) => {
    const res = await receiverPrintingTo([]).app.request(path);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    for (const [name, value] of Object.entries(pageHeaders()))
      expect(res.headers.get(name), name).toBe(value);
  });
});
