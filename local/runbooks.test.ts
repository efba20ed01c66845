import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadDefaultThresholds } from "../thresholds/thresholds.js";
import { createAlertReceiver, RUNBOOK_PATH } from "./components/alert-receiver.js";
import { ALERTS_DIR, ruleFiles, withLocalRunbooks } from "./configs.js";

interface RuleDoc {
  groups: { rules: { alert?: string; annotations?: Record<string, string> }[] }[];
}
const alertsOf = (text: string) =>
  (parse(text) as RuleDoc).groups.flatMap((g) => g.rules.filter((r) => r.alert !== undefined));

const LOCAL = "http://127.0.0.1:8083/runbooks";

describe("runbook links on this machine", () => {
  const { runbookBaseUrl } = loadDefaultThresholds();

  it("point every alert of every rule file at the runbook page of this checkout", async () => {
    const receiver = createAlertReceiver({ print: () => {} });
    let alerts = 0;
    for (const [file, text] of Object.entries(ruleFiles())) {
      for (const rule of alertsOf(withLocalRunbooks(text, runbookBaseUrl, LOCAL))) {
        alerts++;
        const url = rule.annotations?.runbook_url ?? "";
        expect(url, `${file}: ${rule.alert}`).toBe(`${LOCAL}/${rule.alert}.md`);
        // The page opens and shows that runbook.
        const res = await receiver.app.request(url.slice("http://127.0.0.1:8083".length));
        expect(res.status, url).toBe(200);
        const html = await res.text();
        expect(html).toContain(`<h1>${rule.alert}</h1>`);
        const firstLine = readFileSync(join(ALERTS_DIR, "runbooks", `${rule.alert}.md`), "utf8").split(
          "\n",
        )[0];
        expect(firstLine).toBe(`# ${rule.alert}`);
      }
    }
    expect(alerts).toBeGreaterThan(10);
  });

  it("leave the committed files, which the cluster loads, at the configured runbook address", () => {
    for (const text of Object.values(ruleFiles())) {
      for (const rule of alertsOf(text)) {
        expect(rule.annotations?.runbook_url).toBe(`${runbookBaseUrl}/${rule.alert}.md`);
      }
    }
  });

  it("leave a link to somewhere else alone", () => {
    const text =
      "groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up == 0\n    annotations:\n      runbook_url: https://wiki.example/X\n";
    expect(alertsOf(withLocalRunbooks(text, runbookBaseUrl, LOCAL))[0]?.annotations?.runbook_url).toBe(
      "https://wiki.example/X",
    );
  });

  it("are printed with the alert, beside its dashboard", async () => {
    const printed: string[] = [];
    const receiver = createAlertReceiver({
      print: (t) => printed.push(t),
      dashboardsUrl: "http://127.0.0.1:3000",
    });
    await receiver.app.request("/alerts", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        status: "firing",
        alerts: [
          {
            status: "firing",
            labels: { alertname: "RevenueDropWhileHealthy" },
            annotations: {
              runbook_url: `${LOCAL}/RevenueDropWhileHealthy.md`,
              dashboard_uid: "platform-overview",
            },
          },
        ],
      }),
    });
    expect(printed[0]).toContain(`runbook: ${LOCAL}/RevenueDropWhileHealthy.md`);
    expect(printed[0]).toContain("dashboard: http://127.0.0.1:3000/d/platform-overview");
  });

  it("serve a runbook by its plain name only, and list them all", async () => {
    const receiver = createAlertReceiver({ print: () => {} });
    const index = await (await receiver.app.request(RUNBOOK_PATH)).text();
    expect(index).toContain(`href="${RUNBOOK_PATH}/TargetDown.md"`);
    for (const path of ["../rightsize.yaml", "..%2Frightsize.yaml", "TargetDown", "Nope.md"]) {
      expect((await receiver.app.request(`${RUNBOOK_PATH}/${path}`)).status, path).toBe(404);
    }
  });
});
