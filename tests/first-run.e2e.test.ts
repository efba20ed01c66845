/**
 * A newcomer's first run, as they would have it: `npm start` (the real command, on free ports, without
 * Grafana), what it prints, the links it prints opened in a real browser (Debian's chromium): every panel
 * of every committed dashboard drawn from live data, the shop's Buy button placing an order whose total
 * moves the revenue by exactly that much, a cross-site post refused and counted nowhere, and an alert
 * delivered by the real Alertmanager to the local receiver whose runbook link opens this checkout's
 * runbook. The screenshots of the shop and the overview dashboard go to SCREENSHOTS_DIR (a scratch
 * directory unless set; `npm run screenshots` sets it to docs/screenshots).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  freePort,
  type StartedProcess,
  sample,
  startProcess,
  typescriptCommand,
  waitFor,
} from "@platform/testkit";
import { type Browser, launchBrowser } from "@platform/testkit/browser";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue } from "../catalogue/services.js";
import { seriesCount } from "../local/check.js";
import { alertmanagerHasWebUi } from "../local/components/alertmanager.js";
import { readDashboards } from "../local/dashboard-viewer/app.js";
import { allPanels, type Dashboard } from "../local/dashboard-viewer/grafana.js";
import { TRY_QUERY } from "../local/guide.js";
import { causeIncident } from "../local/incidents.js";
import { localComponents, portSettingName } from "../local/settings.js";
import { findProduct, type Product } from "../services/storefront/src/catalog.js";

const repoRoot = join(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "first-run-"));
const screenshots = process.env.SCREENSHOTS_DIR
  ? resolve(repoRoot, process.env.SCREENSHOTS_DIR)
  : mkdtempSync(join(tmpdir(), "screenshots-"));
const started: StartedProcess[] = [];
let npmStart: StartedProcess;
let browser: Browser;
/** When the platform's data begins: the README picture starts there, so its charts fill their width. */
let dataSince = 0;
const ports: Record<string, number> = {};
const url = (name: string) => `http://127.0.0.1:${ports[name]}`;

beforeAll(async () => {
  const env: Record<string, string> = {
    LOCAL_DATA_DIR: dataDir,
    SCRAPE_INTERVAL: "1s",
    LOCAL_MAX_FOR: "2s",
    // The read-only dashboards even where Grafana is installed: they are what is tested here.
    LOCAL_GRAFANA: "off",
    TELEGRAM_BOT_TOKEN: "",
    TELEGRAM_CHAT_ID: "",
    LOG_LEVEL: "warn",
  };
  for (const { name } of localComponents(catalogue)) {
    ports[name] = await freePort();
    env[portSettingName(name)] = String(ports[name]);
  }
  npmStart = startProcess("npm", ["start"], { cwd: repoRoot, env, parentDeath: "guard" });
  started.push(npmStart);
  browser = await launchBrowser();
  await waitFor(() => npmStart.output().includes("Try this:") && npmStart.output().includes("demo traffic"), {
    what: "npm start to print its guide",
    timeoutMs: 150_000,
    intervalMs: 250,
    failIf: () => (npmStart.status() ? `npm start exited:\n${npmStart.output()}` : undefined),
  });
  dataSince = Date.now();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.SCREENSHOTS_DIR) process.stdout.write(`screenshots in ${screenshots}\n`);
});

/** The address a row of the start-up table links to. */
function tableLink(component: string): string {
  const match = new RegExp(`^${component}\\s+running\\s+(http://\\S+)`, "m").exec(npmStart.output());
  if (!match?.[1]) throw new Error(`no running ${component} row in:\n${npmStart.output()}`);
  return match[1];
}

async function shot(page: Page, name: string) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, name), fullPage: true });
}

