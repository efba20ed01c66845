import { at, numberAt, objectAt } from "./inputs";

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
 * `service` of type LoadBalancer. The cost diff prices them (pricers/kubernetes-storage.ts); the local demo
 * inventory lists them as kube-state-metrics would.
 */
export function helmValuesParts(values: unknown): { claims: ClaimPart[]; loadBalancers: LoadBalancerPart[] } {
  const claims: ClaimPart[] = [];
  const loadBalancers: LoadBalancerPart[] = [];
  const visit = (node: unknown, path: string[], replicas: number): void => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return;
    const object = node as Record<string, unknown>;
    const copies = numberAt(object, "replicas") ?? replicas;
    const where = path.join(".");
    const claimTemplate = objectAt(object, "volumeClaimTemplate");
    if (claimTemplate) claims.push({ where, spec: at(claimTemplate, "spec"), copies });
    if (at(object, "enabled") === true && path[path.length - 1] === "persistence") {
      claims.push({
        where,
        spec: {
          resources: { requests: { storage: at(object, "size") } },
          storageClassName: at(object, "storageClassName"),
        },
        copies,
      });
    }
    if (path[path.length - 1] === "service" && at(object, "type") === "LoadBalancer") {
      loadBalancers.push({ where, service: object });
    }
    for (const [key, child] of Object.entries(object)) {
      if (key === "volumeClaimTemplate") continue;
      visit(child, [...path, key], copies);
    }
  };
  visit(values, [], 1);
  return { claims, loadBalancers };
}
