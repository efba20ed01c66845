/**
 * The platform's services, declared once. The Pulumi program deploys each entry that runs in a cluster
 * (one generic component per service), the local runner starts each entry that runs locally, CI builds
 * one image per entry, and the alert and dashboard job lists come from here. Adding a service is its
 * folder under services/ plus one entry below (see catalogue/README.md).
 *
 * This directory is CommonJS on purpose (its package.json): the Pulumi Node.js host loads the program
 * with ts-node as CommonJS, and everything the program imports must load that way. Keep it free of
 * runtime dependencies and of `import.meta`.
 */

/** Where a service can run: in a Kubernetes cluster (the Pulumi program) or on one machine (`npm start`). */
export type Place = "cluster" | "local";

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/**
 * What a stack pays AWS for that Kubernetes does not report, and which prices matter: the program fills it
 * from what it creates, the cost exporter publishes it (its `clusterEnv`) for the live-cost rules.
 */
export interface StackCostInventory {
  stack: string;
  region: string;
  /** The node group's instance types. */
  nodeInstanceTypes: readonly string[];
  /** Counts by kind: `eks_cluster`, `nat_gateway`, `public_ipv4_address`, `kms_key`. */
  resources: Readonly<Record<string, number>>;
  /** Every node's root volume (none for a cluster the program does not create). */
  nodeRootVolume?: { volumeType: string; sizeGiB: number } | undefined;
  /** The first day the control plane's Kubernetes version is billed extended support (YYYY-MM-DD). */
  eksExtendedSupportFrom?: string | undefined;
}

/**
 * The most demo requests per second the traffic generator may be asked for in a stack: the bound of
 * `platform:demoTrafficRate` and the generator's `MAX_RATE` in the cluster (it refuses a `RATE` above it),
 * the bound on what demo traffic can cost. The generator's own default `MAX_RATE` (services/traffic, which
 * does not read the catalogue) is what it uses when run alone.
 */
export const DEMO_TRAFFIC_MAX_RATE = 50;

/** The stack settings a catalogue entry reads (a subset of the program's settings). */
export interface ClusterSettings {
  demoTraffic: boolean;
  /** Unset: the traffic generator's own default rate (the demo shop the alerts are worked out for). */
  demoTrafficRate?: number | undefined;
  /** What the cost exporter should use in this stack (`demo` where the cluster has no AWS identity). */
  costExporterMode: "auto" | "aws" | "demo";
  /** Unset: the exporter's own default. */
  costExporterRefreshInterval?: string | undefined;
  /** Unset: the exporter's own default (never "no cap"). */
  costExporterDailyRequestCap?: number | undefined;
  costTagKey: string;
  costInventory: StackCostInventory;
}

export interface EnvContext {
  /** The base URL another service is reached at from this one, e.g. `http://storefront.platform.svc.cluster.local:8080`. */
  urlOf(service: string): string;
}

export interface ClusterEnvContext extends EnvContext {
  settings: ClusterSettings;
}

/** Whom a service may call besides DNS; everything else is denied by NetworkPolicy. */
export type Egress =
  | { to: "service"; service: string }
  /** Any address on TCP 443 (AWS APIs have no fixed addresses). */
  | { to: "https" }
  /** The EKS Pod Identity agent on its link-local address, which hands out the role's credentials. */
  | { to: "eks-pod-identity" };

export type Replicas =
  /** A stack may set another count with `platform:replicas` (up to `max`). */
  | { default: number; max: number }
  /** Exactly this many in every stack, for the reason given. */
  | { fixed: number; reason: string };

