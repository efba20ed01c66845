/**
 * The prices of the services beyond compute, networking and EKS: one line each, naming its price facts
 * component, the unit the facts keep it in (the Price List's), and what it is. Their Price List identification
 * comes from the component (price-keys.ts `declarationOf`), so it is written once, in the facts.
 */
const one = <F extends string>(facts: F, unit: string, description: string) =>
  ({ facts, unit, description }) as const;
/** One figure per instance class / node type, the component's variants (the `instanceType` attribute). */
const byType = <F extends string>(facts: F, unit: string, description: string, what: string) =>
  ({ facts, unit, description, per: { attribute: "instanceType", what } }) as const;

export const SERVICE_PRICE_KEYS = {
  interfaceEndpointHour: one(
    "vpc.interface-endpoint-hour",
    "h",
    "VPC interface endpoint, per endpoint-AZ-hour",
  ),
  interfaceEndpointPerGb: one(
    "vpc.interface-endpoint-gb",
    "GB",
    "VPC interface endpoint data processed, per GB",
  ),
  transitGatewayAttachmentHour: one(
    "vpc.transit-gateway-attachment-hour",
    "h",
    "Transit Gateway VPC attachment, per attachment-hour",
  ),
  transitGatewayPerGb: one("vpc.transit-gateway-gb", "GB", "Transit Gateway data processed, per GB"),
  vpnConnectionHour: one("vpc.vpn-connection-hour", "h", "Site-to-Site VPN connection, per connection-hour"),
  gwlbHour: one("elb.gwlb-hour", "h", "Gateway Load Balancer, per hour"),
  gwlbLcuHour: one("elb.gwlb-lcu-hour", "GLCU-hour", "Gateway Load Balancer capacity unit, per GLCU-hour"),
  eksFargateVcpuHour: one("eks.fargate-vcpu-hour", "vCPU-hour", "Fargate (EKS pods), per vCPU-hour"),
  eksFargateGbHour: one("eks.fargate-gb-hour", "GB-hour", "Fargate (EKS pods), per GB of memory-hour"),
  ecsFargateVcpuHour: one(
    "ecs.fargate-vcpu-hour",
    "vCPU-hour",
    "Fargate (ECS tasks, Linux x86), per vCPU-hour",
  ),
  ecsFargateGbHour: one("ecs.fargate-gb-hour", "GB-hour", "Fargate (ECS tasks, Linux x86), per GB-hour"),
  rdsMysqlHour: byType(
    "rds.mysql-instance-hour",
    "h",
    "RDS for MySQL, Single-AZ, per instance-hour",
    "DB instance class",
  ),
  rdsMysqlMultiAzHour: byType(
    "rds.mysql-multi-az-instance-hour",
    "h",
    "RDS for MySQL, Multi-AZ, per instance-hour",
    "DB instance class",
  ),
  rdsPostgresqlHour: byType(
    "rds.postgresql-instance-hour",
    "h",
    "RDS for PostgreSQL, Single-AZ, per instance-hour",
    "DB instance class",
  ),
  rdsPostgresqlMultiAzHour: byType(
    "rds.postgresql-multi-az-instance-hour",
    "h",
    "RDS for PostgreSQL, Multi-AZ, per instance-hour",
    "DB instance class",
  ),
  rdsMariadbHour: byType(
    "rds.mariadb-instance-hour",
    "h",
    "RDS for MariaDB, Single-AZ, per instance-hour",
    "DB instance class",
  ),
  rdsMariadbMultiAzHour: byType(
    "rds.mariadb-multi-az-instance-hour",
    "h",
    "RDS for MariaDB, Multi-AZ, per instance-hour",
    "DB instance class",
  ),
  auroraPostgresqlHour: byType(
    "rds.aurora-postgresql-instance-hour",
    "h",
    "Aurora PostgreSQL instance, per instance-hour",
    "DB instance class",
  ),
  auroraMysqlHour: byType(
    "rds.aurora-mysql-instance-hour",
    "h",
    "Aurora MySQL instance, per instance-hour",
    "DB instance class",
  ),
  rdsGp3GbMonth: one("rds.gp3-storage", "GB-month", "RDS gp3 storage, Single-AZ, per GB-month"),
  rdsGp2GbMonth: one("rds.gp2-storage", "GB-month", "RDS gp2 storage, Single-AZ, per GB-month"),
  rdsIo1GbMonth: one(
    "rds.io1-storage",
    "GB-month",
    "RDS Provisioned IOPS (io1) storage, Single-AZ, per GB-month",
  ),
  rdsIo1IopsMonth: one("rds.io1-iops", "IOPS-month", "RDS provisioned IOPS (io1), Single-AZ, per IOPS-month"),
  rdsGp3MultiAzGbMonth: one(
    "rds.gp3-multi-az-storage",
    "GB-month",
    "RDS gp3 storage, Multi-AZ, per GB-month",
  ),
  rdsGp2MultiAzGbMonth: one(
    "rds.gp2-multi-az-storage",
    "GB-month",
    "RDS gp2 storage, Multi-AZ, per GB-month",
  ),
  rdsIo1MultiAzGbMonth: one(
    "rds.io1-multi-az-storage",
    "GB-month",
    "RDS Provisioned IOPS (io1) storage, Multi-AZ, per GB-month",
  ),
  rdsIo1MultiAzIopsMonth: one(
    "rds.io1-multi-az-iops",
    "IOPS-month",
    "RDS provisioned IOPS (io1), Multi-AZ, per IOPS-month",
  ),
  auroraStorageGbMonth: one("rds.aurora-storage", "GB-month", "Aurora storage, per GB-month"),
  rdsProxyVcpuHour: one(
    "rds.proxy-vcpu-hour",
    "vCPU-hour",
    "RDS Proxy, per vCPU-hour of the database behind it",
  ),
  elasticacheRedisNodeHour: byType(
    "elasticache.redis-node-hour",
    "h",
    "ElastiCache for Redis OSS node, per node-hour",
    "node type",
  ),
  elasticacheValkeyNodeHour: byType(
    "elasticache.valkey-node-hour",
    "h",
    "ElastiCache for Valkey node, per node-hour",
    "node type",
  ),
  elasticacheMemcachedNodeHour: byType(
    "elasticache.memcached-node-hour",
    "h",
    "ElastiCache for Memcached node, per node-hour",
    "node type",
  ),
  opensearchInstanceHour: byType(
    "opensearch.instance-hour",
    "h",
    "OpenSearch Service instance, per instance-hour",
    "instance type",
  ),
  opensearchGp3GbMonth: one(
    "opensearch.gp3-storage",
    "GB-month",
    "OpenSearch Service gp3 storage, per GB-month",
  ),
  mskBrokerHour: byType("msk.broker-hour", "h", "MSK broker, per broker-hour", "broker type"),
  mskStorageGbMonth: one("msk.storage", "GB-month", "MSK broker storage, per GB-month"),
  redshiftNodeHour: byType("redshift.node-hour", "h", "Redshift node, per node-hour", "node type"),
  docdbInstanceHour: byType(
    "docdb.instance-hour",
    "h",
    "DocumentDB instance, per instance-hour",
    "instance class",
  ),
  docdbStorageGbMonth: one("docdb.storage", "GB-month", "DocumentDB storage, per GB-month"),
  mqActiveMqBrokerHour: byType(
    "mq.activemq-broker-hour",
    "h",
    "Amazon MQ for ActiveMQ, Single-AZ, per broker-hour",
    "host instance type",
  ),
  dynamodbWriteRequestUnit: one(
    "dynamodb.write-request-units",
    "write request unit",
    "DynamoDB on-demand write request unit",
  ),
  dynamodbReadRequestUnit: one(
    "dynamodb.read-request-units",
    "read request unit",
    "DynamoDB on-demand read request unit",
  ),
  dynamodbWcuHour: one("dynamodb.wcu-hour", "WCU-hour", "DynamoDB provisioned write capacity, per WCU-hour"),
  dynamodbRcuHour: one("dynamodb.rcu-hour", "RCU-hour", "DynamoDB provisioned read capacity, per RCU-hour"),
  dynamodbStorageGbMonth: one("dynamodb.storage", "GB-month", "DynamoDB table storage, per GB-month"),
  kinesisShardHour: one(
    "kinesis.shard-hour",
    "shard-hour",
    "Kinesis Data Streams provisioned shard, per shard-hour",
  ),
  kinesisPutPayloadUnit: one(
    "kinesis.put-payload-units",
    "PUT payload unit",
    "Kinesis Data Streams PUT payload unit (25 KB)",
  ),
  lambdaRequest: one("lambda.requests", "request", "Lambda request"),
  lambdaGbSecond: one("lambda.gb-second", "GB-second", "Lambda duration (x86), per GB-second"),
  lambdaGbSecondArm: one("lambda.gb-second-arm", "GB-second", "Lambda duration (Arm), per GB-second"),
  lambdaProvisionedGbSecond: one(
    "lambda.provisioned-concurrency",
    "GB-second",
    "Lambda provisioned concurrency, per GB-second configured",
  ),
  route53HostedZoneMonth: one("route53.hosted-zone", "zone-month", "Route 53 hosted zone, per zone-month"),
  route53HealthCheckMonth: one(
    "route53.health-check",
    "check-month",
    "Route 53 health check (AWS endpoint), per month",
  ),
  secretsManagerSecretMonth: one(
    "secretsmanager.secret-month",
    "secret-month",
    "Secrets Manager secret, per month",
  ),
  secretsManagerApiRequest: one("secretsmanager.api-requests", "request", "Secrets Manager API request"),
  cloudwatchAlarmMonth: one(
    "cloudwatch.alarm-month",
    "alarm-month",
    "CloudWatch standard-resolution alarm metric, per month",
  ),
  cloudwatchDashboardMonth: one(
    "cloudwatch.dashboard-month",
    "dashboard-month",
    "CloudWatch dashboard, per month",
  ),
  cloudwatchLogsStorageGbMonth: one(
    "cloudwatch.logs-storage-gb",
    "GB-month",
    "CloudWatch Logs stored, per GB-month",
  ),
  wafWebAclMonth: one("waf.web-acl-month", "web ACL-month", "AWS WAF web ACL, per month"),
  wafRuleMonth: one("waf.rule-month", "rule-month", "AWS WAF rule, per month"),
  wafRequest: one("waf.requests", "request", "AWS WAF request inspected"),
  acmPcaMonth: one("acmpca.ca-month", "CA-month", "AWS Private CA, general-purpose mode, per CA-month"),
  efsStandardGbMonth: one("efs.standard-storage", "GB-month", "EFS Standard storage, per GB-month"),
  s3Tier1Request: one("s3.tier1-requests", "request", "S3 Standard PUT, COPY, POST, LIST request"),
  s3Tier2Request: one("s3.tier2-requests", "request", "S3 Standard GET and other request"),
  sqsRequest: one("sqs.standard-requests", "request", "SQS standard queue request"),
  snsRequest: one("sns.requests", "request", "SNS publish request"),
  apiGatewayRestRequest: one(
    "apigateway.rest-requests",
    "request",
    "API Gateway REST API request (first tier)",
  ),
  apiGatewayHttpRequest: one(
    "apigateway.http-requests",
    "request",
    "API Gateway HTTP API request (first tier)",
  ),
  transitGatewayPeeringHour: one(
    "vpc.transit-gateway-peering-hour",
    "h",
    "Transit Gateway peering attachment, per attachment-hour",
  ),
  clientVpnAssociationHour: one(
    "vpc.client-vpn-association-hour",
    "h",
    "Client VPN endpoint association with a subnet, per association-hour",
  ),
  clientVpnConnectionHour: one(
    "vpc.client-vpn-connection-hour",
    "h",
    "Client VPN connection, per connection-hour",
  ),
  resolverEndpointEniHour: one(
    "route53.resolver-endpoint-eni-hour",
    "h",
    "Route 53 Resolver endpoint, per IP address (network interface)-hour",
  ),
  resolverQuery: one(
    "route53.resolver-queries",
    "query",
    "Route 53 Resolver endpoint DNS query (first billion)",
  ),
  networkFirewallEndpointHour: one(
    "networkfirewall.endpoint-hour",
    "h",
    "Network Firewall endpoint, per endpoint (AZ)-hour",
  ),
  networkFirewallPerGb: one("networkfirewall.traffic-gb", "GB", "Network Firewall traffic processed, per GB"),
  transferProtocolHour: one(
    "transfer.protocol-hour",
    "h",
    "Transfer Family server, per protocol enabled, per hour",
  ),
  wafClassicWebAclMonth: one(
    "waf-classic.web-acl-month",
    "web ACL-month",
    "AWS WAF Classic web ACL, per month",
  ),
  wafClassicRuleMonth: one("waf-classic.rule-month", "rule-month", "AWS WAF Classic rule, per month"),
  wafClassicRequest: one("waf-classic.requests", "request", "AWS WAF Classic request inspected"),
  neptuneInstanceHour: byType(
    "neptune.instance-hour",
    "h",
    "Neptune instance (standard storage configuration), per instance-hour",
    "DB instance class",
  ),
  neptuneStorageGbMonth: one("neptune.storage", "GB-month", "Neptune storage (standard), per GB-month"),
  neptuneIoRequest: one("neptune.io-requests", "I/O request", "Neptune I/O request (standard)"),
  eventBridgeCustomEvent: one(
    "eventbridge.custom-events",
    "event",
    "EventBridge custom event published (per 64 KB chunk)",
  ),
  sfnStateTransition: one(
    "stepfunctions.state-transitions",
    "state transition",
    "Step Functions standard workflow state transition",
  ),
  sfnExpressRequest: one(
    "stepfunctions.express-requests",
    "request",
    "Step Functions express workflow request",
  ),
  sfnExpressGbSecond: one(
    "stepfunctions.express-gb-second",
    "GB-second",
    "Step Functions express workflow duration, per GB-second (first tier)",
  ),
  ecrStorageGbMonth: one("ecr.storage", "GB-month", "ECR repository storage, per GB-month"),
  ebsSnapshotGbMonth: one(
    "ebs.snapshot-storage",
    "GB-month",
    "EBS snapshot storage (standard tier), per GB-month",
  ),
  cloudHsmHour: one("cloudhsm.hsm-hour", "h", "CloudHSM (v2) HSM, per HSM-hour"),
  apiGatewayCacheHour: {
    facts: "apigateway.cache-hour",
    unit: "h",
    description: "API Gateway stage cache, per cache-hour, by cache size (GB)",
    per: { attribute: "cacheMemorySizeGb", what: "cache size (GB)" },
  },
} as const;
