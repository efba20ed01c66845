/**
 * Everything right-sizing takes from the cost engine behind `npm run cost`, in one place: the program's
 * resources under mocks, the workloads it declares, the node-group capacity model (pods placed on nodes as
 * the Cluster Autoscaler's estimator places them), the price table and the stack files. The node-level
 * saving is computed by these same functions, so it is what the cost comment will say of the change.
 */
export { AWS_PRICE_TABLE, exact, loadPriceTable, type Money, regionPrices } from "@platform/prices";
export { fitNodeGroups, type NodeGroupFit } from "../infra/cost/capacity.js";
export { type PricedInput, quantityToBytes, quantityToMillicores } from "../infra/cost/inputs.js";
export { resourcesUnderMocks } from "../infra/cost/run-program.js";
export {
  monitoringNamespaceOf,
  REPO_ROOT,
  regionFromStackFile,
  stackConfig,
} from "../infra/cost/stack-files.js";
export { type Workload, workloadsOf } from "../infra/cost/workloads.js";
