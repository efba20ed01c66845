import type { Settings } from "./config";

/**
 * The tags that put a resource on the stack's bill: project, stack, the concern it serves (`service`) and
 * who manages it. Every provider's default tags are these, and so is every resource AWS creates on the
 * program's behalf (which default tags never reach), so Cost Explorer groups the whole bill by stack.
 */
export function stackTags(
  settings: Pick<Settings, "project" | "stack">,
  service: string,
): Record<string, string> {
  return { project: settings.project, stack: settings.stack, service, "managed-by": "pulumi" };
}
