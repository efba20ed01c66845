/**
 * The catalogue's services on this machine: each entry that runs locally is started from its folder with
 * its port, its environment (`env`, then `localEnv`), waited for on its readiness probe, listed with what
 * its `/ready` says, and scraped by Prometheus on its scrape path under its own name as job.
 */
import { join } from "node:path";
import { typescriptCommand } from "@platform/supervisor";
import type { ServiceEntry } from "../../catalogue/services.js";
import { REPO_ROOT, type ScrapeTarget } from "../configs.js";
import type { LocalContext, Row } from "./types.js";

/** Where a service's entry point is; tests point a fixture service elsewhere. */
export type EntryPoint = (service: ServiceEntry) => string;
export const defaultEntryPoint: EntryPoint = (service) =>
  join(REPO_ROOT, "services", service.name, "src/main.ts");

/**
 * The services in groups that can start together: each group only calls services of earlier groups
 * (egress to a service), so the storefront is ready before traffic is sent to it.
 */
export function startOrder(services: readonly ServiceEntry[]): ServiceEntry[][] {
  const names = new Set(services.map((s) => s.name));
  const dependencies = (service: ServiceEntry) =>
    service.egress.flatMap((e) => (e.to === "service" && names.has(e.service) ? [e.service] : []));
  const waves: ServiceEntry[][] = [];
  const started = new Set<string>();
  let left = [...services];
  while (left.length > 0) {
    const wave = left.filter((s) => dependencies(s).every((d) => started.has(d)));
    if (wave.length === 0)
      throw new Error(`services that call each other in a circle: ${left.map((s) => s.name).join(", ")}`);
    waves.push(wave);
    for (const s of wave) started.add(s.name);
    left = left.filter((s) => !wave.includes(s));
  }
  return waves;
}

/**
 * A service's environment on this machine. The catalogue's `env` holds defaults the user's own
 * environment may override (LOG_LEVEL=debug npm start); `localEnv` is the local wiring (where its
 * peers are) and wins; the address is always this machine and the catalogue's (or moved) port.
 */
export function serviceEnv(
  service: ServiceEntry,
  context: Pick<LocalContext, "ports" | "url">,
  extra: Record<string, string> = {},
): Record<string, string> {
  const defaults = Object.fromEntries(
    Object.entries(service.env ?? {}).filter(([name]) => process.env[name] === undefined),
  );
  return {
    ...defaults,
    ...service.localEnv?.({ urlOf: (name) => context.url(name) }),
    ...extra,
    HOST: "127.0.0.1",
    PORT: String(context.ports[service.name]),
  };
}

export function scrapeTargets(
  services: readonly ServiceEntry[],
  context: Pick<LocalContext, "ports">,
): ScrapeTarget[] {
  return services.map((service) => ({
    job: service.name,
    address: `127.0.0.1:${context.ports[service.name]}`,
    metricsPath: service.scrape.path,
  }));
}

/** Starts one service and waits for its readiness probe; the row says what its `/ready` told. */
export async function startService(
  service: ServiceEntry,
  context: LocalContext,
  {
    entryPoint = defaultEntryPoint,
    extraEnv = {},
  }: { entryPoint?: EntryPoint; extraEnv?: Record<string, string> } = {},
): Promise<Row> {
  const [node, args] = typescriptCommand(entryPoint(service));
  // Services are built on the service kit, which exits when the runner's lifeline closes.
  context.children.start(service.name, node, args, {
    env: serviceEnv(service, context, extraEnv),
    parentDeath: "child-watches-ipc",
  });
  const base = context.url(service.name);
  const ready = await context.children.waitReady(service.name, `${base}${service.probes.readiness}`, 60_000);
  const detail = await ready
    .json()
    .then((body) => {
      const detail = (body as { detail?: unknown } | null)?.detail;
      return typeof detail === "string" ? detail : undefined;
    })
    .catch(() => undefined);
  return {
    name: service.name,
    // What a person opens: the shop itself, or the metrics of a service only Prometheus talks to.
    url: service.ingress === "anyone" ? base : `${base}${service.scrape.path}`,
    status: "running",
    note: detail ?? service.description,
  };
}
