/**
 * The tags that put a resource on the stack's bill: project, stack (also under `platform:costTagKey` when
 * that is another key), the concern it serves (`service`) and who manages it. Every provider's default tags are these, and so is every resource AWS creates on the
 * program's behalf, which default tags never reach: the nodes' instances, volumes and network interfaces
 * (the launch template's `tagSpecifications`), the EBS CSI driver's volumes (`controller.extraVolumeTags`)
 * and the load balancers, target groups and security groups of the AWS Load Balancer Controller (its chart's
 * `defaultTags`, components/load-balancer-controller.ts). Cost Explorer then files all of it under the stack.
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
  // The fields it reads, not config.ts's Settings: config.ts reads this file's tag keys.
  settings: { project: string; stack: string; costTagKey: string },
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
