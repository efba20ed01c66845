import { describe, expect, it } from "vitest";
import { startGrafana } from "./components/grafana.js";
import { formatTargetsUp, type GuideFacts, TRY_QUERY, tryThis } from "./guide.js";
import { INCIDENTS } from "./incidents.js";

const facts: GuideFacts = {
  shop: "http://127.0.0.1:8080",
  dashboards: "http://127.0.0.1:3000/d/platform-overview",
  grafana: false,
  prometheus: "http://127.0.0.1:9090",
  alertmanager: "http://127.0.0.1:9093",
  alertmanagerWebUi: false,
  receiver: "http://127.0.0.1:8083",
  telegramChat: undefined,
  traffic: "http://127.0.0.1:8082",
};

describe("what npm start says once everything runs", () => {
  it("says when every target is up and how long it took", () => {
    expect(formatTargetsUp({ ok: true, seconds: 6.25, jobs: ["a", "b", "c"], down: [] }, ".local/logs")).toBe(
      "All 3 scrape targets are up, 6.3 s after npm start.",
    );
    const down = {
      labels: { job: "traffic" },
      health: "down",
      lastError: "connection refused",
      scrapeUrl: "",
    };
    expect(
      formatTargetsUp(
        { ok: false, seconds: 61, jobs: ["storefront", "traffic"], down: [down] },
        ".local/logs",
      ),
    ).toBe(
      "Still down 61.0 s after npm start: traffic; see .local/logs/traffic.log.\n  traffic: connection refused",
    );
  });

  it("offers the shop, the single pane, one query, the incidents and where alerts show up", () => {
    const text = tryThis(facts);
    expect(text.split("\n")[0]).toBe("Try this:");
    expect(text).toMatch(/^ {2}buy something +http:\/\/127\.0\.0\.1:8080 /m);
    expect(text).toContain(
      "http://127.0.0.1:3000/d/platform-overview  (read-only; Grafana is not installed)",
    );
    expect(text).toContain(`http://127.0.0.1:9090/graph?g0.expr=${encodeURIComponent(TRY_QUERY)}&g0.tab=0`);
    const others = Object.keys(INCIDENTS).filter((name) => name !== "errors");
    expect(text).toContain(
      `npm start -- --incident errors  (also ${others.join(", ")}): pages AvailabilityBudgetBurnFast (about a minute)`,
    );
    expect(text).toContain(
      `curl -X PUT http://127.0.0.1:8082/control -d '{"shape":"surge","period":"3m"}'  (steady, diurnal, dip, surge; {"rate":0} stops it)`,
    );
    expect(text).toContain(
      "listed at http://127.0.0.1:8083/alerts; the runbooks are at http://127.0.0.1:8083/runbooks",
    );
  });

  it("says that Debian's Alertmanager has no web UI, and what to use instead", () => {
    expect(tryThis(facts)).toContain(
      "http://127.0.0.1:9093 has no web UI (Debian's package ships without it): amtool --alertmanager.url=http://127.0.0.1:9093 alert query",
    );
    expect(tryThis({ ...facts, alertmanagerWebUi: true })).not.toContain("amtool");
  });

  it("names Grafana and Telegram when they are what runs", () => {
    const text = tryThis({ ...facts, grafana: true, telegramChat: -100123 });
    expect(text).toContain("(Grafana, admin/admin)");
    expect(text).toContain("go to Telegram chat -100123");
  });
});

describe("the Grafana row when Grafana does not run", () => {
  const context = (LOCAL_GRAFANA: "auto" | "off") =>
    ({
      settings: { LOCAL_GRAFANA },
      ports: {},
      url: () => "",
      dataDir: "",
      children: undefined,
    }) as unknown as Parameters<typeof startGrafana>[0];

  it("says how to install it on Debian/Ubuntu and on macOS, and that the dashboards are served anyway", async () => {
    const row = await startGrafana(context("auto"), undefined);
    expect(row.status).toBe("skipped");
    expect(row.note).toContain("Debian/Ubuntu: add Grafana's apt repository");
    expect(row.note).toContain("apt-get install grafana");
    expect(row.note).toContain("macOS: brew install grafana");
    expect(row.note).toContain("the dashboards are served read-only below");
  });

  it("says when it was turned off", async () => {
    expect((await startGrafana(context("off"), undefined)).note).toMatch(/^LOCAL_GRAFANA=off;/);
  });
});
