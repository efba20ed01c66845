export { AWS_PRICE_TABLE, loadShippedPriceTable } from "./aws-prices.js";
export { priceFacts } from "./facts.js";
export { factsPlaceOf, factsWithFigures } from "./facts-refresh.js";
export { priceTableFromFacts } from "./facts-table.js";
export { INSTANCE_TYPES, type InstanceTypeCapacity, instanceTypeCapacity } from "./instance-types.js";
export {
  centsString,
  exact,
  formatQuantity,
  formatSignedUsd,
  formatUnitPrice,
  formatUsd,
  Money,
  percentOf,
  sum,
  toCents,
  ZERO,
} from "./money.js";
export {
  EVICTION_HARD_MEMORY_MIB,
  eksKubeReservedCpuMillicores,
  eksKubeReservedMemoryMiB,
  eksMaxPods,
  eksNodeAllocatable,
  type NodeAllocatable,
  VM_MEMORY_OVERHEAD_PERCENT,
} from "./node-capacity.js";
export {
  type NodePriceSplit,
  OPENCOST_DEFAULT_CPU_HOUR,
  OPENCOST_DEFAULT_RAM_GIB_HOUR,
  splitNodePrice,
} from "./node-price-split.js";
export {
  declarationOf,
  factsComponent,
  type PerPriceKey,
  PRICE_KEYS,
  type PriceKey,
  type PriceKeyDeclaration,
  priceKeyNames,
  type RequiredPriceKey,
  type ScalarPriceKey,
} from "./price-keys.js";
export {
  onDemandPrice,
  type PriceListFilter,
  type PriceListProduct,
  type PriceListQuery,
  priceFromProducts,
  priceListQueries,
  pricesByDimension,
  variantUsageTypeOf,
} from "./price-list.js";
export {
  DIMENSION_NAME,
  type LiveFigure,
  type LivePrices,
  loadPriceTable,
  type PriceLookup,
  type PriceTable,
  type PriceTableDocument,
  priceIn,
  pricesIn,
  priceTableDocument,
  REGION_NAME,
  type RegionPrices,
  type RegionPricesDocument,
  readPriceTableFile,
  regionPrices,
} from "./table.js";
export {
  MissingPriceError,
  recordingTable,
  tableWithLivePrices,
} from "./table-overlay.js";
