import { createLogger, exitOnStartupError, serveService } from "@platform/service-kit";
import { createApp } from "./app.js";
import { type CostExporterConfig, loadCostExporterConfig } from "./config.js";
import { connectCostExplorer } from "./cost-explorer-client.js";

let config: CostExporterConfig;
try {
  config = loadCostExporterConfig();
} catch (err) {
  exitOnStartupError("cost-exporter", err);
}
const logger = createLogger({ service: "cost-exporter", level: config.LOG_LEVEL });
const connection = await connectCostExplorer(config, logger);
const exporter = createApp({ config, client: connection.client, mode: connection.mode, logger });
await serveService(exporter, {
  config,
  onShutdown: async () => {
    exporter.collector.stop();
    await exporter.collector.settled();
    await connection.close();
  },
});
exporter.collector.start();