describe("npm start on a first run", () => {
  it("says when every target is up and how long it took, then what to try", async () => {
    const out = npmStart.output();
    const running = out.indexOf("Running. Press Ctrl-C to stop everything.");
    expect(running).toBeGreaterThan(0);
    expect(out.slice(running)).toMatch(/\nAll \d+ scrape targets are up, \d+\.\d s after npm start\.\n/);
    const guide = out.slice(out.indexOf("Try this:"));
    expect(guide).toContain(`buy something    ${url("storefront")}`);
    expect(guide).toContain(`${url("grafana")}/d/platform-overview  (read-only; Grafana is not installed)`);
    expect(guide).toContain("npm start -- --incident errors");
    expect(guide).toContain(`listed at ${url("alert-receiver")}/alerts`);
    expect(guide).toContain(`the runbooks are at ${url("alert-receiver")}/runbooks`);
    // The one query it offers answers with data.
    expect(guide).toContain(`${url("prometheus")}/graph?g0.expr=${encodeURIComponent(TRY_QUERY)}`);
    await waitFor(async () => (await seriesCount(url("prometheus"), TRY_QUERY)) === 1, {
      what: `${TRY_QUERY} to answer`,
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    // Debian's Alertmanager has no web UI: the guide says so and what to use instead.
    if (!(await alertmanagerHasWebUi(url("alertmanager")))) {
      expect(guide).toContain(
        `${url("alertmanager")} has no web UI (Debian's package ships without it): amtool --alertmanager.url=${url("alertmanager")} alert query`,
      );
    }
    // Grafana skipped (off here): the row says why and where the dashboards are instead.
    expect(out).toMatch(
      /^grafana\s+skipped\s+-\s+LOCAL_GRAFANA=off; the dashboards are served read-only below$/m,
    );
    expect(tableLink("dashboards")).toBe(`${url("grafana")}/d/platform-overview`);
  });
});

/** Every panel element of the page, with how its drawing went (its data-* attributes). */
async function panelStates(page: Page) {
  const panels = page.locator("[data-panel-id]");
  const states = [];
  for (const panel of await panels.all()) {
    states.push({
      id: Number(await panel.getAttribute("data-panel-id")),
      type: (await panel.getAttribute("data-panel-type")) ?? "",
      state: (await panel.getAttribute("data-state")) ?? "",
      points: Number((await panel.getAttribute("data-points")) ?? 0),
      detail: (await panel.getAttribute("data-detail")) ?? "",
      title: (await panel.locator("h3").textContent()) ?? "",
    });
  }
  return states;
}

/**
 * Waits until every panel has drawn data (the page redraws every `refresh` until the data is there); a
 * panel with its own no-value text may instead say it (the reconciliation before a whole UTC day).
 */
async function everyPanelDrawn(page: Page, expected: number, mayBeEmpty: number[] = []) {
  const notOk = `[data-panel-id]:not([data-state="ok"])${mayBeEmpty.map((id) => `:not([data-panel-id="${id}"][data-state="empty"])`).join("")}`;
  await waitFor(
    async () =>
      (await page.locator("[data-panel-id]").count()) === expected &&
      (await page.locator(notOk).count()) === 0,
    { what: `${expected} panels drawn`, timeoutMs: 120_000, intervalMs: 500 },
  ).catch(async (err) => {
    const notDrawn = (await panelStates(page)).filter((p) => p.state !== "ok");
    throw new Error(`${(err as Error).message}; not drawn: ${JSON.stringify(notDrawn)}`);
  });
}

/** What the probe below reads of a panel element in the page (the tests are not compiled against the DOM). */
interface PanelElement {
  querySelectorAll(selector: "canvas"): Iterable<{
    width: number;
    height: number;
    getContext(kind: "2d"): {
      getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
    };
  }>;
}

/** Pixels of a panel's canvases in a saturated colour: series strokes and fills, not the grey axes and grid. */
function colouredPixels(page: Page, panelId: number) {
  return page.locator(`[data-panel-id="${panelId}"]`).evaluate((panel) => {
    let count = 0;
    for (const canvas of (panel as unknown as PanelElement).querySelectorAll("canvas")) {
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
        if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) count++;
      }
    }
    return count;
  });
}

