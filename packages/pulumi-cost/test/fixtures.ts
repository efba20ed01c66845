import { AWS_PRICE_TABLE, loadPriceTable } from "@platform/prices";
import { type CostConfigInput, costConfig } from "../src/config.js";
import { type CostEstimate, estimateChanges } from "../src/estimate.js";
import { changesFromPreview, checkPreview, type PreviewDigest, type PreviewStep } from "../src/preview.js";

/**
 * Steps in the shape `pulumi preview --json` writes them (Pulumi's previewDigest/previewStep): op, urn,
 * and oldState/newState each carrying the resource type and its inputs. For tests and the benchmark.
 */
export const TABLE = loadPriceTable(AWS_PRICE_TABLE);
export const DEC_1 = new Date("2026-12-01T00:00:00Z");

/**
 * EKS versions and their support dates as a project would configure them (the test data of these tests: 1.32
 * past standard support, 1.34 leaving it on 2026-12-02, 1.35 in it, 1.30 past extended support).
 */
export const EKS_VERSIONS = [
  { version: "1.35", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
  { version: "1.34", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  { version: "1.32", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  { version: "1.30", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
];

/** A preview of these steps priced with this configuration (EKS versions above unless it gives others). */
export function estimateOf(
  steps: PreviewStep[],
  config: CostConfigInput = {},
  monthStart = DEC_1,
): CostEstimate {
  const settings = costConfig({ eks: { versions: EKS_VERSIONS }, ...config });
  return estimateChanges(changesFromPreview(checkPreview(preview(steps))), TABLE, {
    stack: "dev",
    region: "us-east-1",
    config: settings,
    monthStart,
  });
}
export const urn = (type: string, name: string, parent = "platform:cluster:EksCluster") =>
  `urn:pulumi:dev::cost-aware-platform::${parent}$${type}::${name}`;

const state = (type: string, name: string, inputs: Record<string, unknown>) => ({
  urn: urn(type, name),
  custom: true,
  type,
  inputs,
  outputs: {},
});

export function step(
  op: string,
  type: string,
  name: string,
  before?: Record<string, unknown>,
  after?: Record<string, unknown>,
): PreviewStep {
  return {
    op,
    urn: urn(type, name),
    ...(before ? { oldState: state(type, name, before) } : {}),
    ...(after ? { newState: state(type, name, after) } : {}),
  };
}

export const preview = (steps: PreviewStep[]): PreviewDigest =>
  ({ config: { "aws:region": "us-east-1" }, steps, changeSummary: {} }) as PreviewDigest;

export const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";

export const nodeGroup = (instanceType: string, desiredSize: number, maxSize = 6) => ({
  clusterName: "cost-aware-platform-dev",
  instanceTypes: [instanceType],
  diskSize: 20,
  scalingConfig: { desiredSize, minSize: 1, maxSize },
});

export const deployment = (
  name: string,
  replicas: number,
  requests: { cpu: string; memory: string },
  env: Record<string, string> = {},
) => ({
  metadata: { name, namespace: "platform" },
  spec: {
    replicas,
    template: {
      spec: {
        containers: [
          {
            name,
            image: `ghcr.io/acme/${name}:1`,
            resources: { requests, limits: requests },
            env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
          },
        ],
      },
    },
  },
});

export const daemonSet = (name: string, requests: { cpu: string; memory: string }) => ({
  metadata: { name, namespace: "kube-system" },
  spec: { template: { spec: { containers: [{ name, image: `${name}:1`, resources: { requests } }] } } },
});

/**
 * A preview of `count` resources shaped like a large platform's: node groups, Deployments, volumes, load
 * balancers and many free resources (roles, policies, config maps), a tenth of them changed.
 */
export function largePreview(count: number): PreviewDigest {
  const steps: PreviewStep[] = [];
  for (let i = 0; steps.length < count; i++) {
    const changed = i % 10 === 0;
    const op = changed ? "update" : "same";
    switch (i % 8) {
      case 0:
        steps.push(
          step(
            op,
            NODE_GROUP,
            `nodes-${i}`,
            nodeGroup("m6i.large", 3, 10),
            nodeGroup("m6i.large", changed ? 4 : 3, 10),
          ),
        );
        break;
      case 1:
        steps.push(
          step(
            op,
            DEPLOYMENT,
            `app-${i}`,
            deployment(`app-${i}`, 2, { cpu: "100m", memory: "128Mi" }),
            deployment(`app-${i}`, changed ? 3 : 2, { cpu: "100m", memory: "128Mi" }),
          ),
        );
        break;
      case 2:
        steps.push(
          step(
            op,
            "aws:ebs/volume:Volume",
            `data-${i}`,
            { size: 100, type: "gp3" },
            { size: changed ? 200 : 100, type: "gp3" },
          ),
        );
        break;
      case 3:
        steps.push(
          step(
            "same",
            "aws:lb/loadBalancer:LoadBalancer",
            `lb-${i}`,
            { loadBalancerType: "application" },
            { loadBalancerType: "application" },
          ),
        );
        break;
      default:
        steps.push(
          step(
            op,
            "aws:iam/role:Role",
            `role-${i}`,
            { name: `role-${i}`, path: "/a/" },
            { name: `role-${i}`, path: changed ? "/b/" : "/a/" },
          ),
        );
    }
  }
  return preview(steps);
}
