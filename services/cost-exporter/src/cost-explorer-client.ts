import { CostExplorerClient, type CostExplorerClientConfig } from "@aws-sdk/client-cost-explorer";
import type { Logger } from "@platform/service-kit";
import type { CostExporterConfig } from "./config.js";
import { type Simulator, startSimulator } from "./simulator/app.js";

/** Cost Explorer has one endpoint, in us-east-1, whatever region the rest of the platform runs in. */
export const COST_EXPLORER_REGION = "us-east-1";

/** Credentials the simulator accepts; it never checks signatures. */
const DEMO_CREDENTIALS = { accessKeyId: "DEMOACCESSKEY", secretAccessKey: "demo-secret-key" };

/**
 * A client that sends exactly one HTTP request per `send` (maxAttempts 1): the exporter retries
 * itself, so it can count and cap every paid request. Endpoint overrides come from the SDK itself
 * (AWS_ENDPOINT_URL_COST_EXPLORER, then AWS_ENDPOINT_URL, then the shared config file).
 */
export function createCostExplorerClient(
  config: Pick<CostExporterConfig, "API_TIMEOUT">,
  overrides: Partial<CostExplorerClientConfig> = {},
) {
  return new CostExplorerClient({
    region: COST_EXPLORER_REGION,
    maxAttempts: 1,
    requestHandler: {
      requestTimeout: config.API_TIMEOUT,
      throwOnRequestTimeout: true,
      connectionTimeout: 5_000,
    },
    ...overrides,
  });
}

export interface CostExplorerConnection {
  mode: "aws" | "demo";
  client: CostExplorerClient;
  /** Set when demo mode started its own simulator. */
  simulator?: Simulator;
  close(): Promise<void>;
}

async function credentialsResolve(client: CostExplorerClient, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const found = client.config.credentials().then(
      (c) => Boolean(c.accessKeyId),
      () => false,
    );
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Chooses aws or demo per COST_EXPORTER_MODE and builds the client (starting the embedded simulator when needed). */
export async function connectCostExplorer(
  config: Pick<CostExporterConfig, "COST_EXPORTER_MODE" | "API_TIMEOUT">,
  logger: Logger,
  environment: Record<string, string | undefined> = process.env,
): Promise<CostExplorerConnection> {
  if (config.COST_EXPORTER_MODE !== "demo") {
    const client = createCostExplorerClient(config);
    if (config.COST_EXPORTER_MODE === "aws" || (await credentialsResolve(client, 10_000))) {
      return { mode: "aws", client, close: async () => client.destroy() };
    }
    client.destroy();
    logger.warn("no AWS credentials found: running in demo mode with simulated Cost Explorer data");
  }
  const endpoint = environment.AWS_ENDPOINT_URL_COST_EXPLORER || environment.AWS_ENDPOINT_URL;
  if (endpoint) {
    logger.info("demo mode: using the Cost Explorer simulator at the configured endpoint", { endpoint });
    const client = createCostExplorerClient(config, { credentials: DEMO_CREDENTIALS, endpoint });
    return { mode: "demo", client, close: async () => client.destroy() };
  }
  const simulator = await startSimulator({ port: 0, host: "127.0.0.1" });
  logger.info("demo mode: started the embedded Cost Explorer simulator", { endpoint: simulator.running.url });
  const client = createCostExplorerClient(config, {
    credentials: DEMO_CREDENTIALS,
    endpoint: simulator.running.url,
  });
  return {
    mode: "demo",
    client,
    simulator,
    close: async () => {
      client.destroy();
      await simulator.running.shutdown("cost exporter stopped");
    },
  };
}
