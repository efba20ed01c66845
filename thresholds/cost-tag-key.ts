import { z } from "zod";

/**
 * The cost-allocation tag that carries the stack's name (`platform:costTagKey`): every resource of the stack
 * is tagged `<key>=<stack>` (infra/stack-tags.ts), the cost exporter groups the bill by it, the AWS Budget
 * filters by it, and the reconciliation rules read that tag's spend as the stack's bill. The committed rule
 * files are built with the default. No `=` or `,`: a load balancer's tag annotation splits on them. No `aws:`
 * prefix, in any case: AWS reserves it and refuses a tag that carries it, so the deploy would fail. (Keys the
 * program sets to other values, `Name` among them, are refused by infra/config.ts.)
 */
export const costTagKeySchema = z
  .string()
  .regex(/^[\w.:/+@-]{1,128}$/, "an AWS tag key: up to 128 letters, digits and _ . : / + @ - (no = or ,)")
  .refine((key) => !/^aws:/i.test(key), "the aws: prefix is reserved by AWS (in any case)")
  .default("stack");
export const DEFAULT_COST_TAG_KEY: string = costTagKeySchema.parse(undefined);
