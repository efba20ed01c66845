import { type MockedResource, type ProgramRun, runProgram } from "../testing/mocks";

/** A production-like run: three zones, one NAT gateway per zone, a larger node group. */
export const prodLikeOverrides = {
  azCount: "3",
  natGateways: "per-az",
  nodeInstanceTypes: JSON.stringify(["m7i.large", "m6i.large"]),
  nodeMinSize: "3",
  nodeDesiredSize: "3",
  nodeMaxSize: "6",
  storefrontReplicas: "3",
  demoTraffic: "false",
  prometheusRetention: "30d",
  prometheusStorageSize: "200Gi",
};

export interface StackRuns {
  dev: ProgramRun;
  local: ProgramRun;
  prodLike: ProgramRun;
}

let runs: Promise<StackRuns> | undefined;

/** The three example runs, made once per test file (runs are serialised by the harness). */
export function exampleStackRuns(): Promise<StackRuns> {
  runs ??= (async () => ({
    dev: await runProgram("dev"),
    local: await runProgram("local"),
    prodLike: await runProgram("dev", prodLikeOverrides),
  }))();
  return runs;
}

export function countByType(resources: MockedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export const ofType = (resources: MockedResource[], type: string) => resources.filter((r) => r.type === type);

export const isKubernetesObject = (resource: MockedResource) =>
  resource.type.startsWith("kubernetes:") && resource.type !== "kubernetes:helm.sh/v3:Release";
