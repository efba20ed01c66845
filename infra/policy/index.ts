import { PolicyPack } from "@pulumi/policy";
import { platformPolicies } from "./policies";

// `pulumi preview --policy-pack infra/policy` runs these on every resource of the preview.
new PolicyPack("platform-guardrails", { policies: platformPolicies });
