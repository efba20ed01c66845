import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogue } from "../catalogue/services.js";
import { localRightsizeRuleFile, localUsageRuleFile } from "./usage.js";

const pod = (deployment: string, namespace = "platform") => ({
  namespace,
  name: `${deployment}-5d8f7c9b4-x0`,
  node: "cluster-nodes-1",
  owner: { kind: "ReplicaSet", name: `${deployment}-5d8f7c9b4` },
  replicaSet: { name: `${deployment}-5d8f7c9b4`, deployment },
  cpuCores: 0.05,
  memoryBytes: 100663296,
});

describe("each local service's use, as its demo pod's container use", () => {
  it("records the process's CPU and resident memory under cAdvisor's names and the first pod's labels", () => {
    const files = localUsageRuleFile(catalogue, { pods: [pod("storefront"), pod("traffic")] });
    const { groups } = parse(files["demo-usage.rules.yml"] as string) as {
      groups: { name: string; rules: { record: string; expr: string }[] }[];
    };
    expect(groups.map((g) => g.name)).toEqual(["demo-usage"]);
    const rules = groups[0]?.rules ?? [];
    // The cost exporter has no pod in this inventory: no use is made up for it.
    expect(rules.map((r) => r.record)).toEqual([
      "container_cpu_usage_seconds_total",
      "container_memory_working_set_bytes",
      "container_cpu_usage_seconds_total",
      "container_memory_working_set_bytes",
    ]);
    expect(rules[0]?.expr).toContain('process_cpu_seconds_total{job="storefront"}');
    expect(rules[0]?.expr).toContain('"pod", "storefront-5d8f7c9b4-x0"');
    expect(rules[1]?.expr).toContain('process_resident_memory_bytes{job="storefront"}');
    expect(rules[3]?.expr).toContain('"container", "traffic"');
  });

  it("refuses a name that is not a Kubernetes name rather than write it into PromQL", () => {
    expect(() => localUsageRuleFile(catalogue, { pods: [pod("storefront", 'x"} or vector(1)')] })).toThrow(
      /not a Kubernetes name/,
    );
  });

  it("records the right-sizing rules every three scrapes over the demo's window", () => {
    const text = localRightsizeRuleFile("5s", "3m")["rightsize.rules.yml"] as string;
    const { groups } = parse(text) as { groups: { name: string; interval: string }[] };
    expect(groups).toMatchObject([{ name: "rightsize", interval: "15s" }]);
    expect(text).toContain("count_over_time(platform:container_cpu_usage:cores[3m]) / 12");
  });
});