describe("the single pane without Grafana", () => {
  it("draws every panel of every committed dashboard from live data, as Grafana resolves their variables", async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    // The overview through the link the start-up table prints, the others through the dashboards' links.
    for (const { dashboard } of readDashboards()) {
      const link =
        dashboard.uid === "platform-overview"
          ? tableLink("dashboards")
          : `${url("grafana")}/d/${dashboard.uid}`;
      await page.goto(`${link}?refresh=2s`);
      const panels = allPanels((dashboard as Dashboard).panels).filter((p) => p.type !== "row");
      const noValueOf = new Map(
        panels.flatMap((p) =>
          p.fieldConfig?.defaults?.noValue ? [[p.id, p.fieldConfig.defaults.noValue]] : [],
        ),
      );
      await everyPanelDrawn(page, panels.length, [...noValueOf.keys()]);
      const states = await panelStates(page);
      expect(states.map((s) => s.id).sort((a, b) => a - b)).toEqual(
        panels.map((p) => p.id).sort((a, b) => a - b),
      );
      for (const state of states) {
        const noValue = noValueOf.get(state.id);
        if (noValue !== undefined && state.state === "empty") {
          // Saying why there is nothing to show, in its words, not "No data".
          expect(await page.locator(`[data-panel-id="${state.id}"] .body`).textContent()).toBe(noValue);
          continue;
        }
        expect(state.points, `${dashboard.title}: ${state.title}`).toBeGreaterThan(0);
        if (state.type === "timeseries") {
          // A series of one sample draws no line (showPoints: never, as in Grafana): wait for a second scrape.
          await waitFor(async () => (await colouredPixels(page, state.id)) > 50, {
            what: `${dashboard.title}: ${state.title} drawn in colour`,
            timeoutMs: 60_000,
            intervalMs: 1_000,
          });
        } else {
          const text = (await page.locator(`[data-panel-id="${state.id}"] .body`).textContent()) ?? "";
          expect(text, `${dashboard.title}: ${state.title}`).not.toMatch(/No data|NaN|undefined/);
          expect(text.trim().length).toBeGreaterThan(0);
        }
      }
      // $job, from label_values(app_revenue_total, job) through its regex: the services that earn.
      for (const variable of (dashboard.templating?.list ?? []).filter((v) => v.type === "query")) {
        const select = page.locator(`select[name="var-${variable.name}"]`);
        expect(await select.inputValue()).toBe(variable.current?.value);
      }
      if (dashboard.uid === "platform-overview") {
        expect(await page.locator('[data-panel-id] >> text="Targets up"').count()).toBe(1);
        const targetsUp = panels.find((p) => p.title === "Targets up");
        expect(await page.$eval(`[data-panel-id="${targetsUp?.id}"] .value`, (v) => v.textContent)).toBe(
          "100%",
        );
        expect(await page.locator('[data-panel-type="gauge"] path.gauge-value').count()).toBeGreaterThan(0);
      }
    }
    expect(errors).toEqual([]);
    // The picture for the README: from when the data begins (Grafana's epoch-ms `from`), so the charts
    // fill their width, and (for `npm run screenshots`) once orders came in, so the revenue stats have some.
    if (process.env.SCREENSHOTS_DIR) {
      await waitFor(
        async () => (await seriesCount(url("prometheus"), "sum(increase(app_revenue_total[20s])) > 0")) === 1,
        {
          what: "an order in the last 20 s",
          timeoutMs: 120_000,
          intervalMs: 1_000,
        },
      );
    }
    await page.goto(`${tableLink("dashboards")}?from=${dataSince - 5_000}&to=now&refresh=2s`);
    const overview = readDashboards().find((d) => d.dashboard.uid === "platform-overview")
      ?.dashboard as Dashboard;
    await everyPanelDrawn(page, allPanels(overview.panels).filter((p) => p.type !== "row").length);
    await shot(page, "platform-overview.png");
    await page.close();
  }, 300_000);
});

