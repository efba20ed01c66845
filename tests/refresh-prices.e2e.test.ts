import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Simulator, startSimulator } from "@platform/price-list-simulator";
import {
  AWS_PRICE_TABLE,
  loadPriceTable,
  PRICE_KEYS,
  type PriceKey,
  type PriceTableDocument,
} from "@platform/prices";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `npm run cost:refresh-prices` end to end: the script, in a process of its own, refreshes a copy of the
 * checked-in price table from the Price List simulator (the real SDK over HTTP, pointed at it by
 * AWS_ENDPOINT_URL_PRICING), and the figures it writes are the table's own wherever the simulator's facts have
 * the price (the facts hold the table's sources and more).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "refresh-prices-"));
let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(async () => {
  await simulator?.running.shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

const usdOf = (figure: unknown) =>
  typeof figure === "object" && figure !== null ? (figure as { usd: string }).usd : figure;

/** Every figure of a table as "region key[.type]" → its decimal string. */
function figuresOf(table: PriceTableDocument): Map<string, unknown> {
  const figures = new Map<string, unknown>();
  for (const [region, prices] of Object.entries(table.regions)) {
    for (const [key, value] of Object.entries(prices as Record<string, unknown>)) {
      if ("per" in PRICE_KEYS[key as PriceKey]) {
        for (const [type, figure] of Object.entries(value as Record<string, unknown>)) {
          figures.set(`${region} ${key}.${type}`, usdOf(figure));
        }
      } else {
        figures.set(`${region} ${key}`, usdOf(value));
      }
    }
  }
  return figures;
}

describe("npm run cost:refresh-prices against the Price List simulator", () => {
  it("reproduces the checked-in table's figures from the API, and says which it kept", async () => {
    const file = join(scratch, "prices.json");
    writeFileSync(file, JSON.stringify(AWS_PRICE_TABLE));
    const before = simulator.stats.requests.GetProducts;
    const { stdout } = await promisify(execFile)(
      join(root, "node_modules", ".bin", "tsx"),
      ["--conditions=development", join(root, "infra", "cost", "refresh-prices.ts"), "--prices", file],
      {
        cwd: root,
        timeout: 120_000,
        env: {
          PATH: process.env.PATH,
          HOME: scratch,
          AWS_ENDPOINT_URL_PRICING: simulator.running.url,
          AWS_ACCESS_KEY_ID: "AKIDREFRESH",
          AWS_SECRET_ACCESS_KEY: "not-a-secret",
        },
      },
    );
    const refreshed = JSON.parse(readFileSync(file, "utf8")) as PriceTableDocument;
    loadPriceTable(refreshed, "the refreshed table");
    expect(refreshed.recorded).toBe(new Date().toISOString().slice(0, 10));
    expect(refreshed.source.kind).toBe("AWS Price List API (GetProducts, us-east-1 endpoint)");
    // "<region>: all prices refreshed" or "<region>: kept previous <key[.type]>, …"
    const kept = new Set<string>();
    for (const line of stdout.trim().split("\n")) {
      const [region, rest] = line.split(": ");
      if (rest?.startsWith("kept previous ")) {
        for (const name of rest.slice("kept previous ".length).split(", ")) kept.add(`${region} ${name}`);
      }
    }
    const was = figuresOf(AWS_PRICE_TABLE);
    const now = figuresOf(refreshed);
    const differ = [...was].filter(([name, usd]) => !kept.has(name) && now.get(name) !== usd);
    expect(differ).toEqual([]);
    expect([...now.keys()]).toEqual([...was.keys()]);
    // Most of the table was fetched, not kept: the facts cover it.
    // (It also asks every region for the prices and types other regions hold: what the API lacks is named too.)
    const keptOfTable = [...kept].filter((name) => was.has(name)).length;
    expect(was.size - keptOfTable).toBeGreaterThan(0.9 * was.size);
    expect(simulator.stats.requests.GetProducts - before).toBeGreaterThan(0);
  });
});
