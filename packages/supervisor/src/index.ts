export { whenParentExits } from "./parent.js";
export { freePort, portIsFree } from "./ports.js";
export {
  type ExitStatus,
  type ParentDeath,
  type ProcessOptions,
  type StartedProcess,
  startProcess,
  typescriptCommand,
} from "./process.js";
export { findTool, installHint, requireTool } from "./tools.js";
export { type WaitOptions, waitFor } from "./wait.js";
