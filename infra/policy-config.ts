import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type ParsedSettings, parseStackFile } from "./config";
import { repositoryRoot } from "./images";
import { type LoadBalancerPolicyConfig, noPublicLoadBalancer } from "./policy/policies";

/**
 * `npm run --silent policy-config -- --stack <stack>`: the policy pack's configuration for a stack, from its
 * settings, as the JSON file `pulumi preview|up --policy-pack infra/policy --policy-pack-config <file>` reads
 * (one key per policy; the preview and deploy workflows write it before they run Pulumi). Without it every
 * policy sees its schema's defaults: a stack that allows a public load balancer could never pass.
 *
 * | source | read on |
 * | --- | --- |
 * | https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/ (the JSON file: an object per policy name) | 2026-12-07 |
 * | pulumi/actions action.yml: `policyPackConfigs`, "Path to JSON file containing the config for the policy pack of the corresponding --policy-pack flag" | 2026-12-07 |
 */
export function policyPackConfig(
  settings: Pick<ParsedSettings, "allowPublicLoadBalancer">,
): Record<string, LoadBalancerPolicyConfig> {
  return {
    [noPublicLoadBalancer.name]: { allowPublicLoadBalancer: settings.allowPublicLoadBalancer },
  };
}

export function policyConfigOf(argv: string[], root = repositoryRoot): string {
  const { values } = parseArgs({ args: argv, options: { stack: { type: "string" } }, strict: true });
  if (!values.stack || !/^[\w.-]+$/.test(values.stack)) throw new Error("--stack <stack name> is required");
  if (!fs.existsSync(path.join(root, `Pulumi.${values.stack}.yaml`)))
    throw new Error(`no Pulumi.${values.stack}.yaml: the policy config comes from the stack's settings file`);
  return `${JSON.stringify(policyPackConfig(parseStackFile(values.stack, root)), null, 2)}\n`;
}

if (require.main === module) {
  try {
    process.stdout.write(policyConfigOf(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`policy-config: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
