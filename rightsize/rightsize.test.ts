import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { loadRightsizeSettings } from "../alerts/rightsize-settings.js";
import { catalogue } from "../catalogue/services.js";
import { editCatalogueRequests } from "./catalogue-edit.js";
import { CATALOGUE_FILE } from "./cli.js";
import { stackSettingsOf } from "./cost-engine.js";
import type { Observed } from "./observe.js";
import { prometheusBase, prometheusClient } from "./prometheus.js";
import { catalogueEdits, propose } from "./recommend.js";
import { cell, renderMarkdown } from "./report.js";

const real = readFileSync(CATALOGUE_FILE, "utf8");
const settings = loadRightsizeSettings();
const MIB = 2 ** 20;

/** The lines of `after` that differ from `before` (same line count expected). */
function changedLines(before: string, after: string): { before: string; after: string }[] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [{ before: line, after: b[i] as string }]));
}

describe("--write: a structured edit of the real catalogue/services.ts", () => {
  it("changes the storefront's CPU request and not one other character", () => {
    const after = editCatalogueRequests(real, new Map([["storefront", { cpu: "15m" }]]));
    const lines = changedLines(real, after);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.before).toContain('requests: { cpu: "50m", memory: "96Mi" }');
    expect(lines[0]?.after).toBe(lines[0]?.before.replace('cpu: "50m"', 'cpu: "15m"'));
    expect(after.length).toBe(real.length);
  });

  it("edits several entries and both resources; the result still parses as TypeScript", () => {
    const after = editCatalogueRequests(
      real,
      new Map([
        ["cost-exporter", { cpu: "10m" }],
        ["traffic", { cpu: "30m", memory: "120Mi" }],
      ]),
    );
    const lines = changedLines(real, after);
    expect(lines.map((l) => l.after.trim())).toEqual([
      'resources: { requests: { cpu: "10m", memory: "96Mi" }, limits: { cpu: "250m", memory: "192Mi" } },',
      'resources: { requests: { cpu: "30m", memory: "120Mi" }, limits: { cpu: "250m", memory: "128Mi" } },',
    ]);
    const parsed = ts.transpileModule(after, { reportDiagnostics: true, fileName: "services.ts" });
    expect(parsed.diagnostics ?? []).toEqual([]);
  });

  it("raises a limit the new request would exceed (Kubernetes refuses request > limit)", () => {
    const after = editCatalogueRequests(real, new Map([["traffic", { memory: "160Mi" }]]));
    expect(changedLines(real, after)[0]?.after).toContain(
      'requests: { cpu: "20m", memory: "160Mi" }, limits: { cpu: "250m", memory: "160Mi" }',
    );
  });

  it("refuses a service the file does not declare, changing nothing", () => {
    expect(() => editCatalogueRequests(real, new Map([["nope", { cpu: "10m" }]]))).toThrow(
      /no entry named "nope"/,
    );
  });
});

const observed = (over: Partial<Observed> & Pick<Observed, "workload">): Observed => ({
  namespace: "platform",
  workloadKind: "Deployment",
  container: over.workload,
  coverage: 1,
  pods: 2,
  cpu: {},
  memory: { oomKilled: false },
  freedUsdPerHour: {},
  ...over,
});
const context = { appsNamespace: "platform", hoursPerMonth: 730 };

describe("proposals", () => {
  it("lower, raise or keep each request against the catalogue's, with the requested share freed a month", () => {
    const [storefront] = propose(
      [
        observed({
          workload: "storefront",
          cpu: { requestCores: 0.05, usedCores: 0.012, recommendedCores: 0.015 },
          memory: {
            requestBytes: 96 * MIB,
            maxBytes: 95 * MIB,
            recommendedBytes: 112 * MIB,
            oomKilled: false,
          },
          freedUsdPerHour: { cpu: 0.002, memory: -0.0001 },
        }),
      ],
      catalogue,
      settings,
      context,
    );
    expect(storefront?.service?.name).toBe("storefront");
    expect(storefront?.cpu).toMatchObject({ current: "50m", recommended: "15m", verdict: "lower" });
    expect(storefront?.memory).toMatchObject({ current: "96Mi", recommended: "112Mi", verdict: "raise" });
    expect(storefront?.freedMonthlyUsd).toBeCloseTo((0.002 - 0.0001) * 730, 10);
  });

  it("keeps a request within minChange, and counts nothing freed for it", () => {
    const [p] = propose(
      [
        observed({
          workload: "cost-exporter",
          pods: 1,
          cpu: { recommendedCores: 0.019 },
          memory: { recommendedBytes: 100 * MIB, oomKilled: false },
          freedUsdPerHour: { cpu: 0.0001, memory: -0.00001 },
        }),
      ],
      catalogue,
      settings,
      context,
    );
    expect(p?.cpu.verdict).toBe("keep");
    expect(p?.memory.verdict).toBe("keep");
    expect(p?.freedMonthlyUsd).toBe(0);
    expect(catalogueEdits(p ? [p] : []).size).toBe(0);
  });

  it("proposes nothing for a container with too little data, whatever Prometheus recommends", () => {
    const [p] = propose(
      [
        observed({
          workload: "storefront",
          coverage: 0.5,
          cpu: { recommendedCores: 0.01 },
          freedUsdPerHour: { cpu: 1 },
        }),
      ],
      catalogue,
      settings,
      context,
    );
    expect(p?.cpu).toMatchObject({ verdict: "not enough data", recommended: undefined });
    expect(p?.cpu.why).toBe("50% of the 7d window recorded (needs 80%)");
    expect(p?.freedMonthlyUsd).toBe(0);
    expect(catalogueEdits(p ? [p] : []).size).toBe(0);
  });

  it("never below the floors, even if a recommendation were", () => {
    const [p] = propose(
      [
        observed({
          workload: "storefront",
          cpu: { recommendedCores: 0.001 },
          memory: { recommendedBytes: 8 * MIB, oomKilled: false },
        }),
      ],
      catalogue,
      settings,
      context,
    );
    expect(p?.cpu.recommended).toBe(`${settings.cpu.floorMillicores}m`);
    expect(p?.memory.recommended).toBe(`${settings.memory.floorMiB}Mi`);
  });

  it("writes nothing for a workload outside the catalogue or another namespace", () => {
    const proposals = propose(
      [
        observed({
          workload: "grafana",
          namespace: "monitoring",
          cpu: { requestCores: 0.07, recommendedCores: 0.01 },
        }),
        observed({ workload: "storefront", namespace: "elsewhere", cpu: { recommendedCores: 0.01 } }),
      ],
      catalogue,
      settings,
      context,
    );
    expect(proposals.map((p) => p.service)).toEqual([undefined, undefined]);
    expect(proposals[0]?.cpu).toMatchObject({ current: "70m", verdict: "lower" });
    expect(catalogueEdits(proposals).size).toBe(0);
  });
});

