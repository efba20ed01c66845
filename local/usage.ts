/**
 * What each local service really uses, in the shape the right-sizing rules read in a cluster: the
 * process's own CPU seconds and resident memory (prom-client's `process_cpu_seconds_total` and
 * `process_resident_memory_bytes`, which every service built on the service kit exports) scraped a second
 * time as cAdvisor's `container_cpu_usage_seconds_total` and `container_memory_working_set_bytes`, labelled
 * with the namespace, pod and container the demo inventory gives the service's Deployment. One process runs
 * per service here, so its use is the first pod's; the other replicas of the demo inventory report none (no
 * number is made up for them). Resident memory stands in for the working set: it is what the process holds.
 */
import { stringify } from "yaml";
import { loadRightsizeSettings } from "../alerts/rightsize-settings.js";
import { rightsizeGroup } from "../alerts/rules/rightsize.js";
import type { ServiceEntry } from "../catalogue/services.js";
import type { ScrapeTarget } from "./configs.js";
import type { DemoInventory } from "./demo-inventory.js";

/** The service's own metric → the cAdvisor series it stands in for. */
export const PROCESS_AS_CONTAINER = {
  process_cpu_seconds_total: "container_cpu_usage_seconds_total",
  process_resident_memory_bytes: "container_memory_working_set_bytes",
} as const;

/** The scrape job that publishes a service's process use as its container's. */
export const usageJob = (service: string) => `usage-${service}`;

/** One extra scrape target per local service that the demo inventory runs as a Deployment's pod. */
export function usageTargets(
  services: readonly ServiceEntry[],
  inventory: Pick<DemoInventory, "pods">,
  ports: Record<string, number>,
): ScrapeTarget[] {
  return services.flatMap((service) => {
    const pod = inventory.pods.find((p) => p.replicaSet?.deployment === service.name);
    if (!pod) return [];
    return [
      {
        job: usageJob(service.name),
        address: `127.0.0.1:${ports[service.name]}`,
        metricsPath: service.scrape.path,
        labels: { namespace: pod.namespace, pod: pod.name, container: service.name },
        keepRenamed: { ...PROCESS_AS_CONTAINER },
      },
    ];
  });
}

/**
 * The right-sizing rules for this machine: the same rules, recorded every three scrapes over the demo's
 * short window instead of every 5 minutes over a week. Loaded in place of the committed file of that name.
 */
export function localRightsizeRuleFile(scrapeInterval: string, window: string): Record<string, string> {
  const seconds = Number(/^(\d+)s$/.exec(scrapeInterval)?.[1]);
  if (!Number.isInteger(seconds))
    throw new Error(`SCRAPE_INTERVAL must be whole seconds, not ${scrapeInterval}`);
  const settings = loadRightsizeSettings({ resolution: `${3 * seconds}s`, window });
  return {
    "rightsize.rules.yml": `# The right-sizing rules of alerts/rightsize.rules.yml, recorded every ${settings.resolution} over the local window of ${window}.\n${stringify({ groups: [rightsizeGroup(settings)] }, { lineWidth: 0, aliasDuplicateObjects: false })}`,
  };
}
