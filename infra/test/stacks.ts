import { type MockedResource, type ProgramRun, runProgram } from "../under-mocks/mocks";

export interface StackRuns {
  dev: ProgramRun;
  local: ProgramRun;
  /** Pulumi.prod.yaml: three zones, a NAT gateway per zone, larger nodes, no demo traffic. */
  prodLike: ProgramRun;
}

let runs: Promise<StackRuns> | undefined;

/** The three example runs, made once per test file (runs are serialised by the harness). */
export function exampleStackRuns(): Promise<StackRuns> {
  runs ??= (async () => ({
    dev: await runProgram("dev"),
    local: await runProgram("local"),
    prodLike: await runProgram("prod"),
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

/** The Helm release of a chart (the program installs kube-prometheus-stack and, on EKS, the load balancer controller). */
export const releaseOf = (resources: MockedResource[], chart: string) =>
  ofType(resources, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart);
/** kube-prometheus-stack's release. */
export const monitoringRelease = (resources: MockedResource[]) =>
  releaseOf(resources, "kube-prometheus-stack");
