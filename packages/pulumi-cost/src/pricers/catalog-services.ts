import type { PerPriceKey, ScalarPriceKey } from "@platform/prices";
import { type Text, t } from "../text.js";
import { hourly, isText, monthly, named, storage, typed, usage } from "./charges.js";
import type { Charge, Declared, Inputs } from "./declared.js";

/** The declared types whose charges depend on several inputs (engine, deployment, node counts). */
export const RDS_ENGINES: Readonly<Record<string, readonly [PerPriceKey, PerPriceKey]>> = {
  mysql: ["rdsMysqlHour", "rdsMysqlMultiAzHour"],
  postgres: ["rdsPostgresqlHour", "rdsPostgresqlMultiAzHour"],
  mariadb: ["rdsMariadbHour", "rdsMariadbMultiAzHour"],
};
export const AURORA_ENGINES: Readonly<Record<string, PerPriceKey>> = {
  "aurora-postgresql": "auroraPostgresqlHour",
  "aurora-mysql": "auroraMysqlHour",
};
/**
 * Storage by type, Single-AZ then Multi-AZ (the standby of a Multi-AZ instance keeps its own copy: the Multi-AZ
 * usage types, RDS:Multi-AZ-GP2-Storage and the like, bill both at twice the Single-AZ rate).
 */
export const RDS_STORAGE: Readonly<Record<string, readonly [ScalarPriceKey, ScalarPriceKey]>> = {
  gp2: ["rdsGp2GbMonth", "rdsGp2MultiAzGbMonth"],
  gp3: ["rdsGp3GbMonth", "rdsGp3MultiAzGbMonth"],
  io1: ["rdsIo1GbMonth", "rdsIo1MultiAzGbMonth"],
};
const RDS_IO1_IOPS = ["rdsIo1IopsMonth", "rdsIo1MultiAzIopsMonth"] as const;
export const own = <V>(table: Readonly<Record<string, V>>, key: string | undefined) =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

/** RDS for MySQL / PostgreSQL / MariaDB: the instance by class and deployment, its storage by type and size. */
export const rdsInstance: Declared = (i) => {
  const engine = i.string("engine");
  const keys = own(RDS_ENGINES, engine);
  if (!keys) return t`RDS engine ${engine ?? "(not known until apply)"} has no price key in pulumi-cost`;
  const type = named(i, "instanceClass");
  if (isText(type)) return type;
  const multiAz = i.bool("multiAz");
  const charges = [typed(multiAz ? keys[1] : keys[0], type, multiAz ? "instance (Multi-AZ)" : "instance")];
  // CreateDBInstance: io1 when Iops is given, else gp2 (the API reference's default).
  const storageType = i.string("storageType") ?? (i.number("iops") ? "io1" : "gp2");
  const storageKeys = own(RDS_STORAGE, storageType);
  const size = i.count("allocatedStorage");
  // labels are Text: an interpolated value would be set as code, so the deployment is part of the template
  const storageLabel = multiAz ? t`${storageType} storage (Multi-AZ)` : t`${storageType} storage`;
  if (!storageKeys) {
    return [
      ...charges,
      hourly(
        storageLabel,
        "GB",
        "rdsGp3GbMonth",
        t`RDS ${storageType} storage has no price key in pulumi-cost`,
      ),
    ];
  }
  const which = multiAz ? 1 : 0;
  charges.push(storage(storageLabel, storageKeys[which], size));
  if (storageType === "io1")
    charges.push(
      monthly(
        multiAz ? "provisioned IOPS (Multi-AZ)" : "provisioned IOPS",
        "IOPS",
        RDS_IO1_IOPS[which],
        i.count("iops"),
      ),
    );
  return charges;
};

export const clusterInstance =
  (keys: Readonly<Record<string, PerPriceKey>>, fallback?: string): Declared =>
  (i) => {
    const engine = i.string("engine") ?? fallback;
    const key = own(keys, engine);
    if (!key) return t`engine ${engine ?? "(not known until apply)"} has no price key in pulumi-cost`;
    const type = named(i, "instanceClass");
    if (isText(type)) return type;
    if (type === "db.serverless")
      return t`Aurora Serverless v2 is billed by ACU-hours, which pulumi-cost does not price`;
    return [typed(key, type, "instance")];
  };

const CACHE_ENGINES: Readonly<Record<string, PerPriceKey>> = {
  redis: "elasticacheRedisNodeHour",
  valkey: "elasticacheValkeyNodeHour",
  memcached: "elasticacheMemcachedNodeHour",
};

