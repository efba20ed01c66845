import { at, boundedAt, objectAt, type PricedInput } from "./inputs.js";
import { BadInputError, BOUNDS, LIMITS } from "./limits.js";

/** A volume claim (or claim template) that `copies` pods each get, found at `where` in Helm values. */
export interface ClaimPart {
  where: string;
  /** a PersistentVolumeClaim spec: resources.requests.storage, storageClassName */
  spec: unknown;
  copies: number;
}

/** A Service of type LoadBalancer in Helm values. */
export interface LoadBalancerPart {
  where: string;
  service: Record<string, unknown>;
}

/**
 * What Helm values ask AWS for besides pods: every volumeClaimTemplate and enabled persistence block (times
 * the nearest `replicas` above it, as Prometheus and Alertmanager storage in kube-prometheus-stack), and every
 * `service` of type LoadBalancer. The cost diff prices them (pricers/kubernetes-storage.ts); a demo inventory
 * can list them as kube-state-metrics would. Values deeper than LIMITS.valuesDepth are bad input.
 */
export function helmValuesParts(
  values: unknown,
  release: PricedInput,
): { claims: ClaimPart[]; loadBalancers: LoadBalancerPart[] } {
  const claims: ClaimPart[] = [];
  const loadBalancers: LoadBalancerPart[] = [];
  // Iterative, so no nesting can exhaust the stack; the depth is checked as the walk goes down.
  const stack: { node: unknown; path: string[]; replicas: number }[] = [
    { node: values, path: [], replicas: 1 },
  ];
  while (stack.length > 0) {
    const { node, path, replicas } = stack.pop() as (typeof stack)[number];
    if (node === null || typeof node !== "object" || Array.isArray(node)) continue;
    if (path.length > LIMITS.valuesDepth) {
      throw new BadInputError(
        `resource ${JSON.stringify(release.name)} (${release.type}): its values are nested deeper than ${LIMITS.valuesDepth} levels`,
      );
    }
    const object = node as Record<string, unknown>;
    const where = path.join(".");
    const field = `values.${where ? `${where}.` : ""}replicas`;
    const copies = boundedAt(release, "replicas", BOUNDS.replicas, object, field) ?? replicas;
    const last = path[path.length - 1];
    const claimTemplate = objectAt(object, "volumeClaimTemplate");
    if (claimTemplate) claims.push({ where, spec: at(claimTemplate, "spec"), copies });
    if (at(object, "enabled") === true && last === "persistence") {
      claims.push({
        where,
        spec: {
          resources: { requests: { storage: at(object, "size") } },
          storageClassName: at(object, "storageClassName"),
        },
        copies,
      });
    }
    if (last === "service" && at(object, "type") === "LoadBalancer")
      loadBalancers.push({ where, service: object });
    const children = Object.keys(object).filter((key) => key !== "volumeClaimTemplate");
    for (let i = children.length - 1; i >= 0; i--) {
      const key = children[i] as string;
      stack.push({ node: object[key], path: [...path, key], replicas: copies });
    }
  }
  return { claims, loadBalancers };
}
