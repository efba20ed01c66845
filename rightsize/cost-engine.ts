/**
 * Everything right-sizing takes from the cost engine behind `npm run cost`, in one place: the program's
 * resources under mocks, the workloads it declares, the node-group capacity model (pods placed on nodes as
 * the Cluster Autoscaler's estimator places them), the price table and the stack's settings. The node-level
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
import { type ParsedSettings, parseStackFile } from "../infra/config.js";
import { requireStackFile } from "../infra/stack-config.js";

export { exact, loadShippedPriceTable, type Money, regionPrices } from "@platform/prices";
export {
  type NodeGroupFit,
  type PricedInput,
  quantityToBytes,
  quantityToMillicores,
  type Workload,
  workloadsOf,
} from "pulumi-cost";
export { resourcesUnderMocks } from "../infra/cost/run-program.js";

/** The node groups' fits as the cost comment computes them, with the engine's own placement limits. */
export function fitNodeGroups(
  resources: readonly PricedInput[],
  workloads: readonly Workload[],
): NodeGroupFit[] {
  const budget = new PlacementBudget(LIMITS.placementWork, LIMITS.placementNodes);
  return fitEngineNodeGroups(new ResourceIndex(resources), workloads, budget);
}

/**
 * A stack's settings as the program parses them from `Pulumi.<stack>.yaml` (region, namespaces, cluster
 * name); a missing file fails naming the stacks there are, a bad value naming its setting.
 */
export function stackSettingsOf(stack: string, root?: string): ParsedSettings {
  requireStackFile(stack, root);
  return parseStackFile(stack, root);
}