/** The node price of an engine; none named is Redis OSS, a replication group's default engine. */
export const cacheKey = (engine = "redis"): PerPriceKey | Text =>
  own(CACHE_ENGINES, engine) ?? t`ElastiCache engine ${engine} has no price key in pulumi-cost`;

export const cacheCluster: Declared = (i) => {
  const key = cacheKey(i.string("engine"));
  if (isText(key)) return key;
  const type = named(i, "nodeType");
  if (isText(type)) return type;
  return [typed(key, type, "node", i.count("numCacheNodes", 1))];
};

export const replicationGroup: Declared = (i) => {
  const key = cacheKey(i.string("engine"));
  if (isText(key)) return key;
  const type = named(i, "nodeType");
  if (isText(type)) return type;
  const shards = i.number("numNodeGroups");
  const nodes =
    shards !== undefined
      ? shards * ((i.number("replicasPerNodeGroup") ?? 0) + 1)
      : i.count("numCacheClusters", 1);
  return [typed(key, type, "node", nodes)];
};

/** The Price List names OpenSearch instance types `….search`; an Elasticsearch domain names them `….elasticsearch`. */
const searchType = (i: Inputs, path: string): string | Text => {
  const type = named(i, path);
  return isText(type) ? type : type.replace(/\.elasticsearch$/, ".search");
};

/** OpenSearch (and Elasticsearch) domains: data nodes, dedicated masters, gp3 EBS storage per data node. */
export const searchDomain: Declared = (i) => {
  const type = searchType(i, "clusterConfig.instanceType");
  if (isText(type)) return type;
  const nodes = i.count("clusterConfig.instanceCount", 1);
  const charges = [typed("opensearchInstanceHour", type, "data node", nodes)];
  if (i.bool("clusterConfig.dedicatedMasterEnabled")) {
    const master = searchType(i, "clusterConfig.dedicatedMasterType");
    if (isText(master)) return master;
    charges.push(
      typed(
        "opensearchInstanceHour",
        master,
        "master node",
        i.count("clusterConfig.dedicatedMasterCount", 3),
      ),
    );
  }
  if (i.bool("ebsOptions.ebsEnabled")) {
    const volumeType = i.string("ebsOptions.volumeType") ?? "gp3";
    const size = i.count("ebsOptions.volumeSize");
    charges.push(
      volumeType === "gp3" && typeof nodes === "number" && typeof size === "number"
        ? storage("gp3 storage", "opensearchGp3GbMonth", size, nodes)
        : monthly(
            `${volumeType} storage`,
            "GB",
            "opensearchGp3GbMonth",
            t`OpenSearch ${volumeType} storage, or its size or node count, is not known to pulumi-cost`,
          ),
    );
  }
  return charges;
};

export const mskCluster: Declared = (i) => {
  const type = named(i, "brokerNodeGroupInfo.instanceType");
  if (isText(type)) return type;
  const brokers = i.count("numberOfBrokerNodes");
  const size = i.count("brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize", 1000);
  return [
    typed("mskBrokerHour", type.replace(/^kafka\./, ""), "broker", brokers),
    typeof brokers === "number" && typeof size === "number"
      ? storage("broker storage", "mskStorageGbMonth", size, brokers)
      : storage("broker storage", "mskStorageGbMonth", t`broker storage is not known until apply`),
  ];
};

export const dynamodbTable: Declared = (i) => {
  const charges: Charge[] = [];
  if (i.string("billingMode") === "PAY_PER_REQUEST") {
    charges.push(
      usage("write request units", "dynamodbWriteRequestUnit", "writeRequestUnits", "write request unit"),
      usage("read request units", "dynamodbReadRequestUnit", "readRequestUnits", "read request unit"),
    );
  } else {
    charges.push(
      hourly("write capacity", "WCU", "dynamodbWcuHour", i.count("writeCapacity")),
      hourly("read capacity", "RCU", "dynamodbRcuHour", i.count("readCapacity")),
    );
  }
  charges.push(usage("storage", "dynamodbStorageGbMonth", "storageGb", "GB-month"));
  return charges;
};

export const lambdaFunction: Declared = (i) => {
  const arm = i.string("architectures.0") === "arm64";
  return [
    usage("requests", "lambdaRequest", "requests", "request"),
    usage(
      arm ? "duration (Arm)" : "duration (x86)",
      arm ? "lambdaGbSecondArm" : "lambdaGbSecond",
      "gbSeconds",
      "GB-second",
    ),
  ];
};