export interface ServiceEntry {
  /** The folder `services/<name>`; also the image, the Kubernetes objects and the Prometheus job. */
  name: string;
  description: string;
  /** The port it listens on (`PORT`), locally and in the cluster. */
  port: number;
  runsIn: readonly Place[];
  /** In a cluster: whether the stack deploys it at all (default: always). */
  deployedWhen?: (settings: ClusterSettings) => boolean;
  /** How its image is built: the Dockerfile and its `--build-arg`s (the repository root is the context). */
  image: { dockerfile: string; buildArgs?: Readonly<Record<string, string>> };
  probes: { liveness: string; readiness: string };
  resources: Resources;
  replicas: Replicas;
  /** Environment in every place. */
  env?: Readonly<Record<string, string>>;
  /** Environment in a cluster only, from the stack's settings. */
  clusterEnv?: (context: ClusterEnvContext) => Record<string, string>;
  /** Environment on one machine only. */
  localEnv?: (context: EnvContext) => Record<string, string>;
  /** How Prometheus scrapes it. */
  scrape: { path: string; interval: string };
  /** Who may connect to its port: anyone (a shop) or only Prometheus. */
  ingress: "anyone" | "prometheus";
  egress: readonly Egress[];
  /** A Kubernetes service account of its own with an AWS role (EKS Pod Identity) allowed exactly this policy. */
  awsIdentity?: { serviceAccount: string; policyFile: string };
}

/** The one Dockerfile of services/, building the image of the folder `services/<folder>`. */
const serviceImage = (folder: string) => ({
  dockerfile: "services/Dockerfile",
  buildArgs: { SERVICE: folder },
});

