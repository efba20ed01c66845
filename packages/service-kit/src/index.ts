export { BoundedList, type KeepBounds } from "./bounded.js";
export {
  type BaseServiceConfig,
  baseServiceEnv,
  ConfigError,
  DEFAULT_PORT,
  env,
  formatDuration,
  isLoopbackHost,
  loadConfig,
  parseDuration,
  SERVER_LIMIT_DEFAULTS,
} from "./config.js";
export { pageHeaders, STATIC_PAGE_POLICY } from "./html.js";
export { mediaType } from "./http.js";
export { createLogger, type LogFields, type Logger, type LogLevel } from "./logger.js";
export {
  createServiceMetrics,
  HTTP_DURATION_BUCKETS,
  PROMTOOL_REJECTED_DEFAULTS,
  requestMethodLabel,
  routeTemplate,
  type ServiceMetrics,
  UNMATCHED_ENDPOINT,
} from "./metrics.js";
export {
  exitOnStartupError,
  onParentExit,
  type RunningService,
  type ServeOptions,
  type ShutdownOutcome,
  StartupError,
  serveService,
} from "./serve.js";
export {
  createServiceKit,
  jsonError,
  type Lifecycle,
  RequestBindings,
  type ServiceApp,
  type ServiceEnv,
  type ServiceKit,
  type ServiceKitOptions,
} from "./server.js";
export {
  TERMINAL_COLUMNS,
  terminalLine,
  terminalSafeJson,
  terminalText,
  terminalWidth,
} from "./terminal.js";
export { addressesThisMachine, THIS_MACHINE_NAMES, thisMachineOnly } from "./this-machine.js";
