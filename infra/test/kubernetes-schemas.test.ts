import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { MockedResource } from "../under-mocks/mocks";
import { exampleStackRuns, isKubernetesObject, type StackRuns } from "./stacks";

let runs: StackRuns;
beforeAll(async () => {
  runs = await exampleStackRuns();
});

interface KubernetesModel {
  validate(): void;
}
type ModelClass = new (data: unknown) => KubernetesModel;

/** `kubernetes:apps/v1:Deployment` → the kubernetes-models class for apps/v1 Deployment. */
async function modelFor(type: string): Promise<ModelClass | undefined> {
  const [, groupVersion = "", kind = ""] = type.split(":");
  const modulePath = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
  const models = (await import(`kubernetes-models/${modulePath}`)) as Record<string, ModelClass>;
  return models[kind];
}

const labels = z.record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9_.-]{1,63}$/), z.string().max(63));
const objectMeta = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .max(63),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
    labels: labels.optional(),
  })
  .strict();

/** The fields of prometheus-operator's CRDs (monitoring.coreos.com/v1) that this program writes. */
const serviceMonitor = z
  .object({
    apiVersion: z.literal("monitoring.coreos.com/v1"),
    kind: z.literal("ServiceMonitor"),
    metadata: objectMeta,
    spec: z
      .object({
        selector: z.object({ matchLabels: labels }).strict(),
        namespaceSelector: z.object({ matchNames: z.array(z.string()).min(1) }).strict(),
        endpoints: z
          .array(
            z
              .object({
                port: z.string(),
                path: z.string().startsWith("/"),
                interval: z.string().regex(/^\d+(s|m)$/),
              })
              .strict(),
          )
          .min(1),
      })
      .strict(),
  })
  .strict();

const duration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/);
const rule = z.union([
  z
    .object({
      alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      expr: z.union([z.string().min(1), z.number()]),
      for: duration.optional(),
      keep_firing_for: duration.optional(),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
  z
    .object({
      record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/),
      expr: z.union([z.string().min(1), z.number()]),
      labels: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
]);
const prometheusRule = z
  .object({
    apiVersion: z.literal("monitoring.coreos.com/v1"),
    kind: z.literal("PrometheusRule"),
    metadata: objectMeta,
    spec: z
      .object({
        groups: z
          .array(
            z
              .object({
                name: z.string().min(1),
                interval: duration.optional(),
                limit: z.number().int().optional(),
                rules: z.array(rule).min(1),
              })
              .strict(),
          )
          .min(1),
      })
      .strict(),
  })
  .strict();

const crdSchemas: Record<string, z.ZodType> = {
  "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": serviceMonitor,
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": prometheusRule,
};

async function validate(resource: MockedResource): Promise<void> {
  const crd = crdSchemas[resource.type];
  if (crd) {
    const result = crd.safeParse(resource.inputs);
    if (!result.success) throw new Error(`${resource.name}: ${z.prettifyError(result.error)}`);
    return;
  }
  const Model = await modelFor(resource.type);
  if (!Model) throw new Error(`no schema for ${resource.type}`);
  new Model(resource.inputs).validate();
}

describe("Kubernetes objects match the Kubernetes schemas", () => {
  for (const stack of ["dev", "local", "prodLike"] as const) {
    it(`${stack}: every object validates`, async () => {
      const objects = runs[stack].resources
        .filter(isKubernetesObject)
        .filter((r) => r.type !== "pulumi:providers:kubernetes");
      expect(objects.length).toBeGreaterThan(20);
      for (const object of objects) await validate(object);
    });
  }

  it("a malformed object is rejected (the validation has teeth)", async () => {
    const deployment = runs.dev.resources.find(
      (r) => r.type === "kubernetes:apps/v1:Deployment",
    ) as MockedResource;
    const broken = structuredClone(deployment);
    broken.inputs.spec.template.spec.containers[0].ports[0].containerPort = "http";
    await expect(validate(broken)).rejects.toThrow(/containerPort/);
    const rules = runs.dev.resources.find(
      (r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    );
    const brokenRule = structuredClone(rules) as MockedResource;
    brokenRule.inputs.spec.groups[0].rules[0].exprr = "up";
    await expect(validate(brokenRule)).rejects.toThrow();
  });
});
