/**
 * A parent that dies while its service is still starting: starts `slow-start.ts` as the supervisor starts
 * services (a lifeline, no guard), logging to `LOG_FILE`, prints the service's pid and SIGKILLs itself
 * 100 ms later, long before the service listens.
 */
import { join } from "node:path";
import { startProcess, typescriptCommand } from "@platform/testkit";

const [node, args] = typescriptCommand(join(import.meta.dirname, "slow-start.ts"));
const service = startProcess(node, args, {
  parentDeath: "child-watches-ipc",
  ...(process.env.LOG_FILE ? { logFile: process.env.LOG_FILE } : {}),
});
process.stdout.write(`${JSON.stringify({ service: service.pid() })}\n`);
setTimeout(() => process.kill(process.pid, "SIGKILL"), 100);
