/**
 * The long-term store on this machine: a second Prometheus that scrapes nothing and only receives what the
 * platform's Prometheus remote-writes to it (--web.enable-remote-write-receiver, in Debian's 2.42), the
 * recorded cost, unit-economics and business series of alerts/long-term-store.ts, kept for
 * LONG_TERM_RETENTION_DAYS. It stands where Amazon Managed Service for Prometheus stands in a cluster, so the
 * Cost dashboard's history panels read the same series here. Its data survives fresh starts of the platform's
 * Prometheus (`npm start -- --check` starts that afresh): history is what it is for.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { LONG_TERM_RETENTION_DAYS } from "../../alerts/long-term-store.js";
import type { LocalContext, Row } from "./types.js";

/** Where a Prometheus accepts remote writes with --web.enable-remote-write-receiver. */
export const REMOTE_WRITE_PATH = "/api/v1/write";

export async function startLongTermStore(context: LocalContext, binary: string): Promise<Row> {
  const dir = join(context.dataDir, "long-term-store");
  mkdirSync(dir, { recursive: true });
  // No scrape_configs: every series it holds came through the remote write.
  writeFileSync(join(dir, "prometheus.yml"), stringify({ global: {} }));
  const port = context.ports["long-term-store"] as number;
  context.children.start("long-term-store", binary, [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--storage.tsdb.retention.time=${LONG_TERM_RETENTION_DAYS}d`,
    "--web.enable-remote-write-receiver",
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  await context.children.waitReady("long-term-store", `${context.url("long-term-store")}/-/ready`, 30_000);
  return {
    name: "long-term-store",
    url: context.url("long-term-store"),
    status: "running",
    note: `the recorded cost, unit-economics and business series, remote-written by prometheus, kept ${LONG_TERM_RETENTION_DAYS} days`,
  };
}
