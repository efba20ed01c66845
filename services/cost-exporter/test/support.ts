// Shared by the cost exporter's tests and its benchmark: a controllable clock, the simulator plus an
// exporter wired to it with the real SDK over HTTP, and an exposition reader.
import { createLogger } from "@platform/service-kit";
import { createApp } from "../src/app.js";
import type { Scheduler } from "../src/collector.js";
import { type CostExporterConfig, loadCostExporterConfig } from "../src/config.js";
import { createCostExplorerClient } from "../src/cost-explorer-client.js";
import { type Simulator, type SimulatorOptions, startSimulator } from "../src/simulator/app.js";

/** Timers that fire only when the test moves time forward. */
export class FakeScheduler implements Scheduler {
  private timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  constructor(private time: number) {}
  now() {
    return this.time;
  }
  setTimeout(run: () => void, ms: number) {
    const timer = { at: this.time + ms, run, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }
  pending() {
    return this.timers.filter((t) => !t.cancelled).map((t) => t.at - this.time);
  }
  /** Moves time forward, firing due timers in order; `afterEach` lets a fired refresh finish first. */
  async advance(ms: number, afterEach: () => Promise<unknown> = async () => {}) {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      this.timers = this.timers.filter((t) => t !== due);
      due.run();
      await afterEach();
    }
    this.time = end;
  }
}

const quiet = createLogger({ service: "cost-exporter-test", level: "silent" });

export interface Testbed {
  simulator: Simulator;
  exporter: ReturnType<typeof createApp>;
  scheduler: FakeScheduler;
  config: CostExporterConfig;
  scrape(): Promise<string>;
  close(): Promise<void>;
}

/** A simulator and an exporter talking to it through the real SDK over HTTP on 127.0.0.1. */
export async function startTestbed({
  now,
  env = {},
  simulator: simulatorOptions = {},
  scheduler = new FakeScheduler(now),
}: {
  now: number;
  env?: Record<string, string>;
  simulator?: SimulatorOptions;
  scheduler?: FakeScheduler;
}): Promise<Testbed> {
  const simulator = await startSimulator({ now: () => now, logger: quiet, ...simulatorOptions });
  // Most tests count pages and retries over several refreshes: no cap unless a test sets one (the
  // default cap has tests of its own).
  const config = loadCostExporterConfig({
    LOG_LEVEL: "silent",
    API_TIMEOUT: "2s",
    DAILY_REQUEST_CAP: "0",
    ...env,
  });
  const client = createCostExplorerClient(config, {
    endpoint: simulator.running.url,
    credentials: { accessKeyId: "TESTACCESSKEY", secretAccessKey: "test-secret" },
  });
  const exporter = createApp({
    config,
    client,
    mode: "demo",
    logger: quiet,
    scheduler,
    sleep: async () => {},
    random: () => 0.5,
  });
  return {
    simulator,
    exporter,
    scheduler,
    config,
    scrape: async () => (await exporter.app.request("/metrics")).text(),
    async close() {
      exporter.collector.stop();
      await exporter.collector.settled();
      client.destroy();
      await simulator.running.shutdown("test done");
    },
  };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the sample lines of a Prometheus text exposition. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[m[1] as string] = (m[2] as string).replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples of one metric whose labels include all of `labels`. */
export function find(text: string | Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  const samples = typeof text === "string" ? parseExposition(text) : text;
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The value of exactly one matching sample (throws if there is not exactly one). */
export function value(text: string | Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = find(text, name, labels);
  if (found.length !== 1)
    throw new Error(`expected one ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return (found[0] as Sample).value;
}

/** Only the cost series, as text lines: what must not change when nothing was refreshed. */
export function costLines(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("aws_cost_") && !l.startsWith("aws_cost_exporter_"));
}