describe("untrusted input", () => {
  it("escapes a label for a Markdown cell and bounds it", () => {
    expect(cell("a|b`c<script>\nd")).toBe("a\\|b\\`c\\<script\\> d");
    expect(cell("x".repeat(500))).toHaveLength(80);
    // An escape sequence, a right-to-left override and a zero-width space never reach a terminal.
    expect(cell("a\u001b[2Jb\u202ec\u200bd")).toBe("a \\[2Jb c d");
  });

  it("takes only an http(s) Prometheus address", () => {
    expect(prometheusBase("http://127.0.0.1:9090/")).toBe("http://127.0.0.1:9090");
    expect(() => prometheusBase("file:///etc/passwd")).toThrow(/http\(s\) URL/);
    expect(() => prometheusBase("not a url")).toThrow(/http\(s\) URL/);
  });
});

describe("the table", () => {
  it("names the workloads that qualify for Spot and those that do not, and what binds more pods", () => {
    const text = renderMarkdown({
      stack: "dev",
      window: "7d",
      resolution: "300s",
      prometheus: "http://127.0.0.1:9090",
      proposals: [],
      edits: {},
      written: false,
      nodes: [
        {
          nodeGroup: "cluster-nodes",
          instanceType: "t3.large",
          minSize: 2,
          running: 2,
          neededBefore: 2,
          neededAfter: 2,
          nodeMonthlyUsd: 60.736,
          savingMonthlyUsd: 0,
          podsPerNode: 35,
          morePodsFit: [{ workload: "storefront", after: 59, before: 59, podLimited: true }],
          spot: {
            assumedDiscount: 0.6,
            savingMonthlyUsd: 72.88,
            qualifying: ["storefront"],
            notQualifying: ["traffic (1 replica)"],
          },
        },
      ],
    });
    expect(text).toContain("qualify — storefront; not: traffic (1 replica).");
    expect(text).toContain(
      "59 more storefront pods fit on those 2 node(s) (59 before the change): the nodes' limit of 35 pods each binds",
    );
    expect(text).toContain("no node can go: **$0.00 a month** at node level");
    expect(text).toContain("the price table has no arm64 type");
  });
});

describe("reading Prometheus", () => {
  /** A stand-in Prometheus on 127.0.0.1 that answers each request with the next of `answers`. */
  async function standIn(answers: { status: number; body: unknown }[]) {
    const { createServer } = await import("node:http");
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.method ?? "");
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)] as {
        status: number;
        body: unknown;
      };
      res.writeHead(answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(r)) };
  }
  const vector = {
    status: "success",
    data: { resultType: "vector", result: [{ metric: { a: "1" }, value: [0, "2.5"] }] },
  };

  it("retries a fault of the server with backoff, and reads by GET only", async () => {
    const prometheus = await standIn([
      { status: 503, body: { status: "error", error: "overloaded" } },
      { status: 200, body: vector },
    ]);
    try {
      expect(await prometheusClient(prometheus.url).query("up")).toEqual([
        { labels: { a: "1" }, value: 2.5 },
      ]);
      expect(prometheus.seen).toEqual(["GET", "GET"]);
    } finally {
      await prometheus.close();
    }
  });

  it("does not retry a bad query, and says what Prometheus said on one line", async () => {
    const prometheus = await standIn([
      { status: 400, body: { status: "error", error: "parse error\u001b[2J\nat 1" } },
    ]);
    try {
      await expect(prometheusClient(prometheus.url).query("up{")).rejects.toThrow(
        /^Prometheus at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: parse error \[2J at 1$/,
      );
      expect(prometheus.seen).toEqual(["GET"]);
    } finally {
      await prometheus.close();
    }
  });
});

describe("the stack it sizes", () => {
  it("is read as the program reads it: the region is platform:region (default us-east-1), never aws:region", () => {
    const root = mkdtempSync(join(tmpdir(), "rightsize-stack-"));
    try {
      const admin = "arn:aws:iam::123456789012:role/admin";
      writeFileSync(
        join(root, "Pulumi.other.yaml"),
        `config:\n  aws:region: eu-west-1\n  platform:clusterAdminRoleArns: ["${admin}"]\n  platform:appsNamespace: shop\n`,
      );
      // The program creates everything through providers of platform:region; aws:region places nothing.
      expect(stackSettingsOf("other", root)).toMatchObject({ region: "us-east-1", appsNamespace: "shop" });
      expect(() => stackSettingsOf("missing", root)).toThrow(/Pulumi.missing.yaml does not exist/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
