/**
 * The long-term store: an Amazon Managed Service for Prometheus workspace that keeps the recorded cost,
 * unit-economics and business series (alerts/long-term-store.ts) for LONG_TERM_RETENTION_DAYS, while the
 * in-cluster Prometheus keeps only what its rules read back (alerts/retention.ts). Prometheus remote-writes
 * those series and nothing else, signed with SigV4 by a Pod Identity role allowed exactly `aps:RemoteWrite` on
 * this workspace; Grafana reads them through the Amazon Managed Service for Prometheus data source, with its
 * own role allowed exactly the query actions. The chart values it adds are merged into kube-prometheus-stack's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KEEP_REGEX, LONG_TERM_RETENTION_DAYS } from "../../alerts/long-term-store";
import { LONG_TERM_DATASOURCE } from "../../thresholds/dashboards";
import { type PolicyDocument, platformRolePath, podIdentityTrust } from "./iam";

/** What each role may do on the workspace (service authorization reference, "Amazon Managed Service for Prometheus"). */
export const LONG_TERM_STORE_ACTIONS = {
  write: ["aps:RemoteWrite"],
  query: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"],
} as const;

/**
 * The chart's service accounts, named in the values so the Pod Identity associations name the same ones (the
 * chart's own defaults: `<fullname>-prometheus`, and the Grafana subchart's `<release>-grafana`).
 */
export const longTermStoreServiceAccounts = (release: string) => ({
  prometheus: `${release}-prometheus`,
  grafana: `${release}-grafana`,
});

/** Grafana's data source for Amazon Managed Service for Prometheus (SigV4 in the core Prometheus one is deprecated). */
export const AMP_DATASOURCE_PLUGIN = "grafana-amazonprometheus-datasource";

export interface LongTermStoreArgs {
  /** The chart's release name (its fullname): the service accounts are named from it. */
  release: string;
  namespace: string;
  region: string;
  accountId: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  alias: string;
  provider: aws.Provider;
}

/** Allows `actions` on one workspace and nothing else. */
export const workspacePolicy = (actions: readonly string[], workspaceArn: string): string =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "OneWorkspace", Effect: "Allow", Action: [...actions], Resource: workspaceArn }],
  } satisfies PolicyDocument);

/** The kube-prometheus-stack values that send the kept series and read them back. */
export function longTermStoreValues(
  endpoint: pulumi.Input<string>,
  region: string,
  release: string,
): Record<string, unknown> {
  const accounts = longTermStoreServiceAccounts(release);
  return {
    prometheus: {
      serviceAccount: { create: true, name: accounts.prometheus },
      prometheusSpec: {
        remoteWrite: [
          {
            url: pulumi.interpolate`${endpoint}api/v1/remote_write`,
            sigv4: { region },
            writeRelabelConfigs: [{ sourceLabels: ["__name__"], regex: KEEP_REGEX, action: "keep" }],
          },
        ],
      },
    },
    grafana: {
      serviceAccount: { create: true, name: accounts.grafana },
      plugins: [AMP_DATASOURCE_PLUGIN],
      additionalDataSources: [
        {
          name: LONG_TERM_DATASOURCE.name,
          uid: LONG_TERM_DATASOURCE.uid,
          type: AMP_DATASOURCE_PLUGIN,
          access: "proxy",
          url: endpoint,
          editable: false,
          // The AWS SDK's default chain: the Pod Identity role's credentials.
          jsonData: { sigV4Auth: true, sigV4AuthType: "default", sigV4Region: region, httpMethod: "POST" },
        },
      ],
    },
  };
}

export class LongTermStore extends pulumi.ComponentResource {
  readonly workspace: aws.amp.Workspace;
  readonly values: Record<string, unknown>;
  readonly roleArns: { prometheus: pulumi.Output<string>; grafana: pulumi.Output<string> };

  constructor(name: string, args: LongTermStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:monitoring:LongTermStore", name, {}, opts);
    const awsOpts = { parent: this, provider: args.provider };
    this.workspace = new aws.amp.Workspace(`${name}-workspace`, { alias: args.alias }, awsOpts);
    new aws.amp.WorkspaceConfiguration(
      `${name}-retention`,
      { workspaceId: this.workspace.id, retentionPeriodInDays: LONG_TERM_RETENTION_DAYS },
      awsOpts,
    );
    const accounts = longTermStoreServiceAccounts(args.release);
    const role = (who: "prometheus" | "grafana", actions: readonly string[], what: string) => {
      const created = new aws.iam.Role(
        `${name}-${who}`,
        {
          path: platformRolePath,
          description: `${accounts[who]}: ${what} through EKS Pod Identity`,
          assumeRolePolicy: podIdentityTrust({
            accountId: args.accountId,
            clusterName: args.clusterName,
            namespace: args.namespace,
            serviceAccount: accounts[who],
          }),
          maxSessionDuration: 3600,
        },
        awsOpts,
      );
      new aws.iam.RolePolicy(
        `${name}-${who}-policy`,
        { role: created.id, policy: this.workspace.arn.apply((arn) => workspacePolicy(actions, arn)) },
        awsOpts,
      );
      new aws.eks.PodIdentityAssociation(
        `${name}-${who}-pod-identity`,
        {
          clusterName: args.clusterName,
          namespace: args.namespace,
          serviceAccount: accounts[who],
          roleArn: created.arn,
        },
        awsOpts,
      );
      return created.arn;
    };
    this.roleArns = {
      prometheus: role("prometheus", LONG_TERM_STORE_ACTIONS.write, "remote-writes the kept series"),
      grafana: role("grafana", LONG_TERM_STORE_ACTIONS.query, "queries the long-term store"),
    };
    this.values = longTermStoreValues(this.workspace.prometheusEndpoint, args.region, args.release);
    this.registerOutputs({ workspaceArn: this.workspace.arn, roleArns: this.roleArns });
  }
}
