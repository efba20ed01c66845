import type {
  PolicyProviderResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import type { MockedResource } from "./mocks";

/** The provider a mocked resource was registered with, found by the name in its provider reference. */
function providerOf(resource: MockedResource, all: MockedResource[]): PolicyProviderResource | undefined {
  if (!resource.provider) return undefined;
  const urn = resource.provider.split("::").slice(0, -1).join("::");
  const name = urn.split("::").pop();
  const provider = all.find((r) => r.type.startsWith("pulumi:providers:") && r.name === name);
  return provider ? { type: provider.type, name: provider.name, urn, props: provider.inputs } : undefined;
}

/** Adapts a mocked resource to what CrossGuard hands a policy's validateResource during a preview. */
export function toValidationArgs(
  resource: MockedResource,
  all: MockedResource[],
  policyConfig: Record<string, unknown> = {},
): ResourceValidationArgs {
  const provider = providerOf(resource, all);
  return {
    type: resource.type,
    props: resource.inputs,
    urn: resource.urn ?? `urn:pulumi:test::test::${resource.type}::${resource.name}`,
    name: resource.name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    ...(provider ? { provider } : {}),
    stackTags: new Map(),
    isType: (resourceClass) =>
      (resourceClass as unknown as { __pulumiType?: string }).__pulumiType === resource.type,
    asType: ((resourceClass: { __pulumiType?: string }) =>
      resourceClass.__pulumiType === resource.type
        ? resource.inputs
        : undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => ({ allowPublicLoadBalancer: false, ...policyConfig }) as unknown as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason ?? resource.type}`);
    },
  };
}

/** Runs one policy over resources and returns its violations as `name: message`. */
export async function violations(
  policy: ResourceValidationPolicy,
  resources: MockedResource[],
  options: { all?: MockedResource[]; config?: Record<string, unknown> } = {},
): Promise<string[]> {
  const found: string[] = [];
  const validations = [policy.validateResource ?? []].flat();
  for (const resource of resources) {
    const report: ReportViolation = (message) => found.push(`${resource.name}: ${message}`);
    for (const validate of validations) {
      await validate(toValidationArgs(resource, options.all ?? resources, options.config), report);
    }
  }
  return found;
}
