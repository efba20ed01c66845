/**
 * Everything right-sizing takes from the cost engine behind `npm run cost`, in one place: the program's
 * resources under mocks, the workloads it declares, the node-group capacity model (pods placed on nodes as
 * the Cluster Autoscaler's estimator places them), the price table and the stack files. The node-level
 * saving is computed by these same functions, so it is what the cost comment will say of the change.
 */
import {
  fitNodeGroups as fitEngineNodeGroups,
  LIMITS,
  type NodeGroupFit,
  PlacementBudget,
  type PricedInput,
  ResourceIndex,
  type Workload,
} from "pulumi-cost";
import { stackSettings } from "../infra/cost/template-config.js";
import { readStackConfig, requireStackFile } from "../infra/stack-config.js";

export { AWS_PRICE_TABLE, exact, loadPriceTable, type Money, regionPrices } from "@platform/prices";
export {
  type NodeGroupFit,
  type PricedInput,
  quantityToBytes,
  quantityToMillicores,
  type Workload,
  workloadsOf,
} from "pulumi-cost";
export { resourcesUnderMocks } from "../infra/cost/run-program.js";
export { monitoringNamespaceOf, REPO_ROOT } from "../infra/cost/template-config.js";

/** The node groups' fits as the cost comment computes them, with the engine's own placement limits. */
export function fitNodeGroups(
  resources: readonly PricedInput[],
  workloads: readonly Workload[],
): NodeGroupFit[] {
  const budget = new PlacementBudget(LIMITS.placementWork, LIMITS.placementNodes);
  return fitEngineNodeGroups(new ResourceIndex(resources), workloads, budget);
}

/** A stack's settings as written in `Pulumi.<stack>.yaml`; a missing file fails naming the stacks there are. */
export function stackConfig(stack: string): Record<string, string> {
  requireStackFile(stack);
  return readStackConfig(stack).config;
}

/** The stack's AWS region as its file sets it (`platform:region`, else `aws:region`). */
export const regionFromStackFile = (stack: string): string | undefined => stackSettings(stack).region;
