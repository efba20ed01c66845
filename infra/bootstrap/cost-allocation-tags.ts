import * as aws from "@pulumi/aws";
import { costTagKeySchema } from "../../thresholds/cost-tag-key";
import type { CiStack } from "../ci-stacks";
import { readStackConfig } from "../stack-config";
import { stackTags } from "../stack-tags";

/**
 * Cost-allocation tag activation by code (`bootstrap:activateCostAllocationTags`), off by default because AWS
 * refuses a key it has not yet seen on billed usage, and tag keys appear for activation only up to 24 hours
 * after resources carrying them are created (and activation itself may take up to 24 hours); only a
 * management account, or one outside any organisation, manages them (sources dated in README.md, "Day 1 in a
 * new account"). So: run the bootstrap again with it on the day after the first deploy, from such an account.
 */

/** Every key the platform tags its resources with, each stack's `platform:costTagKey` included. */
export function costAllocationTagKeys(
  stacks: readonly CiStack[],
  settingsOf: (stack: string) => Record<string, string> = (stack) => readStackConfig(stack).config,
): string[] {
  const keys = stacks.flatMap((s) => {
    const costTagKey = costTagKeySchema.parse(settingsOf(s.name)["platform:costTagKey"] || undefined);
    return Object.keys(stackTags({ project: "platform", stack: s.name, costTagKey }, "any"));
  });
  return [...new Set(keys)];
}

export function activateCostAllocationTags(keys: readonly string[], provider: aws.Provider) {
  return keys.map(
    (tagKey) =>
      new aws.costexplorer.CostAllocationTag(`tag-${tagKey}`, { tagKey, status: "Active" }, { provider }),
  );
}