describe("a shop a person can use", () => {
  let shop: string;
  let attacker: Server;
  beforeAll(async () => {
    // Its own storefront, with no demo traffic, so its revenue moves only by what the test buys.
    const port = await freePort();
    shop = `http://127.0.0.1:${port}`;
    const [node, args] = typescriptCommand(join(repoRoot, "services/storefront/src/main.ts"));
    const storefront = startProcess(node, args, {
      cwd: repoRoot,
      env: { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
      parentDeath: "child-watches-ipc",
    });
    started.push(storefront);
    await waitFor(async () => (await fetch(`${shop}/ready`)).ok, {
      what: "the storefront",
      timeoutMs: 60_000,
    });
    // A page of another site with a form aimed at the shop, as a forger would write it.
    attacker = createServer((_req, res) => {
      res.setHeader("Content-Type", "text/html");
      res.end(`<!doctype html><form method="post" action="${shop}/checkout">
<input type="hidden" name="productId" value="workshop-seat"><input type="hidden" name="quantity" value="100">
<input type="hidden" name="token" value="${"0".repeat(32)}"><button id="win">Win a prize</button></form>`);
    });
    await new Promise<void>((done) => attacker.listen(0, "127.0.0.1", done));
  }, 90_000);
  afterAll(
    () =>
      new Promise((done) => {
        attacker?.closeAllConnections();
        attacker?.close(() => done(undefined));
      }),
  );

  const metrics = async () => {
    const text = await (await fetch(`${shop}/metrics`)).text();
    return {
      revenueCents: Math.round((sample(text, "app_revenue_total") ?? Number.NaN) * 100),
      accepted: sample(text, 'app_checkouts_total{outcome="accepted"}'),
      invalid: sample(text, 'app_checkouts_total{outcome="invalid"}'),
    };
  };

  it("buys with a click: a confirmation with the order id and total, and revenue moved by exactly that", async () => {
    const page = await browser.context.newPage();
    await page.goto(shop);
    await shot(page, "storefront.png");
    const before = await metrics();
    const card = page.locator("article.card", {
      has: page.locator('input[name="productId"][value="notebook"]'),
    });
    await card.locator('input[name="quantity"]').fill("3");
    await card.getByRole("button", { name: "Buy" }).click();
    await page.waitForURL(`${shop}/checkout`);
    expect(await page.locator("h1").textContent()).toBe("Thank you for your order");
    expect(await page.locator("#order-id").textContent()).toMatch(/^ord_[0-9a-f-]{36}$/);
    const total = (await page.locator("#order-total").textContent()) ?? "";
    const notebook = findProduct("notebook") as Product;
    expect(total).toBe(
      new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(
        (3 * notebook.priceCents) / 100,
      ),
    );
    const after = await metrics();
    expect(after.revenueCents - before.revenueCents).toBe(Math.round(Number(total.replace("$", "")) * 100));
    expect((after.accepted ?? 0) - (before.accepted ?? 0)).toBe(1);
    await page.close();
  });

  it.each([
    ["another site", "localhost"],
    ["a sibling site (another port of this host)", "127.0.0.1"],
  ])("refuses a form posted from %s, and counts nothing", async (_what, host) => {
    const page = await browser.context.newPage();
    // The visitor has been to the shop: their browser holds its cookie.
    await page.goto(shop);
    const before = await metrics();
    await page.goto(`http://${host}:${(attacker.address() as AddressInfo).port}/`);
    const [answer] = await Promise.all([
      page.waitForResponse(`${shop}/checkout`),
      page.locator("#win").click(),
    ]);
    expect(answer.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Order refused");
    expect(await metrics()).toEqual(before);
    await page.close();
  });
});

describe("runbook links that open", () => {
  it("a delivered alert links to this checkout's runbook, and the link opens it", async () => {
    const receiver = url("alert-receiver");
    const incident = await causeIncident("errors", url);
    try {
      const alert = await waitFor(
        async () => {
          const notifications = (await (await fetch(`${receiver}/alerts`)).json()) as {
            alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
          }[];
          return notifications
            .flatMap((n) => n.alerts)
            .find((a) => a.status === "firing" && a.annotations.runbook_url);
        },
        { what: "a firing alert at the local receiver", timeoutMs: 90_000, intervalMs: 500 },
      );
      const name = alert.labels.alertname as string;
      process.stdout.write(`delivered: ${name}\n`);
      const runbook = `${receiver}/runbooks/${name}.md`;
      expect(alert.annotations.runbook_url).toBe(runbook);
      expect(npmStart.output()).toContain(`runbook: ${runbook}`);
      const page = await browser.context.newPage();
      await page.goto(runbook);
      expect(await page.locator("h1").textContent()).toBe(name);
      const markdown = readFileSync(join(repoRoot, "alerts", "runbooks", `${name}.md`), "utf8");
      const firstCheck = /^1\. (.+)$/m.exec(markdown)?.[1]?.replace(/[*`]/g, "").slice(0, 30) ?? "";
      expect(await page.locator("body").textContent()).toContain(firstCheck);
      await page.close();
    } finally {
      await incident.undo();
    }
  }, 120_000);
});
