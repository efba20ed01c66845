import { createLogger, exitOnStartupError, serveService } from "@platform/service-kit";
import { createApp } from "./app.js";
import { loadCostExporterConfig } from "./config.js";
import { connectCostExplorer } from "./cost-explorer-client.js";

try {
  const config = loadCostExporterConfig();
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
  }).catch(async (err) => {
    // The embedded simulator is already listening: let it go before saying why the exporter cannot start.
    await connection.close();
    throw err;
  });
  exporter.collector.start();
} catch (err) {
  exitOnStartupError("cost-exporter", err);
}
