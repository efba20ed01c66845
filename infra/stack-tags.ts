import type { Settings } from "./config";

/**
 * The tags that put a resource on the stack's bill: project, stack (also under `platform:costTagKey` when
 * that is another key), the concern it serves (`service`) and who manages it. Every provider's default tags are these, and so is every resource AWS creates on the
 * program's behalf, which default tags never reach: the nodes' instances, volumes and network interfaces
 * (the launch template's `tagSpecifications`), the EBS CSI driver's volumes (`controller.extraVolumeTags`)
 * and a Service's load balancer (`loadBalancerTagAnnotations`). Cost Explorer then files all of it under
 * the stack.
 */
/** The `Name` the launch template gives the nodes, their volumes and interfaces (components/cluster.ts). */
export const NODE_NAME_TAG = "Name";

/**
 * Tag keys the program sets to something other than the stack's name: stackTags' own, and the nodes' `Name`,
 * which overrides a default tag of that key on what EKS launches. `platform:costTagKey` cannot be one of them.
 * Tag keys are case-sensitive (`name` is another key).
 */
export const TAG_KEYS_SET_BY_THE_PROGRAM: readonly string[] = [
  "project",
  "service",
  "managed-by",
  NODE_NAME_TAG,
];

export function stackTags(
  settings: Pick<Settings, "project" | "stack" | "costTagKey">,
  service: string,
): Record<string, string> {
  return {
    project: settings.project,
    stack: settings.stack,
    // The cost exporter, the AWS Budget and UnaccountedSpend read the stack's bill from this tag's values.
    [settings.costTagKey]: settings.stack,
    service,
    "managed-by": "pulumi",
  };
}

/**
 * The annotation that has the controller of a Service of type LoadBalancer tag the load balancer it creates.
 * The program installs no AWS Load Balancer Controller and sets no `aws-load-balancer-type`, so EKS's own
 * service controller (cloud-provider-aws) creates a Classic Load Balancer; both it and the AWS Load Balancer
 * Controller read this annotation, as a comma-separated list of key=value pairs.
 *
 * | source | read on |
 * | --- | --- |
 * | https://github.com/kubernetes/cloud-provider-aws/blob/master/docs/service_controller.md (`aws-load-balancer-additional-resource-tags`: "A comma-separated list of key-value pairs which will be recorded as additional tags in the ELB", ELB and NLB) | 2026-12-01 |
 * | https://kubernetes-sigs.github.io/aws-load-balancer-controller/v2.10/guide/service/annotations (the same annotation, a stringMap `k1=v1,k2=v2`; the controller reconciles only Services of type `external`/`nlb-ip` or with its LoadBalancerClass) | 2026-12-01 |
 */
export const LOAD_BALANCER_TAGS_ANNOTATION =
  "service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags";

export function loadBalancerTagAnnotations(tags: Record<string, string>): Record<string, string> {
  const pairs = Object.entries(tags).map(([key, value]) => {
    // The list has no escape: a comma or an equals sign would split a tag in two.
    if (/[,=]/.test(key) || /[,=]/.test(value)) {
      throw new Error(
        `the load balancer tag ${key}=${value} cannot hold "," or "=" (${LOAD_BALANCER_TAGS_ANNOTATION})`,
      );
    }
    return `${key}=${value}`;
  });
  return { [LOAD_BALANCER_TAGS_ANNOTATION]: pairs.join(",") };
}
