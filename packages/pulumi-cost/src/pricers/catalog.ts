import { t } from "../text.js";
import { NETWORK_CATALOG } from "./catalog-network.js";
import {
  AURORA_ENGINES,
  cacheCluster,
  clusterInstance,
  dynamodbTable,
  ecsService,
  lambdaFunction,
  mskCluster,
  neptuneCluster,
  neptuneInstance,
  own,
  provisionedConcurrency,
  rdsInstance,
  replicationGroup,
  searchDomain,
  stateMachine,
  webAcl,
} from "./catalog-services.js";
import { hourly, isText, monthly, named, typed, usage } from "./charges.js";
import { type Declared, declaredPricer } from "./declared.js";
import type { Pricer } from "./types.js";

/**
 * Resource types priced from data: a few lines each, saying which inputs give the quantity, which price key
 * bills it, and whether it is fixed (by the hour or the month, in the total) or usage (apart, at its unit
 * price, estimated from the configuration's `usage.byType` / `resourceUsage[].quantities`, usage-quantities.ts).
 * An input left out takes the AWS API's default (one node, Single-AZ, provisioned capacity). Prices come from
 * the price table of the resource's region only.
 */
export const CATALOG: ReadonlyMap<string, Declared> = new Map<string, Declared>([
  // networking
  [
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    (i) =>
      (i.string("vpcEndpointType") ?? "Gateway") === "Gateway"
        ? undefined // gateway endpoints (S3, DynamoDB) are free
        : [
            hourly(
              "interface endpoint",
              "endpoint-AZ",
              "interfaceEndpointHour",
              i.length("subnetIds") ?? t`subnetIds (one endpoint per AZ) are not known until apply`,
            ),
            usage("data processed", "interfaceEndpointPerGb", "dataProcessedGb", "GB"),
          ],
  ],
  [
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    () => [
      hourly("Transit Gateway attachment", "attachment", "transitGatewayAttachmentHour"),
      usage("data processed", "transitGatewayPerGb", "dataProcessedGb", "GB"),
    ],
  ],
  [
    "aws:ec2/vpnConnection:VpnConnection",
    () => [hourly("Site-to-Site VPN connection", "connection", "vpnConnectionHour")],
  ],
  // containers
  [
    "aws:eks/fargateProfile:FargateProfile",
    () => [
      usage("Fargate vCPU of its pods", "eksFargateVcpuHour", "vcpuHours", "vCPU-hour"),
      usage("Fargate memory of its pods", "eksFargateGbHour", "gbHours", "GB-hour"),
    ],
  ],
  ["aws:ecs/service:Service", ecsService],
  // databases
  ["aws:rds/instance:Instance", rdsInstance],
  ["aws:rds/clusterInstance:ClusterInstance", clusterInstance(AURORA_ENGINES)],
  [
    "aws:rds/cluster:Cluster",
    (i) =>
      own(AURORA_ENGINES, i.string("engine"))
        ? [usage("Aurora storage", "auroraStorageGbMonth", "storageGb", "GB-month")]
        : t`a Multi-AZ DB cluster (engine ${i.string("engine") ?? "not known"}) has no price key in pulumi-cost`,
  ],
  [
    "aws:rds/proxy:Proxy",
    () => [
      usage("RDS Proxy (vCPUs of its databases)", "rdsProxyVcpuHour", "databaseVcpus", "vCPU-hour", true),
    ],
  ],
  ["aws:elasticache/cluster:Cluster", cacheCluster],
  ["aws:elasticache/replicationGroup:ReplicationGroup", replicationGroup],
  [
    "aws:docdb/clusterInstance:ClusterInstance",
    (i) => {
      const type = named(i, "instanceClass");
      return isText(type) ? type : [typed("docdbInstanceHour", type, "instance")];
    },
  ],
  ["aws:docdb/cluster:Cluster", () => [usage("storage", "docdbStorageGbMonth", "storageGb", "GB-month")]],
  [
    "aws:redshift/cluster:Cluster",
    (i) => {
      const type = named(i, "nodeType");
      return isText(type) ? type : [typed("redshiftNodeHour", type, "node", i.count("numberOfNodes", 1))];
    },
  ],
  ["aws:dynamodb/table:Table", dynamodbTable],
  ["aws:neptune/clusterInstance:ClusterInstance", neptuneInstance],
  ["aws:neptune/cluster:Cluster", neptuneCluster],
  // analytics and messaging
  ["aws:opensearch/domain:Domain", searchDomain],
  ["aws:elasticsearch/domain:Domain", searchDomain],
  ["aws:msk/cluster:Cluster", mskCluster],
  [
    "aws:kinesis/stream:Stream",
    (i) =>
      i.string("streamModeDetails.streamMode") === "ON_DEMAND"
        ? t`Kinesis on-demand streams have no price key in pulumi-cost`
        : [
            hourly("shards", "shard", "kinesisShardHour", i.count("shardCount")),
            usage("PUT payload units", "kinesisPutPayloadUnit", "putPayloadUnits", "PUT payload unit"),
          ],
  ],
  [
    "aws:mq/broker:Broker",
    (i) => {
      if (
        (i.string("engineType") ?? "").toLowerCase() !== "activemq" ||
        (i.string("deploymentMode") ?? "SINGLE_INSTANCE") !== "SINGLE_INSTANCE"
      )
        return t`only single-instance ActiveMQ brokers have a price key in pulumi-cost`;
      const type = named(i, "hostInstanceType");
      return isText(type) ? type : [typed("mqActiveMqBrokerHour", type, "broker")];
    },
  ],
  [
    "aws:sqs/queue:Queue",
    (i) =>
      i.bool("fifoQueue")
        ? t`FIFO queue requests have no price key in pulumi-cost`
        : [usage("requests", "sqsRequest", "requests", "request")],
  ],
  ["aws:sns/topic:Topic", () => [usage("publish requests", "snsRequest", "requests", "request")]],
  [
    "aws:cloudwatch/eventBus:EventBus",
    () => [usage("custom events published", "eventBridgeCustomEvent", "customEvents", "event")],
  ],
  ["aws:sfn/stateMachine:StateMachine", stateMachine],
  // serverless and APIs
  ["aws:lambda/function:Function", lambdaFunction],
  ["aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig", provisionedConcurrency],
  [
    "aws:apigateway/restApi:RestApi",
    () => [usage("REST API requests", "apiGatewayRestRequest", "requests", "request")],
  ],
  [
    "aws:apigatewayv2/api:Api",
    (i) =>
      i.string("protocolType") === "HTTP"
        ? [usage("HTTP API requests", "apiGatewayHttpRequest", "requests", "request")]
        : t`WebSocket APIs have no price key in pulumi-cost`,
  ],
  [
    "aws:apigateway/stage:Stage",
    (i) =>
      i.bool("cacheClusterEnabled")
        ? // CreateStage: a 0.5 GB cache when cacheClusterSize is left out
          [typed("apiGatewayCacheHour", i.string("cacheClusterSize") ?? "0.5", "GB cache")]
        : undefined, // a stage without a cache bills only its API's requests
  ],
  // DNS, security, management
  ["aws:route53/zone:Zone", () => [monthly("hosted zone", "zone", "route53HostedZoneMonth")]],
  [
    "aws:route53/healthCheck:HealthCheck",
    () => [monthly("health check", "health check", "route53HealthCheckMonth")],
  ],
  ["aws:kms/replicaKey:ReplicaKey", () => [monthly("KMS replica key", "key", "kmsKeyMonth")]],
  ["aws:kms/externalKey:ExternalKey", () => [monthly("KMS key (imported material)", "key", "kmsKeyMonth")]],
  [
    "aws:secretsmanager/secret:Secret",
    () => [
      monthly("secret", "secret", "secretsManagerSecretMonth"),
      usage("API requests", "secretsManagerApiRequest", "apiRequests", "request"),
    ],
  ],
  [
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    (i) => [monthly("alarm", "alarm metric", "cloudwatchAlarmMonth", i.length("metricQueries") ?? 1)],
  ],
  [
    "aws:cloudwatch/dashboard:Dashboard",
    () => [monthly("dashboard", "dashboard", "cloudwatchDashboardMonth")],
  ],
  ["aws:wafv2/webAcl:WebAcl", webAcl],
  [
    "aws:acmpca/certificateAuthority:CertificateAuthority",
    (i) =>
      i.string("usageMode") === "SHORT_LIVED_CERTIFICATE"
        ? t`short-lived certificate mode has no price key in pulumi-cost`
        : [monthly("private CA (general-purpose)", "CA", "acmPcaMonth")],
  ],
  // storage and registries
  ["aws:ecr/repository:Repository", () => [usage("storage", "ecrStorageGbMonth", "storageGb", "GB-month")]],
  [
    "aws:ebs/snapshot:Snapshot",
    () => [usage("snapshot storage (the blocks it holds)", "ebsSnapshotGbMonth", "storageGb", "GB-month")],
  ],
  [
    "aws:efs/fileSystem:FileSystem",
    () => [usage("Standard storage", "efsStandardGbMonth", "storageGb", "GB-month")],
  ],
  ...NETWORK_CATALOG,
]);

export const CATALOG_PRICERS: ReadonlyMap<string, Pricer> = new Map(
  [...CATALOG].map(([type, declared]) => [type, declaredPricer(declared)]),
);
