export {
  type BaseServiceConfig,
  baseServiceEnv,
  ConfigError,
  env,
  loadConfig,
  parseDuration,
} from "./config.js";
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
  createServiceKit,
  exitOnStartupError,
  jsonError,
  type Lifecycle,
  RequestBindings,
  type RunningService,
  type ServeOptions,
  type ServiceApp,
  type ServiceEnv,
  type ServiceKit,
  type ServiceKitOptions,
  serveService,
} from "./server.js";
