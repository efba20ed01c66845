/**
 * What each local service really uses, in the shape the right-sizing rules read in a cluster: the
 * process's own CPU seconds and resident memory (prom-client's `process_cpu_seconds_total` and
 * `process_resident_memory_bytes`, which every service built on the service kit exports, scraped with it)
 * recorded as cAdvisor's `container_cpu_usage_seconds_total` and `container_memory_working_set_bytes`,
 * labelled with the namespace, pod and container the demo inventory gives the service's Deployment. One
 * process runs per service, so its use is the first pod's; the other replicas of the demo inventory report
 * none (no number is made up for them). Resident memory stands in for the working set: it is what the
 * process holds. Recording rules, not a second scrape job: a service that stops is one target down, as in a
 * cluster, not two.
 */
import { stringify } from "yaml";
import { loadRightsizeSettings } from "../alerts/rightsize-settings.js";
import { rightsizeGroup } from "../alerts/rules/rightsize.js";
import type { RecordingRule } from "../alerts/rules/rule.js";
import type { ServiceEntry } from "../catalogue/services.js";
import type { DemoInventory } from "./demo-inventory.js";

/** The service's own metric → the cAdvisor series it stands in for. */
export const PROCESS_AS_CONTAINER = {
  process_cpu_seconds_total: "container_cpu_usage_seconds_total",
  process_resident_memory_bytes: "container_memory_working_set_bytes",
} as const;

/** A label value PromQL can carry in a string literal (names from the program are DNS labels already). */
const literal = (value: string) => {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) throw new Error(`not a Kubernetes name: ${value}`);
  return value;
};

/**
 * One rule file for this machine: per local service that the demo inventory runs as a Deployment's pod, its
 * process use under the names and labels cAdvisor gives a container.
 */
export function localUsageRuleFile(
  services: readonly ServiceEntry[],
  inventory: Pick<DemoInventory, "pods">,
): Record<string, string> {
  const rules: RecordingRule[] = services.flatMap((service) => {
    const pod = inventory.pods.find((p) => p.replicaSet?.deployment === service.name);
    if (!pod) return [];
    return Object.entries(PROCESS_AS_CONTAINER).map(([process, container]) => ({
      record: container,
      expr: `label_replace(label_replace(label_replace(
  max by (instance) (${process}{job="${literal(service.name)}"}),
  "namespace", "${literal(pod.namespace)}", "", ""), "pod", "${literal(pod.name)}", "", ""), "container", "${literal(service.name)}", "", "")`,
    }));
  });
  return {
    "demo-usage.rules.yml": `# Each local service's process use as its demo pod's container use (local/usage.ts).\n${stringify({ groups: [{ name: "demo-usage", rules }] }, { lineWidth: 0 })}`,
  };
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
