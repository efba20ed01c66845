/**
 * npm run rightsize -- --prometheus <url> [--window 7d] [--stack dev] [--format json] [--write]
 *
 * Reads what each container used from a Prometheus that loads alerts/rightsize.rules.yml, proposes requests
 * (alerts/rightsize.yaml), prices what they free and what they save at node level, prints the table and,
 * with --write, edits the requests in catalogue/services.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseDecimal } from "@platform/numbers";
import { loadRightsizeSettings } from "../alerts/rightsize-settings.js";
import { catalogue, validateCatalogue } from "../catalogue/services.js";
import { prometheusProxyName } from "../infra/components/preview-access.js";
import { platformProject } from "../infra/images.js";
import { defaultClusterName } from "../infra/platform.js";
import { editCatalogueRequests } from "./catalogue-edit.js";
import { loadShippedPriceTable, stackSettingsOf } from "./cost-engine.js";
import { nodeEffects } from "./nodes.js";
import { observe, recordedResolution } from "./observe.js";
import { prometheusClient } from "./prometheus.js";
import { catalogueEdits, propose } from "./recommend.js";
import { type RightsizeReport, renderJson, renderMarkdown } from "./report.js";

export const USAGE = `Usage: npm run rightsize -- (--prometheus <url> | --cluster-proxy <url>) [--stack dev] [--window 7d]
                           [--format markdown|json] [--write] [--spot-discount 0.6]

  --prometheus     a Prometheus that loads alerts/rightsize.rules.yml (npm start's, or one reached otherwise)
  --cluster-proxy  the address of \`kubectl proxy\` to the stack's cluster: its Prometheus is read through the
                   API server's service proxy (GET only; what the read-only CI identity may do)
  --stack          whose catalogue namespace, program and node groups to use (default dev)
  --window         the history to read (default: alerts/rightsize.yaml's, a week)
  --write          change the requests in catalogue/services.ts (only those, formatting kept)
  --spot-discount  Spot's assumed discount off on-demand for the Spot estimate (default 0.6)
  --print-cluster  print the stack's EKS cluster name and region (for \`aws eks update-kubeconfig\`) and stop

Exit codes: 0 done, 1 Prometheus could not be read, 2 bad input.`;

/**
 * The catalogue file --write edits: this checkout's, found from this file. A workspace package resolves to
 * wherever node_modules links it, which in a copy of the checkout sharing node_modules is another checkout.
 */
export const CATALOGUE_FILE = join(import.meta.dirname, "..", "catalogue", "services.ts");

export interface RightsizeRun {
  report: RightsizeReport;
  output: string;
}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      prometheus: { type: "string" },
      "cluster-proxy": { type: "string" },
      stack: { type: "string", default: "dev" },
      window: { type: "string" },
      format: { type: "string", default: "markdown" },
      write: { type: "boolean", default: false },
      "spot-discount": { type: "string", default: "0.6" },
    },
    strict: true,
  });
  if (values.format !== "markdown" && values.format !== "json") {
    throw new Error(`--format must be markdown or json, not ${values.format}`);
  }
  const spotDiscount = parseDecimal(values["spot-discount"]);
  if (spotDiscount === undefined || spotDiscount <= 0 || spotDiscount >= 1) {
    throw new Error("--spot-discount must be a share between 0 and 1, such as 0.6");
  }
  if (Boolean(values.prometheus) === Boolean(values["cluster-proxy"])) {
    throw new Error("give either --prometheus or --cluster-proxy");
  }
  const stack = stackSettingsOf(values.stack); // fails first, naming Pulumi.<stack>.yaml and the stacks there are
  const prometheus =
    values.prometheus ??
    `${String(values["cluster-proxy"]).replace(/\/+$/, "")}/api/v1/namespaces/${stack.monitoringNamespace}/services/${prometheusProxyName}/proxy`;
  return {
    ...values,
    appsNamespace: stack.appsNamespace,
    prometheus,
    spotDiscount,
    format: values.format as "markdown" | "json",
  };
}

export async function rightsizeFromArgs(argv: string[]): Promise<RightsizeRun> {
  const opts = options(argv);
  const window = opts.window ?? loadRightsizeSettings().window;
  if (!/^[1-9]\d*(s|m|h|d)$/.test(window))
    throw new Error(`--window must be a duration such as 7d or 3m, not ${window}`);
  const client = prometheusClient(opts.prometheus);
  const settings = loadRightsizeSettings({ window, resolution: await recordedResolution(client) });
  const observed = await observe(client, settings);
  const hoursPerMonth = loadShippedPriceTable().hoursPerMonth.toNumber();
  const proposals = propose(observed, validateCatalogue(catalogue), settings, {
    appsNamespace: opts.appsNamespace,
    hoursPerMonth,
  });
  const edits = catalogueEdits(proposals);
  const nodes = await nodeEffects({ stack: opts.stack, catalogue, edits, spotDiscount: opts.spotDiscount });
  if (opts.write && edits.size > 0) {
    writeFileSync(CATALOGUE_FILE, editCatalogueRequests(readFileSync(CATALOGUE_FILE, "utf8"), edits));
  }
  const report: RightsizeReport = {
    stack: opts.stack,
    window: settings.window,
    resolution: settings.resolution,
    prometheus: client.base,
    proposals,
    nodes,
    edits: Object.fromEntries(edits),
    written: opts.write && edits.size > 0,
  };
  return { report, output: opts.format === "json" ? renderJson(report) : renderMarkdown(report) };
}

/** The stack's EKS cluster and region, as the program names them. */
export function clusterOf(stack: string): { name: string; region: string } {
  const settings = stackSettingsOf(stack);
  return {
    name: settings.clusterName ?? defaultClusterName(platformProject(), stack),
    region: settings.region,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (argv.includes("--print-cluster")) {
    try {
      const stack = parseArgs({
        args: argv,
        options: { stack: { type: "string", default: "dev" }, "print-cluster": { type: "boolean" } },
      }).values.stack;
      const { name, region } = clusterOf(stack);
      process.stdout.write(`${name} ${region}\n`);
      process.exit(0);
    } catch (error) {
      process.stderr.write(`rightsize: ${(error as Error).message}\n`);
      process.exit(2);
    }
  }
  rightsizeFromArgs(argv).then(
    ({ output }) => process.stdout.write(output, () => process.exit(0)),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const prometheusFault = message.startsWith("Prometheus at");
      process.stderr.write(`rightsize: ${message}\n${prometheusFault ? "" : `\n${USAGE}\n`}`);
      process.exit(prometheusFault ? 1 : 2);
    },
  );
}
