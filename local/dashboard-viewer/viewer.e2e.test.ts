import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type RunningService, serveService } from "@platform/service-kit";
import { waitFor } from "@platform/testkit";
import { type Browser, launchBrowser } from "@platform/testkit/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardViewer } from "./app.js";

/** A stand-in Prometheus with one series for every query, so panels draw from the page's own script. */
let upstream: Server;
let viewer: RunningService;
let browser: Browser;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const now = Math.floor(Date.now() / 1000);
    const metric = { __name__: "up", job: "storefront" };
    const data = req.url?.startsWith("/api/v1/query_range")
      ? {
          resultType: "matrix",
          result: [
            {
              metric,
              values: [
                [now - 60, "1"],
                [now, "1"],
              ],
            },
          ],
        }
      : req.url?.startsWith("/api/v1/query")
        ? { resultType: "vector", result: [{ metric, value: [now, "1"] }] }
        : ["storefront"];
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ status: "success", data }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const prometheusUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  viewer = await serveService(createDashboardViewer({ prometheusUrl, scrapeInterval: "5s" }), {
    config: { PORT: 0, HOST: "127.0.0.1", SHUTDOWN_TIMEOUT: 1_000 },
    handleSignals: false,
  });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await viewer?.shutdown();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe("the dashboard viewer's page under its Content-Security-Policy", () => {
  it("runs its script, loads uPlot and its styles, and breaks no rule of its policy", async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(err.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    // The tests are not compiled against the DOM: the listener is page code, as text.
    await page.addInitScript({
      content: `document.addEventListener("securitypolicyviolation", (event) =>
        console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI));`,
    });
    const res = await page.goto(`${viewer.url}/d/platform-overview`);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self' 'sha256-");
    await waitFor(
      async () =>
        (await page.locator("[data-panel-id]").count()) > 0 &&
        (await page.locator('[data-panel-id][data-state="loading"]').count()) === 0,
      { what: "every panel drawn", timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(await page.locator('[data-panel-id][data-state="ok"]').count()).toBeGreaterThan(0);
    expect(await page.locator("canvas").count()).toBeGreaterThan(0);
    // uPlot's stylesheet applied: it hides nothing by default, but sets .uplot's font.
    expect(await page.evaluate("document.styleSheets.length")).toBeGreaterThanOrEqual(2);
    expect(problems).toEqual([]);
  }, 60_000);
});