export const services = [
  {
    name: "storefront",
    description: "A small shop that earns simulated revenue; RED metrics and a revenue counter.",
    port: 8080,
    runsIn: ["cluster", "local"],
    image: serviceImage("storefront"),
    probes: { liveness: "/health", readiness: "/ready" },
    resources: { requests: { cpu: "50m", memory: "96Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    replicas: { default: 2, max: 20 },
    env: { LOG_LEVEL: "info" },
    // Locally the incidents of `npm start -- --incident` are set through the admin endpoint.
    localEnv: () => ({ ADMIN_ENABLED: "true" }),
    scrape: { path: "/metrics", interval: "15s" },
    ingress: "anyone",
    egress: [],
  },
  {
    name: "cost-exporter",
    description: "AWS Cost Explorer to Prometheus; refreshes on its own budget, a scrape never pays.",
    port: 8081,
    runsIn: ["cluster", "local"],
    image: serviceImage("cost-exporter"),
    probes: { liveness: "/health", readiness: "/ready" },
    resources: { requests: { cpu: "20m", memory: "96Mi" }, limits: { cpu: "250m", memory: "192Mi" } },
    replicas: { fixed: 1, reason: "each replica would make its own paid Cost Explorer requests" },
    env: { LOG_LEVEL: "info" },
    clusterEnv: ({ settings }) => ({
      COST_EXPORTER_MODE: settings.costExporterMode,
      ...(settings.costExporterRefreshInterval
        ? { REFRESH_INTERVAL: settings.costExporterRefreshInterval }
        : {}),
      ...(settings.costExporterDailyRequestCap
        ? { DAILY_REQUEST_CAP: String(settings.costExporterDailyRequestCap) }
        : {}),
      COST_TAG_KEY: settings.costTagKey,
      // Cost Explorer has one endpoint, in us-east-1, whatever region the cluster is in.
      AWS_REGION: "us-east-1",
      ...costInventoryEnv(settings.costInventory),
    }),
    // The exporter picks demo (its Cost Explorer simulator) or aws from the credentials it finds.
    localEnv: () => ({ COST_TAG_KEY: process.env.COST_TAG_KEY ?? "team" }),
    scrape: { path: "/metrics", interval: "60s" },
    ingress: "prometheus",
    egress: [{ to: "https" }, { to: "eks-pod-identity" }],
    awsIdentity: { serviceAccount: "cost-exporter", policyFile: "services/cost-exporter/iam-policy.json" },
  },
  {
    name: "traffic",
    description: "Demo traffic for the storefront, with its own metrics.",
    port: 8082,
    runsIn: ["cluster", "local"],
    deployedWhen: (settings) => settings.demoTraffic,
    image: serviceImage("traffic"),
    probes: { liveness: "/health", readiness: "/ready" },
    resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
    replicas: { fixed: 1, reason: "the rate is per replica; more replicas would multiply it" },
    env: { LOG_LEVEL: "info" },
    clusterEnv: ({ urlOf, settings }) => ({
      TARGET_URL: urlOf("storefront"),
      ...(settings.demoTrafficRate === undefined ? {} : { RATE: String(settings.demoTrafficRate) }),
      MAX_RATE: String(DEMO_TRAFFIC_MAX_RATE),
    }),
    localEnv: ({ urlOf }) => ({ TARGET_URL: urlOf("storefront") }),
    scrape: { path: "/metrics", interval: "30s" },
    ingress: "prometheus",
    egress: [{ to: "service", service: "storefront" }],
  },
] as const satisfies readonly ServiceEntry[];

/**
 * The settings that describe a stack rather than a place (its prices and parts outside Kubernetes): what
 * `costInventoryEnv` sets, and what `npm start` copies from the dev stack's program so the local live cost
 * mirrors the dev stack.
 */
export const COST_INVENTORY_ENV = [
  "PRICE_REGION",
  "PRICE_INSTANCE_TYPES",
  "STACK_NAME",
  "STACK_RESOURCES",
  "NODE_ROOT_VOLUME",
  "EKS_EXTENDED_SUPPORT_FROM",
] as const;

/** The cost exporter's price and stack settings for a stack's inventory (its README lists them). */
export function costInventoryEnv(
  inventory: StackCostInventory,
): Partial<Record<(typeof COST_INVENTORY_ENV)[number], string>> {
  const resources = Object.entries(inventory.resources)
    .map(([kind, count]) => `${kind}=${count}`)
    .join(",");
  return {
    PRICE_REGION: inventory.region,
    PRICE_INSTANCE_TYPES: inventory.nodeInstanceTypes.join(","),
    STACK_NAME: inventory.stack,
    STACK_RESOURCES: resources,
    ...(inventory.nodeRootVolume
      ? { NODE_ROOT_VOLUME: `${inventory.nodeRootVolume.volumeType}:${inventory.nodeRootVolume.sizeGiB}` }
      : {}),
    ...(inventory.eksExtendedSupportFrom
      ? { EKS_EXTENDED_SUPPORT_FROM: inventory.eksExtendedSupportFrom }
      : {}),
  };
}

/** The catalogue every consumer reads; tests pass one with a fixture service added. */
export type Catalogue = readonly ServiceEntry[];
export const catalogue: Catalogue = services;

/** The entry called `name`, or an error naming the services there are. */
export function serviceNamed(name: string, from: Catalogue = catalogue): ServiceEntry {
  const found = from.find((service) => service.name === name);
  if (!found) {
    throw new Error(
      `no service "${name}" in the catalogue (there are: ${from.map((s) => s.name).join(", ")})`,
    );
  }
  return found;
}

/** The entries that run in a place, in catalogue order. */
export function servicesIn(place: Place, from: Catalogue = catalogue): ServiceEntry[] {
  return from.filter((service) => service.runsIn.includes(place));
}

/**
 * Checks what TypeScript cannot: unique names and ports, names usable as Kubernetes objects and image
 * names, and egress that names services that exist. Every consumer calls it before using a catalogue.
 */
export function validateCatalogue(from: Catalogue = catalogue): Catalogue {
  const problems: string[] = [];
  const names = new Set<string>();
  const ports = new Map<number, string>();
  for (const service of from) {
    if (!/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(service.name)) {
      problems.push(`${service.name}: a name must be a DNS label of at most 40 characters`);
    }
    if (names.has(service.name)) problems.push(`${service.name}: declared twice`);
    names.add(service.name);
    if (!Number.isInteger(service.port) || service.port < 1024 || service.port > 65535) {
      problems.push(`${service.name}: port ${service.port} is not a whole number from 1024 to 65535`);
    }
    const other = ports.get(service.port);
    if (other) problems.push(`${service.name}: port ${service.port} is also ${other}'s`);
    ports.set(service.port, service.name);
    if (service.runsIn.length === 0) problems.push(`${service.name}: runsIn names no place`);
  }
  for (const service of from) {
    for (const egress of service.egress) {
      if (egress.to === "service" && !names.has(egress.service)) {
        problems.push(`${service.name}: egress to "${egress.service}", which is not in the catalogue`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`Invalid service catalogue:\n  ${problems.join("\n  ")}`);
  return from;
}
