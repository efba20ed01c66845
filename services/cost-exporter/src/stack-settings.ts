import { loadShippedPriceTable, type PriceTable } from "@platform/prices";
import { env } from "@platform/service-kit";

/**
 * What the exporter needs to publish prices and the stack's parts outside Kubernetes: the region and
 * instance types whose prices matter, and the things the stack pays AWS for that kube-state-metrics cannot
 * see (the control plane, NAT gateways, public addresses, KMS keys, every node's root volume). The Pulumi
 * program sets them from the stack's settings (the catalogue's `clusterEnv`); `npm start` sets them from the
 * dev stack's program. Unset, the exporter publishes the region's non-instance prices and no stack.
 */

/** The one price table of the platform, the one `npm run cost` reads. */
export const PRICE_TABLE: PriceTable = loadShippedPriceTable();

/** The stack resources the exporter can report, each priced by one series of the table. */
export const STACK_RESOURCE_KINDS = ["eks_cluster", "nat_gateway", "public_ipv4_address", "kms_key"] as const;
export type StackResourceKind = (typeof STACK_RESOURCE_KINDS)[number];

/** Root volumes the table prices. */
export const ROOT_VOLUME_TYPES = ["gp3", "gp2"] as const;
/** More instance types than any node group lists; keeps the price series a small, bounded set. */
export const MAX_INSTANCE_TYPES = 20;

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface NodeRootVolume {
  volumeType: (typeof ROOT_VOLUME_TYPES)[number];
  sizeGiB: number;
}

const list = (rule: string, parse: (item: string) => boolean) =>
  env.string("").transform((text, ctx) => {
    const items = text
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    const bad = items.filter((item) => !parse(item));
    if (bad.length > 0) ctx.addIssue({ code: "custom", message: `${rule}; not: ${bad.join(", ")}` });
    return items;
  });

export const stackSettings = {
  /** The region whose prices are published (a region of the price table). */
  PRICE_REGION: env.string("us-east-1"),
  /** The node group's instance types, comma-separated (at most MAX_INSTANCE_TYPES). */
  PRICE_INSTANCE_TYPES: list("must be EC2 instance types such as t3.large,m7i.large", (item) =>
    INSTANCE_TYPE.test(item),
  ),
  /** The stack's name; labels the stack series. Unset: no stack series. */
  STACK_NAME: env.optionalString(),
  /** What the stack pays for outside Kubernetes, as kind=count pairs: eks_cluster=1,nat_gateway=1,… */
  STACK_RESOURCES: env.string("").transform((text, ctx) => {
    const counts: Partial<Record<StackResourceKind, number>> = {};
    for (const part of text
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [kind = "", count = "", extra] = part.split("=").map((s) => s.trim());
      if (
        extra !== undefined ||
        !(STACK_RESOURCE_KINDS as readonly string[]).includes(kind) ||
        !/^\d{1,4}$/.test(count)
      ) {
        ctx.addIssue({
          code: "custom",
          message: `must be kind=count pairs such as eks_cluster=1,nat_gateway=1 (kinds: ${STACK_RESOURCE_KINDS.join(", ")}; counts 0-9999 in decimal digits); not: ${part}`,
        });
        continue;
      }
      counts[kind as StackResourceKind] = Number(count);
    }
    return counts;
  }),
  /** Every node's root volume as type:GiB, e.g. gp3:50. Unset: root volumes are not priced. */
  NODE_ROOT_VOLUME: env.optionalString().transform((text, ctx): NodeRootVolume | undefined => {
    if (text === undefined) return undefined;
    const match = /^(gp2|gp3):(\d{1,5})$/.exec(text.trim());
    const sizeGiB = Number(match?.[2]);
    if (!match || sizeGiB < 1 || sizeGiB > 16_384) {
      ctx.addIssue({
        code: "custom",
        message: "must be an EBS type and a size in GiB such as gp3:50 (gp2 or gp3, 1-16384 GiB)",
      });
      return undefined;
    }
    return { volumeType: match[1] as NodeRootVolume["volumeType"], sizeGiB };
  }),
  /**
   * The first day the cluster's Kubernetes version is billed extended support (its end of standard
   * support, YYYY-MM-DD, UTC). From then on the stack series count the control plane's surcharge. Unset for a
   * cluster whose upgrade policy is STANDARD: EKS upgrades it instead, and never bills the surcharge.
   */
  EKS_EXTENDED_SUPPORT_FROM: env.optionalString().refine((text) => text === undefined || DAY.test(text), {
    message: "must be a date such as 2027-08-02 (YYYY-MM-DD)",
  }),
};

/** The parsed stack settings. */
export interface StackSettingsValues {
  PRICE_REGION: string;
  PRICE_INSTANCE_TYPES: string[];
  STACK_NAME?: string | undefined;
  STACK_RESOURCES: Partial<Record<StackResourceKind, number>>;
  NODE_ROOT_VOLUME?: NodeRootVolume | undefined;
  EKS_EXTENDED_SUPPORT_FROM?: string | undefined;
}

/** What the schema alone cannot check: the region and instance types are in the table. */
export function stackSettingsProblems(
  config: StackSettingsValues,
  table: PriceTable = PRICE_TABLE,
): string[] {
  const problems: string[] = [];
  const prices = table.regions.get(config.PRICE_REGION);
  if (!prices) {
    problems.push(
      `PRICE_REGION must be a region of the price table (${[...table.regions.keys()].join(", ")}); got "${config.PRICE_REGION}"`,
    );
  } else {
    const missing = config.PRICE_INSTANCE_TYPES.filter((type) => !prices.ec2InstanceHour.has(type));
    if (missing.length > 0) {
      problems.push(
        `PRICE_INSTANCE_TYPES names types the price table has no ${config.PRICE_REGION} price for: ${missing.join(", ")} (add them with npm run cost:refresh-prices)`,
      );
    }
  }
  if (new Set(config.PRICE_INSTANCE_TYPES).size > MAX_INSTANCE_TYPES) {
    problems.push(`PRICE_INSTANCE_TYPES must name at most ${MAX_INSTANCE_TYPES} instance types`);
  }
  if (config.STACK_NAME !== undefined && !STACK_NAME.test(config.STACK_NAME)) {
    problems.push(
      `STACK_NAME must be a stack name (letters, digits, ".", "_", "-"); got "${config.STACK_NAME}"`,
    );
  }
  const describesAStack =
    Object.keys(config.STACK_RESOURCES).length > 0 ||
    config.NODE_ROOT_VOLUME !== undefined ||
    config.EKS_EXTENDED_SUPPORT_FROM !== undefined;
  if (describesAStack && config.STACK_NAME === undefined) {
    problems.push(
      "STACK_NAME must be set with STACK_RESOURCES, NODE_ROOT_VOLUME or EKS_EXTENDED_SUPPORT_FROM (it labels the stack series)",
    );
  }
  if (
    config.EKS_EXTENDED_SUPPORT_FROM !== undefined &&
    Number.isNaN(Date.parse(`${config.EKS_EXTENDED_SUPPORT_FROM}T00:00:00Z`))
  ) {
    problems.push(`EKS_EXTENDED_SUPPORT_FROM is not a calendar date: "${config.EKS_EXTENDED_SUPPORT_FROM}"`);
  }
  return problems;
}