/** GB-seconds a month of provisioned concurrency: executions × the function's memory (GB) × 730 h × 3,600 s. */
export const provisionedConcurrency: Declared = (i, _resource, context) => {
  const executions = i.count("provisionedConcurrentExecutions");
  const name = i.string("functionName");
  const fn = context.resources
    .ofType("aws:lambda/function:Function")
    .find((f) => name !== undefined && (f.name === name || (f.inputs as { name?: unknown }).name === name));
  const memoryMb = fn
    ? typeof (fn.inputs as { memorySize?: unknown }).memorySize === "number"
      ? (fn.inputs as { memorySize: number }).memorySize
      : 128
    : undefined;
  if (memoryMb === undefined || typeof executions !== "number") {
    return [
      monthly(
        "provisioned concurrency",
        "GB-second",
        "lambdaProvisionedGbSecond",
        t`the function's memory is not known from the preview`,
      ),
    ];
  }
  const gbSeconds = (executions * memoryMb * context.hoursPerMonth.toNumber() * 3600) / 1024;
  return [
    monthly(
      t`provisioned concurrency (${executions} × ${memoryMb} MB)`,
      "GB-second",
      "lambdaProvisionedGbSecond",
      gbSeconds,
    ),
  ];
};

export const ecsService: Declared = (i, _resource, context) => {
  if (i.string("launchType") !== "FARGATE") return undefined; // on EC2 capacity, the instances are billed
  const family = i.string("taskDefinition");
  const tasks = context.resources.ofType("aws:ecs/taskDefinition:TaskDefinition");
  const task =
    tasks.find(
      (d) => family !== undefined && (d.inputs as { family?: unknown }).family === family.split(":")[0],
    ) ?? (tasks.length === 1 ? tasks[0] : undefined);
  const cpu = Number((task?.inputs as { cpu?: unknown } | undefined)?.cpu);
  const memory = Number((task?.inputs as { memory?: unknown } | undefined)?.memory);
  if (!task || !(cpu > 0) || !(memory > 0))
    return t`the task definition's cpu and memory are not known from the preview`;
  const count = i.count("desiredCount", 1);
  const times = (n: number) => (typeof count === "number" ? count * n : count);
  return [
    hourly(t`Fargate vCPU (${cpu / 1024} vCPU per task)`, "vCPU", "ecsFargateVcpuHour", times(cpu / 1024)),
    hourly(t`Fargate memory (${memory / 1024} GB per task)`, "GB", "ecsFargateGbHour", times(memory / 1024)),
  ];
};

export const webAcl: Declared = (i) => [
  monthly("web ACL", "web ACL", "wafWebAclMonth"),
  monthly("rules", "rule", "wafRuleMonth", i.length("rules") ?? t`rules are not known until apply`),
  usage("requests", "wafRequest", "requests", "request"),
];

/** Neptune's I/O-Optimized storage (`storageType: iopt1`) bills other instance and storage rates. */
const IO_OPTIMIZED = t`Neptune I/O-Optimized (storageType iopt1) has no price key in pulumi-cost`;

export const neptuneInstance: Declared = (i, _resource, context) => {
  const id = i.string("clusterIdentifier");
  const cluster = context.resources
    .ofType("aws:neptune/cluster:Cluster")
    .find((c) => id !== undefined && (c.inputs as { clusterIdentifier?: unknown }).clusterIdentifier === id);
  if ((cluster?.inputs as { storageType?: unknown } | undefined)?.storageType === "iopt1")
    return IO_OPTIMIZED;
  const type = named(i, "instanceClass");
  return isText(type) ? type : [typed("neptuneInstanceHour", type, "instance")];
};

export const neptuneCluster: Declared = (i) =>
  i.string("storageType") === "iopt1"
    ? IO_OPTIMIZED
    : [
        usage("storage", "neptuneStorageGbMonth", "storageGb", "GB-month"),
        usage("I/O requests", "neptuneIoRequest", "ioRequests", "I/O request"),
      ];

/** Standard workflows bill state transitions; express workflows requests and GB-seconds (CreateStateMachine: STANDARD by default). */
export const stateMachine: Declared = (i) =>
  (i.string("type") ?? "STANDARD") === "EXPRESS"
    ? [
        usage("requests (express)", "sfnExpressRequest", "requests", "request"),
        usage("duration (express)", "sfnExpressGbSecond", "gbSeconds", "GB-second"),
      ]
    : [usage("state transitions", "sfnStateTransition", "stateTransitions", "state transition")];
