/**
 * A local stand-in for the AWS Price List Query API, so the real @aws-sdk/client-pricing runs against it
 * over HTTP: products from the price facts (catalogue.ts), filters (filters.ts), stateless paging
 * (paging.ts), AWS's errors and request bounds (protocol.ts) and switchable faults (faults.ts). Built on the
 * service kit, so it also has /health, /ready and /metrics.
 */
import { type PriceFacts, readPriceFacts } from "@platform/price-facts";
import {
  createLogger,
  createServiceKit,
  createServiceMetrics,
  type Logger,
  type RunningService,
  serveService,
} from "@platform/service-kit";
import { z } from "zod";
import { buildCatalogue } from "./catalogue.js";
import { createFaults, type InjectedFaults } from "./faults.js";
import { describeServices, getAttributeValues, getProducts } from "./operations.js";
import { createPaging } from "./paging.js";
import { ApiError, accessKeyOf, awsError, awsJson, type Operation, operationOf } from "./protocol.js";

export interface SimulatorStats {
  /** Requests that reached an operation, refused ones included; `rejected` never reached one. */
  requests: Record<Operation, number>;
  rejected: { unknownOperation: number; unauthenticated: number; malformed: number };
  faultsInjected: InjectedFaults;
}

export interface SimulatorOptions {
  facts?: PriceFacts;
  now?: () => number;
  /** How long a NextToken stays valid (AWS does not document it; default 15 minutes). */
  tokenLifetimeMs?: number;
  /** Access key ids accepted; any well-formed one when absent. */
  accessKeyIds?: readonly string[];
  logger?: Logger;
}

const handlers = {
  GetProducts: getProducts,
  DescribeServices: describeServices,
  GetAttributeValues: getAttributeValues,
};

export function createSimulatorApp({
  facts = readPriceFacts(),
  now = Date.now,
  tokenLifetimeMs = 15 * 60_000,
  accessKeyIds,
  logger = createLogger({ service: "price-list-simulator", level: "warn" }),
}: SimulatorOptions = {}) {
  const catalogue = buildCatalogue(facts);
  const paging = createPaging({ lifetimeMs: tokenLifetimeMs, now });
  const faults = createFaults(now);
  const allowed = accessKeyIds ? new Set(accessKeyIds) : undefined;
  const kit = createServiceKit({
    name: "price-list-simulator",
    logger,
    metrics: createServiceMetrics({ collectDefaults: false }),
    maxBodyBytes: 256 * 1024,
    summary: () => `${[...catalogue.products.values()].reduce((n, list) => n + list.length, 0)} products`,
  });
  const stats: SimulatorStats = {
    requests: { GetProducts: 0, DescribeServices: 0, GetAttributeValues: 0 },
    rejected: { unknownOperation: 0, unauthenticated: 0, malformed: 0 },
    faultsInjected: faults.injected,
  };

  kit.app.post("/", async (c) => {
    const target = c.req.header("x-amz-target") ?? "";
    const operation = operationOf(target);
    try {
      const accessKey = accessKeyOf(c.req.header("authorization"));
      if (allowed && !allowed.has(accessKey)) {
        throw new ApiError(
          "UnrecognizedClientException",
          "The security token included in the request is invalid.",
        );
      }
      if (!operation) {
        stats.rejected.unknownOperation++;
        return awsError(c, new ApiError("UnknownOperationException", "The operation is not supported."));
      }
      stats.requests[operation]++;
      await faults.beforeAnswer(operation, accessKey);
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        stats.rejected.malformed++;
        return awsError(c, new ApiError("SerializationException", "The request body is not valid JSON."));
      }
      return awsJson(c, 200, handlers[operation](catalogue, paging, body));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (/Authentication|Signature|UnrecognizedClient/.test(err.code)) stats.rejected.unauthenticated++;
      return awsError(c, err);
    }
  });

  kit.app.get("/_simulator/stats", (c) => c.json(stats));
  kit.app.get("/_simulator/faults", (c) => c.json(faults.current()));
  kit.app.put("/_simulator/faults", async (c) => {
    const parsed = z.unknown().safeParse(await c.req.json().catch(() => undefined));
    try {
      return c.json(faults.replace(parsed.data));
    } catch (err) {
      const message = err instanceof z.ZodError ? z.prettifyError(err) : String(err);
      return c.json({ error: "invalid_faults", message }, 400);
    }
  });

  return { kit, stats, catalogue, setFaults: (next: unknown) => faults.replace(next) };
}

export type Simulator = ReturnType<typeof createSimulatorApp> & { running: RunningService };

/** Serves the simulator over HTTP (port 0 = any free port), for `npm start` and for tests. */
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
