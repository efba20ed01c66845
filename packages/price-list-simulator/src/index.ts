export {
  createSimulatorApp,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
  startSimulator,
} from "./app.js";
export { buildCatalogue, type Catalogue, type Product, priceListDecimal } from "./catalogue.js";
export { type FaultSettings, faultsSchema } from "./faults.js";
export { FILTER_TYPES, type Filter } from "./filters.js";
export { OPERATIONS, TARGET_PREFIX } from "./protocol.js";
