/**
 * pulumi-cost: prices a `pulumi preview --json` before and after the change, with what a Kubernetes change
 * does to the nodes, and renders the pull-request comment or a JSON report. The CLI (`pulumi-cost`) is this
 * API's main user; a project with its own settings files calls it through a small adapter of its own.
 */
export {
  AWS_PRICE_TABLE,
  eksNodeAllocatable,
  INSTANCE_TYPES,
  instanceTypeCapacity,
  loadPriceTable,
  type Money,
  type NodeAllocatable,
  PRICE_KEYS,
  type PriceKey,
  type PriceTable,
  type PriceTableDocument,
  priceIn,
  pricesIn,
  type RegionPrices,
  readPriceTableFile,
  splitNodePrice,
} from "@platform/prices";
export { allocateNodeGroup, type NodeGroupAllocation, type WorkloadShare } from "./allocation.js";
export { fitNodeGroups, NODE_GROUP, type NodeGroupFit } from "./capacity.js";
export { CHART_PROFILES, type ChartPod, chartName } from "./charts.js";
export { type CommandResult, monthStartFrom, readPreviewText, run, USAGE } from "./command.js";
export { type CostComponent, component, componentsTotal } from "./components.js";
export {
  type Budget,
  type CostConfig,
  type CostConfigInput,
  costConfig,
  costConfigSchema,
  DEFAULT_APPROVAL_LABEL,
  DEFAULT_CONFIG_FILE,
  findConfig,
  type GuardrailThresholds,
  NO_CONFIG,
  readConfigFile,
} from "./config.js";
export {
  type CostEstimate,
  type CostRow,
  classify,
  type EstimateOptions,
  estimateChanges,
  estimateStack,
  type PriceClass,
  SCALE_OUT_TYPE,
  type UsageLine,
  type WorkloadRow,
} from "./estimate.js";
export { evaluateGuardrail, type GuardrailContext, type GuardrailOutcome } from "./guardrail.js";
export {
  arrayAt,
  at,
  numberAt,
  objectAt,
  type PricedInput,
  quantityToBytes,
  quantityToGiB,
  quantityToMillicores,
  stringAt,
  UNKNOWN,
} from "./inputs.js";
export { type ClaimPart, helmValuesParts, type LoadBalancerPart } from "./kubernetes-parts.js";
export { BadInputError, BOUNDS, type Bound, checked, LIMITS } from "./limits.js";
export {
  fetchLivePrices,
  LIVE_LIMITS,
  type LiveLimits,
  type LivePriceOptions,
  type LiveTable,
  livePriceTable,
} from "./live/live-prices.js";
export { type PriceListClientOptions, PriceListUnavailable } from "./live/price-list-client.js";
export { refreshPriceTable } from "./live/refresh.js";
export {
  type CommentContext,
  countsLine,
  GITHUB_COMMENT_LIMIT,
  headline,
  renderMarkdown,
} from "./markdown.js";
export {
  type NodeRoom,
  type Placement,
  PlacementBudget,
  type PlacementOptions,
  type PodGroup,
  type PodShape,
  placePods,
} from "./placement.js";
export {
  type ChangeKind,
  changesFromPreview,
  checkPreview,
  nameFromUrn,
  neverDeployed,
  type PreviewDigest,
  type PreviewState,
  type PreviewStep,
  parsePreview,
  type ResourceChange,
  stackOfPreview,
} from "./preview.js";
export { builtInFree, FREE_TYPES } from "./pricers/free.js";
export { ebsTypeForClaim, type StorageClassAnswer } from "./pricers/kubernetes-storage.js";
export { kubernetesLoadBalancerKind, type LoadBalancerKind } from "./pricers/load-balancers.js";
export { type NodeSpec, nodeGroupSizes, nodeSpecOf, priceNodes } from "./pricers/nodes.js";
export { PRICERS, priceResource } from "./pricers/registry.js";
export {
  type Pricer,
  PriceSheet,
  type PricingContext,
  ResourceIndex,
  type ResourcePrice,
  type UsageCharge,
} from "./pricers/types.js";
export { type Regions, regionsOf } from "./regions.js";
export { type CostReport, costReportSchema, SCHEMA_VERSION, toReport } from "./report.js";
export {
  type CostRun,
  costOfPreview,
  costOfPreviewWithLivePrices,
  EXIT_BAD_INPUT,
  EXIT_OVER_GUARDRAIL,
  type PreviewRunOptions,
  type RenderOptions,
  renderEstimate,
} from "./run.js";
export { code, codeSpan, joinText, literal, type Part, prose, Text, t, value, words } from "./text.js";
export {
  type EksSupportCalendar,
  type EksVersionRow,
  eksVersionSchema,
  type ResourceUsageEntry,
  resourceUsageSchema,
  type UsageAssumptions,
  type UsageSection,
  type UsageSectionInput,
  usageAmount,
  usageSectionSchema,
} from "./usage.js";
export { HELM_RELEASE, type PodRequests, podRequests, type Workload, workloadsOf } from "./workloads.js";
