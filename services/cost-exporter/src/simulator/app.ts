/**
 * A local stand-in for AWS Cost Explorer speaking its wire protocol (protocol.ts), so the real SDK
 * client runs against it over HTTP: the bill (dataset.ts), GetCostAndUsage (queries.ts), GetCostForecast
 * (forecast.ts) and switchable faults (faults.ts). Built on the service kit, so it also has /health and
 * /metrics.
 */
import {
  BoundedList,
  createLogger,
  createServiceKit,
  createServiceMetrics,
  type KeepBounds,
  type Logger,
  type RunningService,
  serveService,
} from "@platform/service-kit";
import { z } from "zod";
import { simulatorClock } from "./dataset.js";
import { createFaults, type InjectedFaults, type SimulatorFaults, simulatorFaultsSchema } from "./faults.js";
import { getCostForecast } from "./forecast.js";
import { awsError, awsJson, type Operation, operationOf, ValidationError } from "./protocol.js";
import { getCostAndUsage } from "./queries.js";

export interface SimulatorStats {
  /** Requests received per operation, failed ones included (each one a paid request on real AWS). */
  requests: Record<Operation, number>;
  total: number;
  /** The distinct X-Amz-Target values seen, oldest first, within `keepTargets` (for the IAM policy test). */
  readonly targets: string[];
  /** Distinct targets no longer listed: dropped as the oldest, or larger than the byte budget. */
  readonly targetsDropped: number;
  faultsInjected: InjectedFaults;
}

/**
 * How many distinct X-Amz-Target values the simulator lists, and in how many bytes: the operations of
 * Cost Explorer are a few dozen names of at most 40 bytes, so a client that sends thousands of made-up
 * ones only pushes out the oldest (20,000 unique 4 KB targets once grew it by 160 MB).
 */
export const KEEP_TARGETS: KeepBounds = { maxEntries: 64, maxBytes: 64 * 1024 };

export interface SimulatorOptions {
  /** The simulator's idea of now; its bill is a function of this date. */
  now?: () => number;
  /** Most groups per GetCostAndUsage page before it answers with a NextPageToken. */
  pageSize?: number;
  /** What `stats.targets` keeps (KEEP_TARGETS; SIMULATOR_MAX_TARGETS, SIMULATOR_MAX_TARGET_BYTES alone). */
  keepTargets?: KeepBounds;
  logger?: Logger;
}

/** What the simulator was asked: requests per operation, and the targets it saw (bounded, each once). */
function requestStats(keepTargets: KeepBounds, faults: ReturnType<typeof createFaults>) {
  const targets = new BoundedList<string>(keepTargets);
  const seen = new Set<string>();
  const stats: SimulatorStats = {
    requests: { GetCostAndUsage: 0, GetCostForecast: 0 },
    total: 0,
    get targets() {
      return targets.values();
    },
    get targetsDropped() {
      return targets.dropped;
    },
    faultsInjected: faults.injected,
  };
  const recordTarget = (target: string) => {
    if (seen.has(target)) return;
    const dropped = targets.push(target, Buffer.byteLength(target));
    if (!dropped.includes(target)) seen.add(target);
    for (const old of dropped) seen.delete(old);
  };
  return { stats, recordTarget };
}

export function createSimulatorApp({
  now = Date.now,
  pageSize = 200,
  keepTargets = KEEP_TARGETS,
  logger = createLogger({ service: "cost-explorer-simulator", level: "warn" }),
}: SimulatorOptions = {}) {
  const kit = createServiceKit({
    name: "cost-explorer-simulator",
    logger,
    metrics: createServiceMetrics({ collectDefaults: false }),
    maxBodyBytes: 256 * 1024,
  });
  const faults = createFaults();
  const { stats, recordTarget } = requestStats(keepTargets, faults);

  kit.app.post("/", async (c) => {
    const target = c.req.header("x-amz-target") ?? "";
    recordTarget(target);
    stats.total++;
    const operation = operationOf(target);
    if (!operation) {
      return awsError(
        c,
        400,
        "UnknownOperationException",
        `The simulator does not implement ${target || "(no target)"}`,
      );
    }
    stats.requests[operation]++;
    const fault = await faults.beforeAnswer(c, operation);
    if (fault) return fault;

    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return awsError(c, 400, "SerializationException", "The request body is not valid JSON");
    }
    const clock = simulatorClock(now());
    try {
      const answer =
        operation === "GetCostAndUsage"
          ? getCostAndUsage(body, clock, pageSize)
          : getCostForecast(body, clock);
      return awsJson(c, 200, faults.malformedAnswer(operation) ?? answer);
    } catch (err) {
      if (err instanceof ValidationError) return awsError(c, 400, err.code, err.message);
      throw err;
    }
  });

  kit.app.get("/_simulator/stats", (c) => c.json(stats));
  kit.app.get("/_simulator/faults", (c) => c.json(faults.current()));
  kit.app.put("/_simulator/faults", async (c) => {
    const parsed = simulatorFaultsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      return c.json({ error: "invalid_faults", message: z.prettifyError(parsed.error) }, 400);
    }
    return c.json(faults.replace(parsed.data));
  });

  return {
    kit,
    stats,
    setFaults: (next: Partial<SimulatorFaults>) => faults.replace(next),
  };
}

export type Simulator = ReturnType<typeof createSimulatorApp> & { running: RunningService };

/** Serves the simulator over HTTP (port 0 = any free port), for demo mode and for tests. */
export async function startSimulator(
  options: SimulatorOptions & { port?: number; host?: string } = {},
): Promise<Simulator> {
  const simulator = createSimulatorApp(options);
  const running = await serveService(simulator.kit, {
    config: { PORT: options.port ?? 0, HOST: options.host ?? "127.0.0.1", SHUTDOWN_TIMEOUT: 2_000 },
    handleSignals: false,
  });
  return { ...simulator, running };
}
