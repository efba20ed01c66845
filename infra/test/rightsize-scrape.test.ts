import { readFileSync } from "node:fs";
import { repositoryPath } from "@platform/repository";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runProgram } from "../under-mocks/mocks";
import { ofType } from "./stacks";

/**
 * The right-sizing rules read cAdvisor's series as the kubelet's ServiceMonitor of kube-prometheus-stack
 * keeps them. The chart's side (dated in README.md, "Documentation this relies on"):
 * `kubelet.serviceMonitor.cAdvisor: true` and the default
 * `kubelet.serviceMonitor.cAdvisorMetricRelabelings`, which drop these series by name (and cgroups with an id
 * but no pod).
 */
const chartDropsByName = [
  /^container_cpu_(cfs_throttled_seconds_total|load_average_10s|system_seconds_total|user_seconds_total)$/,
  /^container_fs_(io_current|io_time_seconds_total|io_time_weighted_seconds_total|reads_merged_total|sector_reads_total|sector_writes_total|writes_merged_total)$/,
  /^container_memory_(mapped_file|swap)$/,
  /^container_(file_descriptors|tasks_state|threads_max)$/,
  /^container_spec.*$/,
];

/** The cAdvisor series (`container_*`) the committed right-sizing rules select. */
function cadvisorSeriesRead(): string[] {
  const doc = parse(readFileSync(repositoryPath("alerts", "rightsize.rules.yml"), "utf8")) as {
    groups: { rules: { expr: string }[] }[];
  };
  const names = doc.groups.flatMap((g) =>
    g.rules.flatMap((r) => [...r.expr.matchAll(/\b(container_[a-z_]+)\{/g)].map((m) => m[1] as string)),
  );
  return [...new Set(names)].sort();
}

let values: Record<string, unknown>;
beforeAll(async () => {
  const dev = await runProgram("dev");
  values = ofType(dev.resources, "kubernetes:helm.sh/v3:Release")[0]?.inputs.values as Record<
    string,
    unknown
  >;
});

describe("what right-sizing reads from cAdvisor in the cluster", () => {
  it("is kept by the chart's kubelet ServiceMonitor, which the program leaves at its defaults", () => {
    const read = cadvisorSeriesRead();
    expect(read).toEqual([
      "container_cpu_cfs_periods_total",
      "container_cpu_cfs_throttled_periods_total",
      "container_cpu_usage_seconds_total",
      "container_memory_working_set_bytes",
    ]);
    for (const name of read) {
      expect(
        chartDropsByName.some((drop) => drop.test(name)),
        name,
      ).toBe(false);
    }
    // The program neither turns the kubelet's cAdvisor endpoint off nor replaces its relabelling.
    expect(values).toBeDefined();
    expect(values.kubelet).toBeUndefined();
  });

  it("would notice a rule that read a series the chart drops", () => {
    expect(chartDropsByName.some((drop) => drop.test("container_cpu_cfs_throttled_seconds_total"))).toBe(
      true,
    );
  });
});
