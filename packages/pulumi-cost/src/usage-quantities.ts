/**
 * The monthly quantities a usage-based resource type is estimated with, declared once: the configuration's
 * `usage.byType.<type>.<name>` gives one for every resource of the type, `resourceUsage[].quantities.<name>`
 * for one named resource (it wins). Each name says what it counts; the pricers (pricers/catalog.ts) read them.
 */
export const USAGE_QUANTITIES = {
  "aws:lambda/function:Function": {
    requests: "invocations a month",
    gbSeconds: "GB-seconds of duration a month (memory in GB × seconds run)",
  },
  "aws:dynamodb/table:Table": {
    writeRequestUnits: "on-demand write request units a month",
    readRequestUnits: "on-demand read request units a month",
    storageGb: "GB stored",
  },
  "aws:sqs/queue:Queue": { requests: "requests a month" },
  "aws:sns/topic:Topic": { requests: "publish requests a month" },
  "aws:apigateway/restApi:RestApi": { requests: "API requests a month" },
  "aws:apigatewayv2/api:Api": { requests: "API requests a month" },
  "aws:ec2/vpcEndpoint:VpcEndpoint": { dataProcessedGb: "GB processed a month" },
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": {
    dataProcessedGb: "GB sent to the transit gateway a month",
  },
  "aws:eks/fargateProfile:FargateProfile": {
    vcpuHours: "vCPU-hours of the pods it runs a month",
    gbHours: "GB-hours of memory of the pods it runs a month",
  },
  "aws:rds/cluster:Cluster": { storageGb: "GB stored (Aurora)" },
  "aws:rds/proxy:Proxy": { databaseVcpus: "vCPUs of the databases behind the proxy" },
  "aws:docdb/cluster:Cluster": { storageGb: "GB stored" },
  "aws:kinesis/stream:Stream": { putPayloadUnits: "PUT payload units (25 KB each) a month" },
  "aws:secretsmanager/secret:Secret": { apiRequests: "API requests a month" },
  "aws:wafv2/webAcl:WebAcl": { requests: "web requests inspected a month" },
  "aws:efs/fileSystem:FileSystem": { storageGb: "GB stored (Standard)" },
  "aws:ec2clientvpn/endpoint:Endpoint": { connectionHours: "connection-hours of its clients a month" },
  "aws:route53/resolverEndpoint:ResolverEndpoint": { queries: "DNS queries through the endpoint a month" },
  "aws:networkfirewall/firewall:Firewall": { dataProcessedGb: "GB inspected a month" },
  "aws:waf/webAcl:WebAcl": { requests: "web requests inspected a month" },
  "aws:neptune/cluster:Cluster": { storageGb: "GB stored", ioRequests: "I/O requests a month" },
  "aws:cloudwatch/eventBus:EventBus": { customEvents: "custom events published a month (64 KB chunks)" },
  "aws:sfn/stateMachine:StateMachine": {
    stateTransitions: "state transitions a month (standard workflows)",
    requests: "workflow requests a month (express workflows)",
    gbSeconds: "GB-seconds of duration a month (express workflows)",
  },
  "aws:ecr/repository:Repository": { storageGb: "GB of images stored" },
  "aws:ebs/snapshot:Snapshot": { storageGb: "GB of blocks the snapshot holds" },
  "aws:s3/bucketV2:BucketV2": {
    tier1Requests: "PUT, COPY, POST, LIST requests a month",
    tier2Requests: "GET and other requests a month",
  },
  "aws:s3/bucket:Bucket": {
    tier1Requests: "PUT, COPY, POST, LIST requests a month",
    tier2Requests: "GET and other requests a month",
  },
} as const satisfies Record<string, Record<string, string>>;

export type UsageType = keyof typeof USAGE_QUANTITIES;
export const USAGE_QUANTITY_NAMES: ReadonlySet<string> = new Set(
  Object.values(USAGE_QUANTITIES).flatMap((names) => Object.keys(names)),
);
